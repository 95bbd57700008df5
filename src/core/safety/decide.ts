/**
 * The safety kernel's entry point. Pure and deterministic: the same (action, snapshot, topology,
 * locks, now, context) always gives the same Decision. The model proposes; this decides.
 *
 * Order of rules (a deny from any rule wins over every tier and every ticket):
 * shape and identity -> Jarvis in blast radius -> protected resources -> never-act list ->
 * quorum -> emergency stop -> maintenance window -> one-node-at-a-time lock. Then the tier:
 * black denies (with manual steps); red needs a valid ticket bound to the action hash; tainted
 * targets are never auto-approved; green allows; yellow allows and notifies.
 */
import { KIND_TARGETS, NON_DISRUPTIVE_KINDS, describeTarget, type Action } from '../domain/action.ts';
import { guestTypeIn } from '../domain/guest-name.ts';
import type { ClusterSnapshot } from '../domain/cluster.ts';
import { effectiveTier, type Tier } from '../domain/tier.ts';
import type { Topology } from '../domain/topology.ts';
import { computeBlastRadius } from './blast-radius.ts';
import { canonicalJson } from './canonical-json.ts';
import { CLEAR_TEMP_PATHS, DEFAULT_RESTARTABLE_UNITS, isProtectedUnit, renderCommand } from './command-catalogue.ts';
import type { BlastRadius, Decision, DecisionContext, LockState, Ticket } from './decision.ts';
import { buildPreview, describeAction } from './preview.ts';
import { resolveTarget, type ResolvedTarget } from './resolve-target.ts';
import { sha256 } from './sha256.ts';

/** SHA-256 of the action's canonical JSON: what tickets and audit rows are bound to. */
export function hashAction(action: Action): string {
  return sha256(canonicalJson(action));
}

function paramReasons(action: Action, snapshot: ClusterSnapshot, topology: Topology, resolved: ResolvedTarget, now: number): string[] {
  const params = action.params;
  switch (action.kind) {
    case 'diagnostic.run': {
      const rendered = renderCommand({ id: String(params.command), params: params.params ?? {} }, { now });
      if (!rendered.ok) return [`diagnostic not expressible in the catalogue: ${rendered.error.message}`];
      if (rendered.value.tier !== 'green') return [`'${rendered.value.id}' is a remediation, not a diagnostic: propose service.restart or cleanup.temp`];
      return [];
    }
    case 'cleanup.temp':
      return (CLEAR_TEMP_PATHS as readonly unknown[]).includes(params.path) ? [] : [`cleanup.temp path must be one of ${CLEAR_TEMP_PATHS.join(', ')}`];
    case 'guest.migrate': {
      const to = params.targetNode;
      const node = typeof to === 'string' ? snapshot.nodes.find((candidate) => candidate.name === to) : undefined;
      if (!node) return [`guest.migrate needs params.targetNode naming a cluster member`];
      if (node.status !== 'online') return [`migration target node ${node.name} is ${node.status}`];
      if (node.name === resolved.guest?.node) return [`VMID ${resolved.guest.vmid} is already on ${node.name}`];
      if (topology.neverAct.nodes.includes(node.name)) return [`node ${node.name} is on the never-act list`];
      return [];
    }
    default:
      return [];
  }
}

/**
 * Units shaped like systemd power or state targets (`reboot`, `poweroff`, `halt`, `kexec`,
 * `rescue`, `emergency`, `*.target`, ...): starting one is a node reboot in disguise.
 */
export const POWER_TARGET_UNIT =
  /(?:^|[@.-])(?:reboot|poweroff|halt|kexec|shutdown|suspend|hibernate|hybrid-sleep|suspend-then-hibernate|sleep|rescue|emergency|default|ctrl-alt-del|exit|soft-reboot|final|umount)(?:$|[@.-])|\.target$/i;

