import { describe, expect, it } from 'vitest';
import type { Alert } from '../../core/anomaly/alert-book.ts';
import { openDatabase } from './open-database.ts';
import { SqliteAlertStore } from './sqlite-alert-store.ts';

const alert = (id: string, lastSeen: number, state: Alert['state'] = 'open'): Alert => ({
  id,
  key: `node-offline|node:${id}`,
  rule: 'node-offline',
  target: `node:${id}`,
  severity: 'critical',
  title: `node ${id} offline`,
  facts: { node: id },
  state,
  firstSeen: 1,
  lastSeen,
  count: 1,
  reopenedAt: [],
  flapping: false,
});

describe('SqliteAlertStore', () => {
  it('keeps one row per alert, lists active/resolved newest first, pages back, and keeps the timeline in order', () => {
    const store = new SqliteAlertStore(openDatabase(':memory:'));
    store.upsert(alert('a', 10));
    store.upsert(alert('b', 20));
    store.upsert({ ...alert('a', 30, 'resolved'), resolvedAt: 30, resolvedBy: 'condition-cleared' });
    expect(store.list({ status: 'active' }).map((a) => a.id)).toEqual(['b']);
    expect(store.list({ status: 'resolved' }).map((a) => a.id)).toEqual(['a']);
    expect(store.list({ status: 'all' }).map((a) => a.id)).toEqual(['a', 'b']);
    expect(store.list({ before: 25 }).map((a) => a.id)).toEqual(['b']);
    expect(store.get('a')?.resolvedBy).toBe('condition-cleared');
    store.appendTimeline({ alertId: 'a', at: 10, kind: 'opened', message: 'opened' });
    store.appendTimeline({ alertId: 'a', at: 11, kind: 'act', message: 'guest.start allowed', data: { auditSeq: 7 } });
    store.appendTimeline({ alertId: 'b', at: 12, kind: 'opened', message: 'opened' });
    expect(store.timeline('a')).toEqual([
      { alertId: 'a', at: 10, kind: 'opened', message: 'opened' },
      { alertId: 'a', at: 11, kind: 'act', message: 'guest.start allowed', data: { auditSeq: 7 } },
    ]);
  });

  it('migrates once: a second store on the same database keeps the rows', () => {
    const database = openDatabase(':memory:');
    new SqliteAlertStore(database).upsert(alert('a', 1));
    expect(new SqliteAlertStore(database).get('a')?.id).toBe('a');
  });
});
