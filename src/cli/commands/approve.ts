/**
 * `jarvis approve ID [--as NAME]` / `jarvis approve ID --reject [--reason TEXT]`: a local admin
 * approves (or rejects) a pending confirmation ticket through the shared state DB. The stored
 * action is re-decided against a fresh snapshot of the configured cluster before anything runs;
 * the ticket is consumed atomically (single use). Exit 0 when done (or rejected), 1 when denied
 * or failed, 2 on usage errors.
 * Node locks live in the state DB, shared with the server: the CLI waits for nothing and refuses
 * while the server operates on a node. The CLI runs guest power and node services through PVE; a
 * ticket of any other kind is left pending (approve it from the dashboard).
 */
import { randomUUID } from 'node:crypto';
import { userInfo } from 'node:os';
import { routeRunners, type ActionRunner } from '../../app/actions/action-runner.ts';
import { createGuardedExecutor } from '../../app/actions/execute-action.ts';
import { liveIdentityOf } from '../../app/actions/live-identity.ts';
import { guestPowerRunner, pveServiceRunner } from '../../app/actions/pve-runners.ts';
import type { ActionKind } from '../../core/domain/action.ts';
import { clusterSource, kernelPaths, loadCliConfig, openKernelStores, takeFlag, takeOption } from './kernel-context.ts';

const USAGE = 'jarvis approve TICKET_ID [--as NAME] | jarvis approve TICKET_ID --reject [--reason TEXT]';

export async function run(args: string[]): Promise<number> {
  const reject = takeFlag(args, '--reject');
  const reason = takeOption(reject.rest, '--reason');
  const as = takeOption(reason.rest, '--as');
  const loaded = loadCliConfig('approve', as.rest, USAGE);
  if (!loaded) return 2;
  const [ticketId] = loaded.rest;
  if (!ticketId) {
    process.stderr.write(`usage: ${USAGE}\n`);
    return 2;
  }
  const stores = openKernelStores(kernelPaths(loaded.config));
  if (!stores.ok) {
    process.stderr.write(`jarvis approve: ${stores.error.message}\n`);
    return 1;
  }
  const source = await clusterSource(loaded.config);
  if (!source.ok) {
    stores.value.close();
    process.stderr.write(`jarvis approve: ${source.error.message}\n`);
    return 1;
  }
  try {
    const cluster = source.value;
    const api = cluster.api!;
    const findGuest = async (vmid: number) => {
      const snapshot = await cluster.readSnapshot();
      return snapshot.ok ? snapshot.value.guests.find((guest) => guest.vmid === vmid) : undefined;
    };
    const power = guestPowerRunner(api, findGuest);
    // Service acts run on the decided node after a live check that it still answers (issue 8).
    const services = pveServiceRunner(api, api, { live: liveIdentityOf(api) });
    const routes: Partial<Record<ActionKind, ActionRunner>> = {
      'guest.start': power, 'guest.stop': power, 'guest.shutdown': power, 'guest.reboot': power,
      'service.start': services, 'service.stop': services, 'service.restart': services,
    };
    if (!reject.present) {
      // The CLI talks to PVE only: a ticket it cannot run (containers need the server's Docker
      // runner) is left pending for the dashboard instead of being consumed by a doomed approval.
      const stored = await stores.value.tickets.get(ticketId);
      const kind = stored.ok ? stored.value?.action.kind : undefined;
      if (kind !== undefined && routes[kind] === undefined) {
        process.stdout.write(`not approved here: the CLI cannot run ${kind} (no runner for it outside the server); approve ticket ${ticketId} from the dashboard (the ticket was left untouched).\n`);
        return 1;
      }
    }
    const executor = createGuardedExecutor({
      readSnapshot: cluster.readSnapshot,
      topology: loaded.config.topology,
      locks: stores.value.locks,
      audit: stores.value.audit,
      tickets: stores.value.tickets,
      settings: stores.value.settings,
      runner: routeRunners(routes),
      clock: { now: () => Date.now() },
      newId: () => randomUUID(),
    });
    // `jarvis approve` is an admin human's approval (never a token): it may not approve its own proposal.
    const approver = { id: as.value ?? `cli:${userInfo().username}`, role: 'admin', kind: 'user' as const };
    const outcome = reject.present ? await executor.reject(ticketId, approver, reason.value) : await executor.approve(ticketId, approver);
    switch (outcome.status) {
      case 'done':
        process.stdout.write(`done: ${outcome.summary}\n`);
        return 0;
      case 'denied':
        process.stdout.write(`${reject.present ? 'rejected' : 'denied'}: ${outcome.reasons.join('; ')}\n`);
        return reject.present ? 0 : 1;
      case 'needs-confirmation':
        process.stdout.write(`needs confirmation: ${outcome.approval.reasons.join('; ')}\n`);
        return 1;
      case 'error':
        process.stdout.write(`error: ${outcome.error.code} ${outcome.error.message}${outcome.error.hint ? ` (${outcome.error.hint})` : ''}\n`);
        return 1;
    }
  } finally {
    await source.value.close();
    stores.value.close();
  }
}
