/**
 * The audit record: one row per decision, execution result, ticket event or setting change,
 * hash-chained so that editing or deleting any row is detectable (issue 3 item 9).
 */
import type { Actor } from '../domain/action.ts';
import type { Tier } from '../domain/tier.ts';
import type { BlastRadius, Verdict } from '../safety/decision.ts';

/**
 * `read`: a read tool call (diagnostics run on a node included); `call`: an act tool call (also
 * when refused for bad input, a no-op, or Docker list/logs). Both are written before the call's
 * answer leaves the process; an act that reached the kernel also has its decision/result rows.
 * `memory`: a memory write, rejection, edit, deletion or wipe.
 */
export type AuditEntryKind = 'decision' | 'result' | 'ticket' | 'setting' | 'read' | 'call' | 'memory';

/** What callers append; the log adds seq, prevHash and hash. */
export interface AuditEntry {
  readonly kind: AuditEntryKind;
  /** Epoch ms. */
  readonly time: number;
  readonly actor: Actor | { readonly kind: 'system'; readonly id: string };
  /** Tool or command that proposed it (`manage_vm`, `jarvis freeze`, ...). */
  readonly tool: string;
  readonly params?: Readonly<Record<string, unknown>> | undefined;
  /** Action kind + target label, e.g. `guest.stop vm 103`. */
  readonly target?: string | undefined;
  readonly actionHash?: string | undefined;
  readonly tier?: Tier | undefined;
  readonly verdict?: Verdict | undefined;
  readonly reasons?: readonly string[] | undefined;
  readonly blastRadius?: BlastRadius | undefined;
  readonly ticket?: string | undefined;
  /** For result rows: `done`, `no-op`, `error: CODE message`, ... */
  readonly result?: string | undefined;
  readonly durationMs?: number | undefined;
  /** The model's (or proposer's) stated reason, recorded verbatim. */
  readonly modelReason?: string | undefined;
}

/** A stored, chained record. */
export interface AuditRecord extends AuditEntry {
  readonly seq: number;
  readonly prevHash: string;
  readonly hash: string;
}

/** prevHash of the first record. */
export const GENESIS_HASH = '0'.repeat(64);

/** The separately stored head of the chain; catches truncation of the last rows. */
export interface AuditAnchor {
  readonly count: number;
  readonly lastHash: string;
}

export interface ChainVerdict {
  readonly ok: boolean;
  readonly checked: number;
  /** Human-readable problems, first one first (`row 12: hash mismatch (tampered)`). */
  readonly problems: readonly string[];
}
