/** Test wiring for the monitor: a tiny bus, a scripted model gateway, a manual clock, recording notifiers. */
import { DEFAULT_ALERT_BOOK_CONFIG, DEFAULT_THRESHOLDS } from '../../src/core/anomaly/index.ts';
import { ok, type JarvisError, type Result } from '../../src/core/errors.ts';
import type { ModelGateway, ModelRequest, ModelResult } from '../../src/core/llm/model-port.ts';
import type { DomainEvent, DomainEventMap, DomainEventName, EventBus } from '../../src/core/ports/events.ts';
import { silentLogger } from '../../src/core/ports/logger.ts';
import type { Notification, Notifier } from '../../src/core/ports/notifier.ts';
import type { MonitorSettings } from '../../src/app/monitor/monitor.ts';
import { createNotifyDispatcher, type NotifyDispatcher } from '../../src/app/monitor/notify-dispatcher.ts';
import type { Poller } from '../../src/app/monitor/poller.ts';
import type { ClusterSnapshot } from '../../src/core/domain/index.ts';

/** A 3-node quorate cluster with one VM (102 'web' on pve), running or stopped as `crashed` says. */
export function oneGuestSnapshot(at: number, crashed: boolean): ClusterSnapshot {
  return {
    version: 1,
    takenAt: at,
    quorum: { quorate: true, nodesTotal: 3, votesOnline: 3, votesTotal: 3, votesNeeded: 2 },
    nodes: ['pve', 'agent1', 'Home'].map((name) => ({ name, status: 'online' as const, votes: 1, cpu: 0.1, mem: 1, maxmem: 10 })),
    guests: [
      { vmid: 102, type: 'qemu', node: 'pve', name: 'web', status: crashed ? 'stopped' : 'running', template: false, tags: [], cpu: 0.1, mem: 1, maxmem: 10 },
    ],
    storage: [],
  };
}

/** A poller the monitor reads from: always fresh, its current snapshot read through `read`; no subscriptions. */
export function pollerOver(read: () => ClusterSnapshot): Pick<Poller, 'subscribe' | 'current'> {
  return {
    subscribe: () => () => undefined,
    current: () => ({ snapshot: read(), version: 1, ageMs: 0, stale: false, lastError: undefined, lastErrorAt: undefined, consecutiveFailures: 0 }),
  };
}

export class ManualClock {
  constructor(public nowMs: number) {}
  now(): number {
    return this.nowMs;
  }
  advance(ms: number): void {
    this.nowMs += ms;
  }
}

/** The smallest EventBus that honours the port's contract (isolated listeners). */
export function tinyBus(): EventBus {
  const listeners = new Map<string, Set<(payload: never) => void>>();
  const any = new Set<(event: DomainEvent) => void>();
  return {
    publish<K extends DomainEventName>(name: K, payload: DomainEventMap[K]) {
      for (const listener of listeners.get(name) ?? []) {
        try {
          (listener as (p: DomainEventMap[K]) => void)(payload);
        } catch {
          /* isolated */
        }
      }
      for (const listener of any) {
        try {
          listener({ name, payload } as DomainEvent);
        } catch {
          /* isolated */
        }
      }
    },
    on(name, listener) {
      const set = listeners.get(name) ?? new Set();
      set.add(listener as (payload: never) => void);
      listeners.set(name, set);
      return () => set.delete(listener as (payload: never) => void);
    },
    onAny(listener) {
      any.add(listener);
      return () => any.delete(listener);
    },
  };
}

/** A gateway that answers from a script and records every request. */
export function scriptedGateway(answer: (request: ModelRequest) => string = () => 'Likely cause: test. Check: the node.') {
  const calls: ModelRequest[] = [];
  const gateway: Pick<ModelGateway, 'complete' | 'status'> = {
    async complete(request): Promise<Result<ModelResult, JarvisError>> {
      calls.push(request);
      const provider = request.provider === 'cloud' ? 'cloud' : 'local';
      return ok({
        text: answer(request),
        toolCalls: [],
        finishReason: 'stop',
        cached: false,
        latencyMs: 1,
        usage: { inputTokens: 10, outputTokens: 10, cachedInputTokens: 0, costUsd: 0 },
        origin: { provider, model: provider === 'cloud' ? 'claude-test' : 'qwen-test', label: `${provider} scripted`, simulated: true },
      });
    },
    status: () => ({ mode: 'local-only', local: { model: 'qwen-test', up: true }, canary: { ok: true, at: 0 } }),
  };
  return { gateway, calls };
}

/** A dispatcher over `notifiers` that never retries nor waits (each send's outcome is final). */
export function instantDispatcher(notifiers: readonly Notifier[], clock: { now(): number }): NotifyDispatcher {
  return createNotifyDispatcher(notifiers, { retries: 0, backoffMs: 0, sleep: async () => undefined, now: () => clock.now(), logger: silentLogger });
}

export function recordingNotifier(channel: string, fail: (n: number) => boolean = () => false): Notifier & { sent: Notification[]; attempts: number } {
  const sent: Notification[] = [];
  const notifier = {
    channel,
    type: 'test',
    sent,
    attempts: 0,
    async send(notification: Notification) {
      notifier.attempts += 1;
      if (fail(notifier.attempts)) return { ok: false as const, error: { code: 'NOTIFY_FAILED' as const, message: `${channel} down`, retryable: true } };
      sent.push(notification);
      return ok(undefined);
    },
  };
  return notifier;
}

export function testSettings(over: Partial<MonitorSettings> = {}): MonitorSettings {
  return {
    thresholds: { ...DEFAULT_THRESHOLDS, pressureWindowMs: 60_000, dependencyGraceMs: 30_000 },
    disabledRules: [],
    book: { ...DEFAULT_ALERT_BOOK_CONFIG, clearAfterMs: 30_000 },
    autonomy: { enabled: true, cooldownMs: 30 * 60_000, maxPerHour: 6 },
    cadence: { calmMs: 300_000, incidentMs: 30_000, backoff: 2 },
    analysisEnabled: true,
    escalation: { enabled: false, minSeverity: 'critical', afterMs: 900_000, maxPerDay: 5 },
    routing: { channels: [{ name: 'phone', minSeverity: 'warning', maxPerHour: 30 }], quietHours: { windows: [], minSeverity: 'critical' }, digestOver: 5 },
    unitsEveryMs: 60_000,
    containersEveryMs: 10_000,
    tasksEveryMs: 10_000,
    ioWaitEveryMs: 300_000,
    self: { vmid: 103, node: 'agent1' },
    sshNodes: ['Home', 'pve', 'agent1', 'agent'],
    dockerHosts: ['docker@103'],
    maintenanceWindows: [],
    dashboardUrl: 'http://127.0.0.1:8080',
    ...over,
  };
}

export const quietLogger = silentLogger;