/** service.*: no power-target-shaped unit ever; start and restart only for the catalogue's allowlist. */
function unitReasons(action: Action, context: DecisionContext): string[] {
  if (action.target.type !== 'service') return [];
  const unit = action.target.unit;
  if (POWER_TARGET_UNIT.test(unit))
    return [`unit ${unit.slice(0, 64)} is shaped like a systemd power or state target: ${action.kind} of it could reboot or halt the node`];
  if ((action.kind === 'service.start' || action.kind === 'service.restart') && !(context.restartableUnits ?? DEFAULT_RESTARTABLE_UNITS).includes(unit)) {
    return [
      `unit ${unit.slice(0, 64)} is not in the restart allowlist (${action.kind} only for catalogue units: ${(context.restartableUnits ?? DEFAULT_RESTARTABLE_UNITS).join(', ')})`,
    ];
  }
  return [];
}

function protectedReasons(action: Action, blast: BlastRadius, topology: Topology, resolved: ResolvedTarget): string[] {
  const guard = topology.protected;
  const reasons: string[] = [];
  for (const node of blast.nodes) if (guard.nodes.includes(node)) reasons.push(`node ${node} is protected (no reboot, shutdown or network change)`);
  for (const vmid of blast.guests)
    if (guard.guests.includes(vmid)) reasons.push(`VMID ${vmid} is protected (no stop, shutdown, reboot, migrate or config change)`);
  for (const host of guard.dockerHosts) if (blast.resources.includes(`docker:${host}`)) reasons.push(`Docker daemon ${host} is protected`);
  for (const container of blast.containers) if (guard.containers.includes(container)) reasons.push(`container ${container} is protected`);
  if (action.target.type === 'network-interface' && resolved.address !== undefined && guard.networkAddresses.includes(resolved.address)) {
    reasons.push(`network interfaces of ${resolved.address} are protected`);
  }
  if (action.target.type === 'service' && isProtectedUnit(action.target.unit)) {
    reasons.push(`unit ${action.target.unit} is protected`);
  }
  return reasons;
}

/**
 * Everything an action touches, for the never-act list: the blast radius, plus the target's own
 * node (a service, a temp cleanup, a container's Docker host VM and its node), the guest it
 * names, the node a migration goes to, the nodes holding a storage, every node for a cluster-wide
 * act, and a Docker host's containers (`host/*`).
 */
export function touchedResources(
  action: Action,
  blast: BlastRadius,
  resolved: ResolvedTarget,
  snapshot: ClusterSnapshot,
  topology: Topology,
): { nodes: Set<string>; guests: Set<number>; containers: Set<string> } {
  const nodes = new Set<string>(blast.nodes);
  const guests = new Set<number>(blast.guests);
  const containers = new Set<string>(blast.containers);
  const target = action.target;
  if (resolved.node !== undefined) nodes.add(resolved.node);
  if (resolved.guest !== undefined) {
    guests.add(resolved.guest.vmid);
    nodes.add(resolved.guest.node);
  }
  switch (target.type) {
    case 'guest':
      guests.add(target.vmid);
      if (target.node !== undefined) nodes.add(target.node);
      break;
    case 'node':
    case 'service':
      nodes.add(target.node);
      break;
    case 'container':
    case 'docker-host': {
      const vmid = topology.dockerHosts[target.host] ?? (target.host === topology.self.dockerHost ? topology.self.vmid : undefined);
      if (vmid !== undefined) {
        guests.add(vmid);
        const node = snapshot.guests.find((guest) => guest.vmid === vmid)?.node;
        if (node !== undefined) nodes.add(node);
      }
      containers.add(target.type === 'container' ? `${target.host}/${target.name}` : `${target.host}/*`);
      break;
    }
    case 'storage':
      if (target.node !== undefined) nodes.add(target.node);
      else for (const entry of snapshot.storage) if (entry.storage === target.storage) nodes.add(entry.node);
      break;
    case 'network-interface':
      if (target.node !== undefined) nodes.add(target.node);
      break;
    case 'cluster':
      for (const node of snapshot.nodes) nodes.add(node.name);
      break;
  }
  const to = action.params.targetNode;
  if (action.kind === 'guest.migrate' && typeof to === 'string') nodes.add(to);
  // Guests on a touched never-act node, and Docker hosts on a touched guest, are touched too.
  for (const [host, vmid] of Object.entries(topology.dockerHosts)) if (guests.has(vmid)) containers.add(`${host}/*`);
  return { nodes, guests, containers };
}

