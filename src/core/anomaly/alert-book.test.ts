import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  applyFindings,
  commandAlert,
  DEFAULT_ALERT_BOOK_CONFIG,
  emptyAlertBook,
  transitionNotifies,
  type AlertBook,
  type AlertTransition,
} from './alert-book.ts';
import type { Finding } from './types.ts';

const T0 = 1_800_000_000_000;
const finding = (severity: Finding['severity'] = 'warning', target = 'node:pve'): Finding => ({
  rule: 'node-offline',
  target,
  severity,
  title: `${target} offline`,
  facts: {},
});

function driver() {
  let book: AlertBook = emptyAlertBook();
  let n = 0;
  const all: AlertTransition[] = [];
  return {
    step(findings: Finding[], at: number) {
      const result = applyFindings(book, findings, at, DEFAULT_ALERT_BOOK_CONFIG, () => `a${++n}`);
      book = result.book;
      all.push(...result.transitions);
      return result.transitions.map((t) => t.kind);
    },
    command(id: string, command: Parameters<typeof commandAlert>[2], at: number) {
      const result = commandAlert(book, id, command, at);
      if (result) book = result.book;
      return result;
    },
    get book() {
      return book;
    },
    notified: (at: number) => all.filter((t) => transitionNotifies(t, at)).map((t) => t.kind),
  };
}

describe('alert book', () => {
  it('one alert per incident: repeats update it (count, last seen), the resolve comes after clearAfterMs', () => {
    const d = driver();
    expect(d.step([finding()], T0)).toEqual(['opened']);
    expect(d.step([finding()], T0 + 10_000)).toEqual(['updated']);
    expect(d.step([], T0 + 20_000)).toEqual([]);
    expect(d.step([], T0 + 70_000)).toEqual([]);
    expect(d.step([], T0 + 80_000)).toEqual(['resolved']);
    const [alert] = [...d.book.recent.values()];
    expect(alert).toMatchObject({ count: 2, firstSeen: T0, lastSeen: T0 + 10_000, resolvedBy: 'condition-cleared' });
    expect(d.notified(T0 + 80_000)).toEqual(['opened', 'resolved']);
  });

  it('a short gap continues the incident; a flapping condition stops notifying', () => {
    const d = driver();
    d.step([finding()], T0);
    d.step([], T0 + 10_000);
    expect(d.step([finding()], T0 + 20_000)).toEqual(['updated']);
    let at = T0 + 20_000;
    for (let i = 0; i < 4; i++) {
      at += 70_000;
      d.step([], at - 60_000);
      d.step([], at);
      at += 10_000;
      d.step([finding()], at);
    }
    const notified = d.notified(at);
    expect(notified.filter((kind) => kind === 'opened')).toHaveLength(1);
    expect(notified.length).toBeLessThanOrEqual(4);
    expect([...d.book.active.values()][0]!.flapping).toBe(true);
  });

  it('acknowledge silences, escalation speaks again; snooze returns after its time', () => {
    const d = driver();
    d.step([finding()], T0);
    const id = [...d.book.active.values()][0]!.id;
    d.command(id, { kind: 'acknowledge', by: 'user:ann' }, T0 + 1);
    expect(d.step([finding()], T0 + 10_000)).toEqual(['updated']);
    expect(d.step([finding('critical')], T0 + 20_000)).toEqual(['escalated']);
    d.command(id, { kind: 'snooze', by: 'user:ann', until: T0 + 600_000 }, T0 + 21_000);
    expect(d.step([finding('critical')], T0 + 30_000)).toEqual(['updated']);
    expect(d.step([finding('critical')], T0 + 600_000)).toEqual(['snooze-ended']);
  });

  it('resolved by hand while present stays quiet until the condition clears once', () => {
    const d = driver();
    d.step([finding()], T0);
    const id = [...d.book.active.values()][0]!.id;
    expect(d.command(id, { kind: 'resolve', by: 'user:ann' }, T0 + 1)?.alert.state).toBe('resolved');
    expect(d.step([finding()], T0 + 10_000)).toEqual([]);
    expect(d.step([], T0 + 20_000)).toEqual([]);
    expect(d.step([finding()], T0 + 30_000)).toEqual(['reopened']);
  });

  it('property: at most one active alert per rule+target, and every transition names an alert in the book', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ dt: fc.integer({ min: 1, max: 120_000 }), targets: fc.subarray(['node:a', 'node:b', 'node:c']), critical: fc.boolean() }), {
          maxLength: 60,
        }),
        (steps) => {
          const d = driver();
          let at = T0;
          for (const step of steps) {
            at += step.dt;
            d.step(
              step.targets.map((target) => finding(step.critical ? 'critical' : 'warning', target)),
              at,
            );
            const keys = [...d.book.active.values()].map((alert) => alert.key);
            expect(new Set(keys).size).toBe(keys.length);
            for (const target of step.targets) expect(d.book.active.has(`node-offline|${target}`)).toBe(true);
          }
        },
      ),
    );
  });
});
