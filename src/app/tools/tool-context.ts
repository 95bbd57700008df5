/**
 * What a tool handler may use: ports only (never adapters). The composition root
 * (src/app/create-jarvis.ts, src/cli) builds one ToolContext per caller; tests build it with the
 * simulator's adapters or small fakes.
 *
 * The executor's interface is declared here structurally (ToolExecutor: the smallest thing the
 * tools need from app/actions); the composition root bridges the real executor to it.
 */
import type { Action, Actor } from '../../core/domain/action.ts';
import type { ClusterSnapshot } from '../../core/domain/cluster.ts';
import type { ClusterApi } from '../../core/ports/cluster.ts';
import type { Clock } from '../../core/ports/clock.ts';
import type { DockerApi } from '../../core/ports/docker.ts';
import type { ShellRunner } from '../../core/ports/shell.ts';
import type { ExecutionOutcome } from '../actions/execution-outcome.ts';

/** The guarded executor (app/actions): the kernel decides, then it runs what was allowed. */
export interface ToolExecutor {
  /** `timeoutMs` bounds running the action (incl. its PVE task); `tool` names the caller in the audit log. */
  propose(
    action: Action,
    options?: { readonly signal?: AbortSignal | undefined; readonly timeoutMs?: number | undefined; readonly tool?: string | undefined },
  ): Promise<ExecutionOutcome>;
}

/** Timeouts in ms per kind of external call; all configurable. */
export interface ToolTimeouts {
  /** PVE reads. */
  readonly read: number;
  /** Acts, including waiting for the PVE task. */
  readonly act: number;
  readonly shell: number;
  readonly docker: number;
}

export const DEFAULT_TOOL_TIMEOUTS: ToolTimeouts = { read: 10_000, act: 30_000, shell: 15_000, docker: 10_000 };

export interface ToolContext {
  readonly cluster: ClusterApi;
  /** Absent when SSH is not configured: tools that need it answer SSH_UNREACHABLE with a hint. */
  readonly shell?: ShellRunner | undefined;
  readonly docker?: DockerApi | undefined;
  readonly executor: ToolExecutor;
  /** The last snapshot the poller read, if any (tools read a fresh one when absent). */
  readonly snapshot: () => ClusterSnapshot | undefined;
  readonly clock: Clock;
  readonly timeouts: ToolTimeouts;
  /** Who is calling (recorded on every proposed action). */
  readonly actor: Actor;
  /** Docker host used when a call names none, e.g. `docker@103`. */
  readonly defaultDockerHost: string;
  /**
   * Called once per finished call, BEFORE its answer is returned (metrics, logs, the write-ahead
   * audit row). A returned promise is awaited; `{ ok: false }` from it (the audit row could not be
   * written) turns the answer into AUDIT_UNAVAILABLE unless an act already ran. A throwing observer is ignored.
   */
  readonly onToolCall?: ((event: ToolCallEvent) => unknown) | undefined;
}

/** One finished tool call, as observers see it (no cluster data; the caller's arguments, capped). */
export interface ToolCallEvent {
  readonly tool: string;
  readonly category: 'read' | 'act';
  readonly actor: Actor;
  readonly ok: boolean;
  /** Error code when not ok. */
  readonly code?: string | undefined;
  /** Act outcome when ok: done, needs-confirmation, denied (a no-op is `done`). */
  readonly status?: string | undefined;
  readonly durationMs: number;
  /** The arguments as the caller sent them (an object; values sanitised and capped at 200 chars). */
  readonly input?: Readonly<Record<string, unknown>> | undefined;
  /** For a call refused for bad input: the raw arguments as JSON, sanitised and truncated (500 chars). */
  readonly rawInput?: string | undefined;
}

/** Per-call environment the wrapper hands to a handler. */
export interface ToolRun {
  readonly context: ToolContext;
  /** Aborted when the tool's deadline passes. */
  readonly signal: AbortSignal;
  /** Epoch ms when the call started. */
  readonly now: number;
}
