/**
 * The restart-loop rule's memory across a Jarvis restart: per container its last restart count,
 * its state and the times the count went up (MonitorHistory.containers), saved in the alert
 * database (AlertStore.saveState, name `monitor-containers`) after the evaluations that read the
 * containers. Without it a restarted Jarvis starts from zero, and a loop that spans the restart is
 * missed or found a window late.
 *
 * Bounds: a saved copy older than the rule's window is not used (restarts seen against a baseline
 * that old could not be placed in the window); restart times outside the window are dropped; at
 * most 1000 containers and 1000 restart times each (the largest `restartLoopCount` the config
 * accepts), so the rule never sees fewer restarts than it needs. Restarts that happen while Jarvis
 * is down are counted, as between two reads, at the first read after the start. A write happens
 * when the history changed, or when the saved copy is half a window old (so it stays usable). The
 * store failing costs only the memory: logged, never thrown.
 */
import type { MonitorHistory } from '../../core/anomaly/index.ts';
import { toJarvisError } from '../../core/errors.ts';
import type { AlertStore } from '../../core/ports/alerts.ts';
import type { Logger } from '../../core/ports/logger.ts';

export const CONTAINER_HISTORY_NAME = 'monitor-containers';
const MAX_CONTAINERS = 1000;
const MAX_RESTARTS = 1000;

type ContainerHistory = MonitorHistory['containers'];
type ContainerEntry = ContainerHistory extends ReadonlyMap<string, infer Entry> ? Entry : never;

export interface ContainerHistoryKeeper {
  /**
   * The saved history of the containers on `hosts` (the Docker hosts this run reads), when saved
   * within `windowMs` of `now`; empty when older, absent or unreadable. A host no longer read
   * is left out: nothing would ever replace its entries.
   */
  restore(now: number, hosts: readonly string[]): ContainerHistory;
  /** Called after an evaluation that read the containers, with the history it left. */
  observed(containers: ContainerHistory, now: number): void;
}

export function containerHistoryKeeper(store: Pick<AlertStore, 'loadState' | 'saveState'>, windowMs: number, logger: Logger): ContainerHistoryKeeper {
  /** The last copy written (time and JSON), to skip writes that would change nothing. */
  let saved: { readonly at: number; readonly body: string } | undefined;
  return {
    restore(now, hosts) {
      if (hosts.length === 0) return new Map();
      try {
        const stored = containerHistoryFrom(store.loadState(CONTAINER_HISTORY_NAME), now, windowMs);
        const restored = new Map([...stored].filter(([key]) => hosts.some((host) => key.startsWith(`${host}/`))));
        if (restored.size > 0) logger.info({ containers: restored.size }, 'monitor: container restart history reloaded');
        return restored;
      } catch (error) {
        logger.error({ error: toJarvisError(error).message }, 'monitor: container restart history not reloaded');
        return new Map();
      }
    },
    observed(containers, now) {
      const entries = boundedEntries(containers, now, windowMs);
      const body = JSON.stringify(entries);
      if (saved && saved.body === body && now - saved.at < windowMs / 2) return;
      try {
        store.saveState(CONTAINER_HISTORY_NAME, { at: now, containers: entries });
        saved = { at: now, body };
      } catch (error) {
        logger.error({ error: toJarvisError(error).message }, 'monitor: container restart history not saved');
      }
    },
  };
}

/** Entries within the bounds: restart times within the window of `now` (newest kept), at most MAX_CONTAINERS. */
function boundedEntries(containers: ContainerHistory, now: number, windowMs: number): [string, ContainerEntry][] {
  const entries: [string, ContainerEntry][] = [];
  for (const [key, entry] of containers) {
    if (entries.length >= MAX_CONTAINERS) break;
    const restarts = entry.restarts.filter((time) => time <= now && now - time <= windowMs).slice(-MAX_RESTARTS);
    entries.push([key, { count: entry.count, restarts, state: entry.state }]);
  }
  return entries;
}

const isFiniteNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);

/** Reads what `observed` saved; malformed entries are dropped, a copy older than the window is ignored. */
export function containerHistoryFrom(json: unknown, now: number, windowMs: number): ContainerHistory {
  if (typeof json !== 'object' || json === null) return new Map();
  const body = json as Record<string, unknown>;
  const at = body['at'];
  if (!isFiniteNumber(at) || at > now || now - at > windowMs || !Array.isArray(body['containers'])) return new Map();
  const parsed = new Map<string, ContainerEntry>();
  for (const item of body['containers']) {
    if (!Array.isArray(item) || item.length !== 2 || typeof item[0] !== 'string') continue;
    const entry = item[1] as Record<string, unknown> | null;
    if (typeof entry !== 'object' || entry === null || !isFiniteNumber(entry['count']) || typeof entry['state'] !== 'string') continue;
    const restarts = Array.isArray(entry['restarts']) ? entry['restarts'].filter(isFiniteNumber) : [];
    parsed.set(item[0], { count: entry['count'], restarts, state: entry['state'] });
  }
  return new Map(boundedEntries(parsed, now, windowMs));
}
