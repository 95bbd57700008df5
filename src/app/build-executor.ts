import type { Action } from '../core/domain/action.ts';
import { routeRunners, type ActionRunner } from './actions/action-runner.ts';
import { createGuardedExecutor, type GuardedExecutor } from './actions/execute-action.ts';
import { liveIdentityOf } from './actions/live-identity.ts';
import { guestPowerRunner, pveServiceRunner } from './actions/pve-runners.ts';
import type { AuditLog } from '../core/ports/audit.ts';
import type { EventBus } from '../core/ports/events.ts';
import type { AppOptions, JarvisPorts } from './app-options.ts';
import { dockerActionRunner, shellRemediationRunner } from './tools/action-runners.ts';

/**
 * The guarded executor over whatever ports exist: guest power through PVE always; node services
 * through PVE's service API (or SSH when only SSH is there); containers through Docker; temp
 * cleanup through SSH. An action kind with no runner fails with INTERNAL after the kernel allowed
 * it — and is audited like any other. `audit` is the log as the app uses it (publishing its rows);
 * the executor publishes its own facts on `events`.
 */
export function buildExecutor(
  options: Pick<AppOptions, 'topology' | 'actTimeoutMs' | 'twoPersonRule'>,
  ports: Pick<JarvisPorts, 'cluster' | 'actuator' | 'services' | 'clock' | 'tickets' | 'settingsStore' | 'locks' | 'shell' | 'docker' | 'newId'>,
  wiring: { audit: AuditLog; events: EventBus },
): GuardedExecutor {
  const { tickets, settingsStore } = ports;
  const { audit, events } = wiring;
  const actTimeoutMs = options.actTimeoutMs ?? 120_000;
  const deadlineMs = Math.max(1_000, actTimeoutMs - 5_000);
  const findGuest = async (vmid: number) => {
    const snapshot = await ports.cluster.readSnapshot();
    return snapshot.ok ? snapshot.value.guests.find((guest) => guest.vmid === vmid) : undefined;
  };
  // The runner acts on the guest the kernel resolved, checking its live identity with one call to its node.
  const liveGuest = async (node: string, type: 'qemu' | 'lxc', vmid: number, signal: AbortSignal) => {
    const status = await ports.cluster.guestStatus(node, type, vmid, { signal });
    return status.ok && status.value.vmid === vmid ? status.value : undefined;
  };
  // Non-guest acts run on the node the kernel resolved, after one live identity read (issue 8).
  const live = liveIdentityOf(ports.cluster);
  const power = guestPowerRunner(ports.actuator, findGuest, { deadlineMs, liveGuest });
  const routes: Partial<Record<Action['kind'], ActionRunner>> = {
    'guest.start': power,
    'guest.stop': power,
    'guest.shutdown': power,
    'guest.reboot': power,
  };
  const service = pveServiceRunner(ports.services, ports.actuator, { deadlineMs, live });
  routes['service.start'] = service;
  routes['service.stop'] = service;
  routes['service.restart'] = service;
  if (ports.shell) {
    const remediation = shellRemediationRunner(ports.shell, ports.clock, { live });
    routes['cleanup.temp'] = remediation;
    routes['service.restart'] ??= remediation;
  }
  if (ports.docker) {
    const containers = dockerActionRunner(ports.docker, { live, dockerHosts: options.topology.dockerHosts });
    routes['container.start'] = containers;
    routes['container.stop'] = containers;
    routes['container.restart'] = containers;
  }
  return createGuardedExecutor({
    readSnapshot: () => ports.cluster.readSnapshot(),
    topology: options.topology,
    locks: ports.locks,
    audit,
    tickets,
    settings: settingsStore,
    runner: routeRunners(routes),
    clock: ports.clock,
    newId: ports.newId,
    events,
    actTimeoutMs,
    twoPersonRule: options.twoPersonRule ?? false,
  });
}
