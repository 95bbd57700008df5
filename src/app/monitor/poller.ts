import { diffSnapshots, type ClusterSnapshot } from '../../core/domain/index.ts';
import type { ClusterEvent } from '../../core/domain/events.ts';
import { toJarvisError, type JarvisError } from '../../core/errors.ts';
import type { ClusterApi } from '../../core/ports/cluster.ts';
import type { Clock } from '../../core/ports/clock.ts';
import type { Logger } from '../../core/ports/logger.ts';

export interface PollerOptions {
  /**
   * Period of the loop (ms), start to start: a poll starts every intervalMs whatever the previous
   * took; a poll that overruns its period makes the loop skip the starts it missed (never overlap,
   * never a burst to catch up). PVE refreshes every 10 s.
   */
  readonly intervalMs: number;
  /** Data older than this counts as stale even when no poll failed (default 3 x intervalMs). */
  readonly staleAfterMs?: number;
  /** Timeout of one readSnapshot call (ms); default: the adapter's own. */
  readonly timeoutMs?: number;
  /** Storage fraction for storage-threshold events (default 0.85). */
  readonly storageThreshold?: number;
}

export interface PollerDeps {
  readonly cluster: Pick<ClusterApi, 'readSnapshot'>;
  readonly clock: Clock;
  readonly logger: Logger;
}

/** Outcome of one poll; `tick()` returns it and subscribers receive it. */
export type PollResult =
  | {
      readonly ok: true;
      readonly version: number;
      readonly snapshot: ClusterSnapshot;
      readonly events: readonly ClusterEvent[];
      readonly durationMs: number;
      readonly at: number;
    }
  | { readonly ok: false; readonly error: JarvisError; readonly durationMs: number; readonly at: number; readonly consecutiveFailures: number };

/** What the dashboard and tools read: the last-known snapshot and how fresh it is. */
export interface PollerState {
  /** Last successful snapshot (its `version` is the poller's own counter), or undefined before the first. */
  readonly snapshot: ClusterSnapshot | undefined;
  /** 0 before the first success; +1 on each successful poll, never reused. */
  readonly version: number;
  /** now - snapshot.takenAt (ms), undefined without a snapshot. */
  readonly ageMs: number | undefined;
  /** True when the last poll failed, or the data is older than staleAfterMs, or there is no data. */
  readonly stale: boolean;
  readonly lastError: JarvisError | undefined;
  /** When the last failed poll ended (epoch ms), while `lastError` is set. */
  readonly lastErrorAt: number | undefined;
  readonly consecutiveFailures: number;
}

/** Counters for /metrics. */
export interface PollerStats {
  readonly polls: number;
  readonly failures: number;
  readonly failuresByCode: Readonly<Record<string, number>>;
  readonly lastDurationMs: number | undefined;
  readonly lastSuccessAt: number | undefined;
  /** Scheduled starts skipped because a poll overran its period. */
  readonly skipped: number;
}

export type PollListener = (result: PollResult) => void;

/** The never-dying cluster poll loop. Tests drive `tick()` directly; `start()` adds the timer. */
export interface Poller {
  /** Polls once now; never throws; resolves with the outcome (also sent to subscribers). */
  tick(): Promise<PollResult>;
  /** Starts the loop: a tick now, then one every intervalMs, start to start (overruns skip). Idempotent. */
  start(): void;
  /** Stops the loop, aborts an in-flight poll and waits for it. */
  stop(): Promise<void>;
  current(): PollerState;
  stats(): PollerStats;
  /** Returns the unsubscribe function. A throwing listener is logged and never breaks the loop. */
  subscribe(listener: PollListener): () => void;
}

/**
 * Creates the poller. Each success re-stamps the snapshot with the poller's own monotonically
 * increasing version and emits diffSnapshots(previous, next) events; each failure keeps the
 * last-known snapshot (with its original takenAt, so its age keeps growing) and marks it stale.
 */