function neverActReasons(action: Action, blast: BlastRadius, topology: Topology, resolved: ResolvedTarget, snapshot: ClusterSnapshot): string[] {
  const never = topology.neverAct;
  const reasons: string[] = [];
  const touched = touchedResources(action, blast, resolved, snapshot, topology);
  for (const node of touched.nodes) if (never.nodes.includes(node)) reasons.push(`node ${node} is on the never-act list`);
  for (const vmid of touched.guests) if (never.guests.includes(vmid)) reasons.push(`VMID ${vmid} is on the never-act list`);
  for (const container of never.containers) {
    const host = container.split('/')[0];
    if (touched.containers.has(container) || touched.containers.has(`${host}/*`)) reasons.push(`container ${container} is on the never-act list`);
  }
  return reasons;
}

function inMaintenanceWindow(topology: Topology, now: number): boolean {
  const day = Math.floor(now / 86_400_000);
  const weekday = (day + 4) % 7; // 1970-01-01 was a Thursday
  const minute = Math.floor((now % 86_400_000) / 60_000);
  return topology.maintenanceWindows.some((window) => {
    const dayOk = window.days.length === 0 || window.days.includes(weekday);
    const inside =
      window.startMinute <= window.endMinute
        ? minute >= window.startMinute && minute < window.endMinute
        : minute >= window.startMinute || minute < window.endMinute;
    return dayOk && inside;
  });
}

const EMPTY_BLAST = (snapshot: ClusterSnapshot): BlastRadius => ({
  resources: [],
  nodes: [],
  guests: [],
  containers: [],
  services: [],
  votesLost: 0,
  quorumAfter: { votesOnline: snapshot.quorum.votesOnline, votesNeeded: snapshot.quorum.votesNeeded, quorate: snapshot.quorum.quorate },
});

/**
 * Decides one proposed action. Never throws for any input that passed `actionSchema`.
 * `locks` are the node locks held now; `now` is epoch ms; `context` carries the emergency-stop
 * flag, an approved ticket and whether the proposer is autonomous.
 */
