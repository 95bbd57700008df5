/**
 * Plan preview text: the predicted effect of an action, and for black actions the manual steps
 * a human would take instead. Pure; nothing runs.
 */
import { describeTarget, type Action, type ActionKind } from '../domain/action.ts';
import type { GuestType } from '../domain/cluster.ts';
import type { BlastRadius, PlanPreview } from './decision.ts';
import type { ResolvedTarget } from './resolve-target.ts';

const VERBS: Readonly<Record<ActionKind, string>> = {
  'guest.start': 'starting',
  'guest.stop': 'stopping',
  'guest.shutdown': 'shutting down',
  'guest.reboot': 'rebooting',
  'guest.migrate': 'migrating',
  'guest.config': 'reconfiguring',
  'service.restart': 'restarting',
  'service.start': 'starting',
  'service.stop': 'stopping',
  'container.start': 'starting',
  'container.stop': 'stopping',
  'container.restart': 'restarting',
  'docker.restart': 'restarting',
  'node.reboot': 'rebooting',
  'node.shutdown': 'shutting down',
  'node.network': 'changing the network of',
  'cluster.config': 'changing the configuration of',
  'storage.change': 'changing',
  'storage.format': 'formatting',
  'network.change': 'changing',
  'firewall.change': 'changing the firewall of',
  'cleanup.temp': 'cleaning temp files on',
  'diagnostic.run': 'running a diagnostic on',
};

/** "stopping VM 103", "starting CT 207" (`guestType`: the guest's kind in the snapshot, when known). */
export function describeAction(action: Action, guestType?: GuestType): string {
  return `${VERBS[action.kind]} ${describeTarget(action.target, guestType)}`;
}

const MANUAL_STEPS: Partial<Record<ActionKind, readonly string[]>> = {
  'node.reboot': [
    'Check quorum first: `pvecm status` on any node (every other node must be online).',
    'Migrate or shut down the guests on the node from the PVE web UI.',
    'Reboot the node yourself from its console or an SSH session; Jarvis never reboots nodes.',
  ],
  'node.shutdown': [
    'Check quorum first: `pvecm status` (the remaining nodes must still hold a majority of votes).',
    'Migrate or shut down the guests on the node from the PVE web UI.',
    'Shut the node down yourself from its console; Jarvis never shuts nodes down.',
  ],
  'cluster.config': [
    'Cluster configuration (e.g. `pvecm expected`) can cause split-brain; read `pvecm status` first.',
    'Make the change yourself on one node shell, following the Proxmox cluster manager documentation.',
  ],
  'storage.format': [
    'Formatting destroys data. Confirm the device and its contents with `lsblk -f` and the PVE storage view.',
    'Back up anything needed, then format it yourself from the node shell or the PVE disks view.',
  ],
  'firewall.change': [
    'Firewall changes can cut Jarvis and you off the cluster. Keep console access ready.',
    'Edit the rules yourself in Datacenter/Node/VM > Firewall in the PVE web UI.',
  ],
};

/** Manual steps for a black action (generic when the kind has none listed). */
export function manualSteps(kind: ActionKind): readonly string[] {
  return MANUAL_STEPS[kind] ?? ['Jarvis never executes this kind of action; perform it yourself from the PVE web UI or a node shell.'];
}

/** True when the action would change nothing in the current snapshot. */
export function isNoOp(action: Action, resolved: ResolvedTarget): boolean {
  const status = resolved.guest?.status;
  if (status === undefined) return false;
  if (action.kind === 'guest.start') return status === 'running';
  if (action.kind === 'guest.stop' || action.kind === 'guest.shutdown') return status === 'stopped';
  return false;
}

/** The preview shown before approval. */
export function buildPreview(action: Action, resolved: ResolvedTarget, blast: BlastRadius, black: boolean): PlanPreview {
  const where = resolved.guest ? ` (${resolved.guest.name ?? 'no name'}) on ${resolved.guest.node}` : '';
  const noOp = isNoOp(action, resolved);
  const parts = [
    `${describeAction(action, resolved.guest?.type)}${where}`,
    noOp ? 'no-op: already in the requested state' : undefined,
    blast.guests.length ? `affects ${blast.guests.length} guest(s)` : undefined,
    blast.containers.length ? `affects containers ${blast.containers.join(', ')}` : undefined,
    blast.selfChain ? `includes Jarvis (${blast.selfChain.join(' -> ')})` : undefined,
    `quorum after ${blast.quorumAfter.votesOnline}/${blast.quorumAfter.votesNeeded} votes${blast.quorumAfter.quorate ? '' : ' (NOT quorate)'}`,
  ].filter((part): part is string => part !== undefined);
  return { summary: parts.join('; '), noOp, ...(black ? { manualSteps: manualSteps(action.kind) } : {}) };
}