export function createPoller(deps: PollerDeps, options: PollerOptions): Poller {
  const staleAfterMs = options.staleAfterMs ?? options.intervalMs * 3;
  const listeners = new Set<PollListener>();
  let snapshot: ClusterSnapshot | undefined;
  let version = 0;
  let lastError: JarvisError | undefined;
  let lastErrorAt: number | undefined;
  let consecutiveFailures = 0;
  let counters = { polls: 0, failures: 0, skipped: 0, lastDurationMs: undefined as number | undefined, lastSuccessAt: undefined as number | undefined };
  const failuresByCode: Record<string, number> = {};
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running = false;
  let inFlight: Promise<PollResult> | undefined;
  let abort: AbortController | undefined;

  function emit(result: PollResult): void {
    for (const listener of [...listeners]) {
      try {
        listener(result);
      } catch (error) {
        deps.logger.error({ error: toJarvisError(error).message }, 'poll listener failed');
      }
    }
  }

  async function poll(): Promise<PollResult> {
    const started = deps.clock.now();
    abort = new AbortController();
    let outcome;
    try {
      outcome = await deps.cluster.readSnapshot({ signal: abort.signal, timeoutMs: options.timeoutMs });
    } catch (error) {
      outcome = { ok: false as const, error: toJarvisError(error) };
    }
    const at = deps.clock.now();
    const durationMs = at - started;
    counters = { ...counters, polls: counters.polls + 1, lastDurationMs: durationMs };
    if (!outcome.ok) {
      consecutiveFailures += 1;
      lastError = outcome.error;
      lastErrorAt = at;
      counters.failures += 1;
      failuresByCode[outcome.error.code] = (failuresByCode[outcome.error.code] ?? 0) + 1;
      deps.logger.warn({ code: outcome.error.code, consecutiveFailures, version }, `cluster poll failed: ${outcome.error.message}`);
      return { ok: false, error: outcome.error, durationMs, at, consecutiveFailures };
    }
    const previous = snapshot;
    version += 1;
    const next: ClusterSnapshot = { ...outcome.value, version };
    const events = previous ? diffSnapshots(previous, next, { storageThreshold: options.storageThreshold ?? 0.85 }) : [];
    snapshot = next;
    lastError = undefined;
    lastErrorAt = undefined;
    consecutiveFailures = 0;
    counters.lastSuccessAt = at;
    return { ok: true, version, snapshot: next, events, durationMs, at };
  }

  async function tick(): Promise<PollResult> {
    if (inFlight) return inFlight;
    inFlight = poll();
    try {
      const result = await inFlight;
      emit(result);
      return result;
    } finally {
      inFlight = undefined;
    }
  }

  /**
   * Delay from the end of a poll that started at `startedAt` to the next slot of the period: the
   * rest of this period, or, after an overrun, the rest of the period the poll ended in (the
   * missed starts are skipped, never caught up in a burst).
   */
  function nextDelay(startedAt: number): number {
    const took = Math.max(0, deps.clock.now() - startedAt);
    if (took < options.intervalMs) return options.intervalMs - took;
    const missed = Math.floor(took / options.intervalMs);
    counters.skipped += missed;
    deps.logger.warn({ missed, intervalMs: options.intervalMs, tookMs: took }, 'cluster poll overran its period; skipping to the next slot');
    return options.intervalMs - (took % options.intervalMs);
  }

  function schedule(delayMs: number): void {
    if (!running) return;
    timer = setTimeout(() => {
      timer = undefined;
      const startedAt = deps.clock.now();
      // tick() never rejects; the catch is a last wall so the loop can never die.
      tick()
        .catch((error: unknown) => deps.logger.error({ error: toJarvisError(error).message }, 'poll tick crashed'))
        .finally(() => schedule(nextDelay(startedAt)));
    }, delayMs);
  }

  return {
    tick,
    start() {
      if (running) return;
      running = true;
      schedule(0);
    },
    async stop() {
      running = false;
      if (timer) clearTimeout(timer);
      timer = undefined;
      abort?.abort();
      if (inFlight) await inFlight.catch(() => undefined);
    },
    current() {
      const ageMs = snapshot ? deps.clock.now() - snapshot.takenAt : undefined;
      const stale = snapshot === undefined || lastError !== undefined || (ageMs ?? 0) > staleAfterMs;
      return { snapshot, version, ageMs, stale, lastError, lastErrorAt, consecutiveFailures };
    },
    stats() {
      return { ...counters, failuresByCode: { ...failuresByCode } };
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