export function decide(action: Action, snapshot: ClusterSnapshot, topology: Topology, locks: LockState, now: number, context: DecisionContext = {}): Decision {
  const actionHash = hashAction(action);
  const tier: Tier = effectiveTier(action.kind, topology.tierOverrides);
  const isRead = action.kind === 'diagnostic.run';
  // A guest is named by its kind in the snapshot (VM 103, CT 207) on every surface downstream.
  const guestType = action.target.type === 'guest' ? guestTypeIn(snapshot.guests, action.target.vmid) : undefined;
  const targetLabel = describeTarget(action.target, guestType);
  const denyEarly = (reasons: string[]): Decision => ({
    verdict: 'deny',
    tier,
    reasons,
    blastRadius: EMPTY_BLAST(snapshot),
    actionHash,
    targetLabel,
    preview: { summary: `${describeAction(action, guestType)}: refused before planning`, noOp: false },
  });

  if (!KIND_TARGETS[action.kind].includes(action.target.type)) return denyEarly([`${action.kind} cannot target a ${action.target.type}`]);
  const resolution = resolveTarget(action, snapshot, topology);
  if (!resolution.ok) return denyEarly(resolution.reasons);
  const resolved = resolution.target;
  const blast = computeBlastRadius(action, resolved, snapshot, topology);
  const disruptive = !NON_DISRUPTIVE_KINDS.has(action.kind);

  const reasons: string[] = [...paramReasons(action, snapshot, topology, resolved, now), ...unitReasons(action, context)];
  if (blast.selfChain) reasons.push(`${describeAction(action, guestType)} would stop Jarvis: ${blast.selfChain.join(' -> ')}`);
  if (disruptive) reasons.push(...protectedReasons(action, blast, topology, resolved));
  if (!isRead) reasons.push(...neverActReasons(action, blast, topology, resolved, snapshot));
  if (!isRead && !snapshot.quorum.quorate) reasons.push('the cluster is not quorate: only reads run until quorum is back');
  else if (disruptive && blast.votesLost > 0 && !blast.quorumAfter.quorate) {
    reasons.push(`would take the cluster below quorum: ${blast.quorumAfter.votesOnline} of ${blast.quorumAfter.votesNeeded} needed votes left`);
  }
  if (!isRead && context.frozen) reasons.push('emergency stop is on: every act is denied until an admin runs `jarvis unfreeze`');
  if (!isRead && (context.autonomous || action.actor.kind === 'monitor') && inMaintenanceWindow(topology, now)) {
    reasons.push('maintenance window: no autonomous act runs now');
  }
  const lockNode = isRead || action.target.type === 'cluster' ? undefined : resolved.node;
  if (!isRead) {
    const busy = locks.held.filter((lock) => lock.expiresAt > now);
    if (busy.length > 0) {
      const lock = busy[0]!;
      reasons.push(`node ${lock.node} is under operation (${lock.holder.slice(0, 16)}); Jarvis acts on one node at a time`);
    }
  }

  const ticketProblem = context.ticket ? ticketProblemOf(context.ticket, actionHash, now) : undefined;
  if (ticketProblem) reasons.push(ticketProblem);

  const black = tier === 'black';
  const preview = buildPreview(action, resolved, blast, black);
  const base = { tier, blastRadius: blast, actionHash, targetLabel, preview, resolved, ...(lockNode !== undefined ? { lockNode } : {}) };
  if (reasons.length > 0) return { ...base, verdict: 'deny', reasons };
  if (black)
    return { ...base, verdict: 'deny', reasons: [`${action.kind} is black tier: Jarvis never executes it`, ...manualStepsReason(preview.manualSteps)] };

  const ticket = context.ticket;
  const ticketValid = ticket !== undefined && ticketProblem === undefined;
  const tainted = (action.taint?.length ?? 0) > 0;
  if (ticketValid) return { ...base, verdict: 'allow', reasons: [`approved by ticket ${ticket.id}`] };
  if (tier === 'red') return { ...base, verdict: 'needs-confirmation', reasons: [`${action.kind} is red tier: a human must approve it`] };
  if (tainted) return { ...base, verdict: 'needs-confirmation', reasons: ['the target came from cluster data (tainted): never auto-approved'] };
  if (tier === 'yellow') return { ...base, verdict: 'allow-notify', reasons: [`${action.kind} is yellow tier: runs and notifies`] };
  return { ...base, verdict: 'allow', reasons: [`${action.kind} is green tier`] };
}

/** Why a ticket cannot authorise this action now, or undefined when it can. */
export function ticketProblemOf(ticket: Ticket, actionHash: string, now: number): string | undefined {
  if (ticket.status !== 'pending') return `ticket ${ticket.id} was already ${ticket.status}: tickets are single use`;
  if (ticket.actionHash !== actionHash) return `ticket ${ticket.id} is bound to a different action (altered action refused)`;
  if (hashAction(ticket.action) !== ticket.actionHash) return `ticket ${ticket.id} was altered: its action no longer matches its hash`;
  if (now >= ticket.expiresAt) return `ticket ${ticket.id} expired`;
  return undefined;
}

function manualStepsReason(steps: readonly string[] | undefined): string[] {
  return steps ? [`manual steps: ${steps.join(' ')}`] : [];
}
