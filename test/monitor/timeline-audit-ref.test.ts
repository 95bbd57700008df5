/**
 * Alert timelines link autonomous acts to their audit row by seq. Rows stored by earlier versions
 * (hash only) stay readable and show no seq; a torn or odd data column is dropped, not fatal.
 */
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/adapters/sqlite/open-database.ts';
import { SqliteAlertStore } from '../../src/adapters/sqlite/sqlite-alert-store.ts';
import { AlertDetailSchema, timelineAuditSeq } from '../../src/protocol/alerts.ts';

describe('timeline audit references', () => {
  it('reads old hash-only rows, new seq rows, and survives unreadable data', () => {
    const database = openDatabase(':memory:');
    const store = new SqliteAlertStore(database);
    store.appendTimeline({
      alertId: 'a',
      at: 1,
      kind: 'act',
      message: 'guest.start ran',
      data: { actionHash: 'abc123', tier: 'yellow', actor: 'monitor:guest-crashed' },
    });
    database.prepare('INSERT INTO alert_timeline (alert_id, at, kind, message, data) VALUES (?, ?, ?, ?, ?)').run('a', 2, 'act', 'torn row', '{"auditSeq": 4');
    database.prepare('INSERT INTO alert_timeline (alert_id, at, kind, message, data) VALUES (?, ?, ?, ?, ?)').run('a', 3, 'act', 'odd row', '[1,2]');
    store.appendTimeline({ alertId: 'a', at: 4, kind: 'act', message: 'service.restart ran', data: { auditSeq: 9, decisionSeq: 8, actionHash: 'def456' } });
    const timeline = store.timeline('a');
    expect(timeline.map((entry) => [entry.message, entry.data])).toEqual([
      ['guest.start ran', { actionHash: 'abc123', tier: 'yellow', actor: 'monitor:guest-crashed' }],
      ['torn row', undefined],
      ['odd row', undefined],
      ['service.restart ran', { auditSeq: 9, decisionSeq: 8, actionHash: 'def456' }],
    ]);
    expect(timeline.map((entry) => timelineAuditSeq(entry))).toEqual([undefined, undefined, undefined, 9]);
    // What GET /api/alerts/:id sends parses for every row.
    const alert = {
      id: 'a',
      rule: 'guest-crashed',
      target: 'guest:102',
      severity: 'critical',
      title: 't',
      facts: {},
      state: 'open',
      firstSeen: 1,
      lastSeen: 4,
      count: 1,
      flapping: false,
    };
    expect(AlertDetailSchema.safeParse({ alert, timeline: timeline.map(({ alertId: _id, ...entry }) => entry) }).success).toBe(true);
  });

  it('only a positive integer is a seq', () => {
    for (const value of [0, -1, 1.5, '7', null, Number.NaN, 2 ** 60]) expect(timelineAuditSeq({ data: { auditSeq: value } })).toBeUndefined();
    expect(timelineAuditSeq({})).toBeUndefined();
    expect(timelineAuditSeq({ data: { auditSeq: 12 } })).toBe(12);
  });
});
