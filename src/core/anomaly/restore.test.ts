import { describe, expect, it } from 'vitest';
import { applyFindings, bookFromAlerts, DEFAULT_ALERT_BOOK_CONFIG, type Alert } from './alert-book.ts';
import { emptyHistory, seedHistory } from './history.ts';

const T0 = 1_800_000_000_000;
const alert = (over: Partial<Alert>): Alert => ({
  id: 'a1',
  key: 'guest-crashed|guest:102',
  rule: 'guest-crashed',
  target: 'guest:102',
  severity: 'critical',
  title: 't',
  facts: { vmid: 102, node: 'pve', status: 'stopped', since: T0 },
  state: 'open',
  firstSeen: T0,
  lastSeen: T0,
  count: 3,
  reopenedAt: [],
  flapping: false,
  ...over,
});
const finding = { rule: 'guest-crashed' as const, target: 'guest:102', severity: 'critical' as const, title: 't', facts: {} };

describe('restoring the monitor after a restart', () => {
  it('open alerts are active again under their ids; a recently resolved one re-opens instead of opening a second alert', () => {
    const open = bookFromAlerts([alert({})], T0 + 60_000, DEFAULT_ALERT_BOOK_CONFIG);
    const next = applyFindings(open, [finding], T0 + 70_000, DEFAULT_ALERT_BOOK_CONFIG, () => 'new');
    expect(next.transitions.map((t) => [t.kind, t.alert.id])).toEqual([['updated', 'a1']]);
    const resolved = alert({ state: 'resolved', resolvedAt: T0 + 30_000, resolvedBy: 'condition-cleared', clearSince: T0 + 10_000 });
    const back = applyFindings(
      bookFromAlerts([resolved], T0 + 60_000, DEFAULT_ALERT_BOOK_CONFIG),
      [finding],
      T0 + 70_000,
      DEFAULT_ALERT_BOOK_CONFIG,
      () => 'new',
    );
    expect(back.transitions.map((t) => [t.kind, t.alert.id])).toEqual([['reopened', 'a1']]);
  });

  it('an alert a human resolved while its condition was present stays muted; one resolved long ago is forgotten', () => {
    const byHand = alert({ state: 'resolved', resolvedAt: T0 + 30_000, resolvedBy: 'user:admin' });
    const muted = applyFindings(
      bookFromAlerts([byHand], T0 + 60_000, DEFAULT_ALERT_BOOK_CONFIG),
      [finding],
      T0 + 70_000,
      DEFAULT_ALERT_BOOK_CONFIG,
      () => 'new',
    );
    expect(muted.transitions).toEqual([]);
    const old = bookFromAlerts([byHand], T0 + 30_000 + DEFAULT_ALERT_BOOK_CONFIG.flapWindowMs + 1, DEFAULT_ALERT_BOOK_CONFIG);
    expect(old.recent.size + old.muted.size).toBe(0);
  });

  it('a restored guest-crashed alert keeps its guest crashed (confirmed) in a fresh history', () => {
    const history = seedHistory(emptyHistory(), [alert({})]);
    expect(history.crashed.get(102)).toEqual({ at: T0, runningAt: T0, node: 'pve', to: 'stopped', confirmed: true });
    expect(history.guestStatus.get(102)).toEqual({ status: 'stopped', node: 'pve', at: T0 });
  });
});
