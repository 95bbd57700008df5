/**
 * The kernel's vocabulary: what `decide()` returns and what it receives besides the action.
 */
import type { Action, Actor } from '../domain/action.ts';
import type { Tier } from '../domain/tier.ts';
import type { ResolvedTarget } from './resolve-target.ts';

export type Verdict = 'allow' | 'allow-notify' | 'needs-confirmation' | 'deny';

/** Votes after the action, as far as the kernel can predict. */
export interface QuorumAfter {
  readonly votesOnline: number;
  readonly votesNeeded: number;
  readonly quorate: boolean;
}

/**
 * Everything the action can take down: the target plus all that transitively depends on it.
 * Ids: `node:<name>`, `vm:<vmid>`, `docker:<host>`, `container:<host>/<name>`, `service:<node>/<unit>`,
 * `storage:<node|*>/<id>`, `iface:<node|address>/<iface>`, `cluster`, `jarvis`.
 */
export interface BlastRadius {
  readonly resources: readonly string[];
  readonly nodes: readonly string[];
  readonly guests: readonly number[];
  readonly containers: readonly string[];
  readonly services: readonly string[];
  /** Present when Jarvis itself is in the blast radius: labels from Jarvis down to the target. */
  readonly selfChain?: readonly string[] | undefined;
  /** Quorum votes the action removes (online nodes taken down). */
  readonly votesLost: number;
  readonly quorumAfter: QuorumAfter;
}

/** The predicted effect, shown to a human before approving. Nothing runs to compute it. */
export interface PlanPreview {
  /** One line: "reboot vm 101 (web01) on pve; affects 1 guest; quorum after 4/3". */
  readonly summary: string;
  /** True when the action would change nothing (e.g. starting a running guest). */
  readonly noOp: boolean;
  /** For black actions: what a human would do by hand instead. */
  readonly manualSteps?: readonly string[] | undefined;
}

export interface Decision {
  readonly verdict: Verdict;
  readonly tier: Tier;
  /** Why; for a deny, every rule that denied (the first one is the strongest). */
  readonly reasons: readonly string[];
  readonly blastRadius: BlastRadius;
  /** The node the executor must lock while the action runs (absent for reads and cluster-wide acts). */
  readonly lockNode?: string | undefined;
  /** SHA-256 of the canonical JSON of the action; tickets are bound to it. */
  readonly actionHash: string;
  /**
   * The target named for humans, guests by their kind in the snapshot (`VM 103`, `CT 207`;
   * describeTarget). Absent only on decisions not made by decide() (hand-built in tests).
   */
  readonly targetLabel?: string | undefined;
  readonly preview: PlanPreview;
  /**
   * What the kernel resolved the target to in the snapshot it decided on (node, guest with its
   * VMID and type). The runner acts on exactly this, never on a re-resolved target.
   */
  readonly resolved?: ResolvedTarget | undefined;
}

/** One node under operation. */
export interface NodeLock {
  readonly node: string;
  /** Usually the action hash or ticket id of the running action. */
  readonly holder: string;
  readonly acquiredAt: number;
  /** Epoch ms after which the lock is stale and ignored. */
  readonly expiresAt: number;
}

/** Locks currently held, as seen by the kernel at decision time. */
export interface LockState {
  readonly held: readonly NodeLock[];
}

export const NO_LOCKS: LockState = { held: [] };

export type TicketStatus = 'pending' | 'consumed' | 'rejected';

/** A red action waiting for a human, bound to the exact action by its hash. */
export interface Ticket {
  readonly id: string;
  readonly action: Action;
  readonly actionHash: string;
  readonly blastRadius: BlastRadius;
  readonly requester: Actor;
  readonly createdAt: number;
  readonly expiresAt: number;
  readonly status: TicketStatus;
  /** Who closed it (approver label such as `user:alice`, or the rejecter), once not pending. */
  readonly closedBy?: string | undefined;
  /** When it was closed, epoch ms. */
  readonly closedAt?: number | undefined;
}

/** Default ticket lifetime: 5 minutes. */
export const TICKET_TTL_MS = 5 * 60 * 1000;

export interface DecisionContext {
  /** Emergency stop: every act is denied, reads still run. */
  readonly frozen?: boolean | undefined;
  /** A ticket a human approved for this action (checked against the action's hash and `now`). */
  readonly ticket?: Ticket | undefined;
  /** True when no human asked for this now (the monitor): maintenance windows block it. */
  readonly autonomous?: boolean | undefined;
  /** Units `service.restart` may restart at yellow (default: the catalogue's list). */
  readonly restartableUnits?: readonly string[] | undefined;
}
