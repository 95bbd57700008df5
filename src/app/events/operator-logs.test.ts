import { describe, expect, it } from 'vitest';
import type { Action } from '../../core/domain/action.ts';
import type { Logger } from '../../core/ports/logger.ts';
import { createAuthFailureLog } from './auth-failure-log.ts';
import { createEventBus } from './event-bus.ts';
import { connectEventLogs } from './log-events.ts';

type Line = { level: 'debug' | 'info' | 'warn' | 'error'; message: string; fields: Record<string, unknown> };

function capturingLogger(): Logger & { lines: Line[]; at(level: Line['level']): Line[] } {
  const lines: Line[] = [];
  const push = (level: Line['level']) => (fields: Readonly<Record<string, unknown>>, message: string) => lines.push({ level, message, fields: { ...fields } });
  return {
    lines,
    at: (level) => lines.filter((line) => line.level === level),
    debug: push('debug'),
    info: push('info'),
    warn: push('warn'),
    error: push('error'),
  };
}

const stopVm = { kind: 'stop', target: { type: 'guest', vmid: 101, node: 'agent2' }, params: {} } as unknown as Action;

describe('operator log lines from the event bus', () => {
  it('logs an alert opening (warn) and its resolution (info); per-evaluation updates stay at debug', () => {
    const logger = capturingLogger();
    const bus = createEventBus(logger);
    connectEventLogs(bus, logger);
    const alert = { alertId: 'a1', rule: 'guest-crashed', severity: 'critical', target: 'guest:102' } as const;
    bus.publish('alert.changed', { ...alert, transition: 'opened', state: 'open', at: 1 });
    bus.publish('alert.changed', { ...alert, transition: 'updated', state: 'open', at: 2 });
    bus.publish('alert.changed', { ...alert, transition: 'resolved', state: 'resolved', at: 3 });
    expect(logger.lines.filter((line) => line.level !== 'debug').map((line) => [line.level, line.message, line.fields.transition])).toEqual([
      ['warn', 'alert opened', 'opened'],
      ['info', 'alert resolved', 'resolved'],
    ]);
    expect(logger.at('debug').map((line) => line.fields.transition)).toEqual(['opened', 'updated', 'resolved']);
  });

  it('logs a denied act at warn with actor, kind and reasons; an allowed one gets no warn', () => {
    const logger = capturingLogger();
    const bus = createEventBus(logger);
    connectEventLogs(bus, logger);
    bus.publish('proposal.decided', { actionHash: 'h1', action: stopVm, verdict: 'allow', tier: 'yellow', reasons: [], actor: 'user:alice', at: 1 });
    expect(logger.at('warn')).toEqual([]);
    bus.publish('proposal.decided', {
      actionHash: 'h2',
      action: stopVm,
      verdict: 'deny',
      tier: 'black',
      reasons: ['protected: VM 103 runs Jarvis'],
      actor: 'model:claude',
      at: 2,
    });
    expect(logger.at('warn')).toEqual([
      {
        level: 'warn',
        message: 'act denied',
        fields: { event: 'proposal.decided', actor: 'model:claude', kind: 'stop', reasons: ['protected: VM 103 runs Jarvis'] },
      },
    ]);
  });

  it('logs node offline (warn) and online (info), quorum, freeze (warn) / unfreeze (info), PVE lost (warn) / recovered (info)', () => {
    const logger = capturingLogger();
    const bus = createEventBus(logger);
    connectEventLogs(bus, logger);
    bus.publish('cluster.changed', {
      version: 2,
      at: 5,
      events: [
        { type: 'node-offline', node: 'agent3', at: 5 },
        { type: 'guest-started', vmid: 101, node: 'agent2', at: 5 },
        { type: 'quorum-lost', at: 5, votesOnline: 1, votesNeeded: 2 },
      ],
    });
    bus.publish('cluster.changed', { version: 3, at: 6, events: [{ type: 'node-online', node: 'agent3', at: 6 }] });
    bus.publish('freeze.changed', { frozen: true, by: 'user:alice', reason: 'maintenance', at: 7 });
    bus.publish('freeze.changed', { frozen: false, by: 'user:alice', at: 8 });
    bus.publish('dependency.changed', { dependency: 'pve', up: false, reason: 'PVE_TIMEOUT', at: 9 });
    bus.publish('dependency.changed', { dependency: 'pve', up: true, at: 10 });
    const operator = logger.lines
      .filter((line) => line.message !== 'domain event')
      .map((line) => [line.level, line.message, line.fields.node ?? line.fields.dependency ?? line.fields.by ?? line.fields.change]);
    expect(operator).toEqual([
      ['warn', 'node state changed', 'agent3'],
      ['warn', 'quorum changed', 'quorum-lost'],
      ['info', 'node state changed', 'agent3'],
      ['warn', 'Jarvis frozen: no act runs', 'user:alice'],
      ['info', 'Jarvis unfrozen', 'user:alice'],
      ['warn', 'dependency lost', 'pve'],
      ['info', 'dependency recovered', 'pve'],
    ]);
    expect(logger.lines.find((line) => line.message === 'dependency lost')?.fields.reason).toBe('PVE_TIMEOUT');
  });
});

describe('authentication failures', () => {
  it('are logged once per address and window under a flood, then summarised with the count; never the secret', () => {
    const logger = capturingLogger();
    let now = 0;
    const failures = createAuthFailureLog(logger, { now: () => now }, { windowMs: 60_000 });
    for (let attempt = 0; attempt < 500; attempt += 1) failures.record({ kind: 'login', ip: '203.0.113.9', user: 'admin', code: 'UNAUTHENTICATED' });
    failures.record({ kind: 'token', ip: '203.0.113.9', code: 'UNAUTHENTICATED' });
    failures.record({ kind: 'login', ip: '198.51.100.7', code: 'UNAUTHENTICATED' });
    expect(logger.lines.map((line) => [line.level, line.fields.kind, line.fields.ip])).toEqual([
      ['warn', 'login', '203.0.113.9'],
      ['warn', 'token', '203.0.113.9'],
      ['warn', 'login', '198.51.100.7'],
    ]);
    now = 60_000;
    failures.record({ kind: 'login', ip: '203.0.113.9', user: 'admin', code: 'RATE_LIMITED' });
    expect(logger.lines[3]).toMatchObject({
      level: 'warn',
      fields: { kind: 'login', ip: '203.0.113.9', user: 'admin', code: 'RATE_LIMITED', suppressed: 499 },
    });
    expect(logger.lines).toHaveLength(4);
  });

  it('forget the oldest address beyond maxKeys (bounded memory under a spread flood)', () => {
    const logger = capturingLogger();
    const failures = createAuthFailureLog(logger, { now: () => 0 }, { maxKeys: 2 });
    for (const ip of ['a', 'b', 'c', 'a']) failures.record({ kind: 'login', ip });
    expect(logger.lines.map((line) => line.fields.ip)).toEqual(['a', 'b', 'c', 'a']);
  });
});
