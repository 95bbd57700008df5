import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { initialCadence, nextCadence, shouldEscalate } from './cadence.ts';
import { emptyRoutingState, routeNotifications, type Notification, type RoutingConfig } from './notify-routing.ts';

const T0 = Date.UTC(2026, 11, 4, 12, 0);
const msg = (severity: Notification['severity'], title = 't', kind: Notification['kind'] = 'alert'): Notification => ({ kind, severity, title, body: title });
const config = (over: Partial<RoutingConfig> = {}): RoutingConfig => ({
  channels: [
    { name: 'ntfy', minSeverity: 'warning', maxPerHour: 5 },
    { name: 'mail', minSeverity: 'critical', maxPerHour: 5 },
  ],
  quietHours: { windows: [], minSeverity: 'critical' },
  digestOver: 3,
  ...over,
});

describe('notification routing', () => {
  it('routes by severity', () => {
    const { deliveries } = routeNotifications(emptyRoutingState(), [msg('warning', 'w'), msg('critical', 'c'), msg('info', 'i')], T0, config());
    expect(deliveries.map((d) => `${d.channel}:${d.notification.title}`)).toEqual(['ntfy:w', 'ntfy:c', 'mail:c']);
  });

  it('many at once become one digest', () => {
    const batch = Array.from({ length: 8 }, (_, i) => msg('warning', `w${i}`));
    const { deliveries } = routeNotifications(emptyRoutingState(), batch, T0, config());
    expect(deliveries).toHaveLength(1);
    expect(deliveries[0]!.notification.kind).toBe('digest');
    expect(deliveries[0]!.notification.body.split('\n')).toHaveLength(8);
  });

  it('quiet hours hold everything below their severity, tickets included (a critical ticket passes), and release it afterwards', () => {
    const quiet = config({ quietHours: { windows: [{ days: [], startMinute: 11 * 60, endMinute: 13 * 60 }], minSeverity: 'critical' } });
    const batch = [msg('warning', 'w'), msg('critical', 'c'), msg('warning', 'approve', 'ticket'), msg('critical', 'urgent', 'ticket')];
    const first = routeNotifications(emptyRoutingState(), batch, T0, quiet);
    expect(first.deliveries.map((d) => `${d.channel}:${d.notification.title}`)).toEqual(['ntfy:c', 'ntfy:urgent', 'mail:c', 'mail:urgent']);
    const after = routeNotifications(first.state, [], T0 + 2 * 3_600_000, quiet);
    expect(after.deliveries.map((d) => `${d.channel}:${d.notification.title}`)).toEqual(['ntfy:w', 'ntfy:approve']);
  });

  it('property: no channel ever sends more than maxPerHour in any sliding hour', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ dt: fc.integer({ min: 0, max: 600_000 }), n: fc.integer({ min: 0, max: 6 }) }), { maxLength: 80 }), (steps) => {
        let state = emptyRoutingState();
        let now = T0;
        const sent: number[] = [];
        for (const step of steps) {
          now += step.dt;
          const result = routeNotifications(
            state,
            Array.from({ length: step.n }, () => msg('warning')),
            now,
            config({ digestOver: 100 }),
          );
          state = result.state;
          for (const d of result.deliveries) if (d.channel === 'ntfy') sent.push(now);
        }
        for (const at of sent) expect(sent.filter((t) => t > at - 3_600_000 && t <= at).length).toBeLessThanOrEqual(5);
      }),
    );
  });
});

describe('analysis cadence', () => {
  const cadence = { calmMs: 300_000, incidentMs: 30_000, backoff: 2 };
  it('calm -> incident now, then 30 s, backing off to calm; all-clear returns to calm', () => {
    let state = initialCadence(T0, cadence);
    expect(state.nextAt - T0).toBe(300_000);
    state = nextCadence(state, 'incident-opened', T0, cadence);
    expect(state.nextAt).toBe(T0);
    const gaps: number[] = [];
    let now = T0;
    for (let i = 0; i < 6; i++) {
      state = nextCadence(state, 'analysed', now, cadence);
      gaps.push(state.nextAt - now);
      now = state.nextAt;
    }
    expect(gaps).toEqual([30_000, 60_000, 120_000, 240_000, 300_000, 300_000]);
    expect(nextCadence(state, 'all-clear', now, cadence).nextAt - now).toBe(300_000);
  });

  it('escalates to the cloud only by explicit rule, within budget, once', () => {
    const rule = { enabled: true, minSeverity: 'critical' as const, afterMs: 900_000, maxPerDay: 2 };
    const alert = { severity: 'critical' as const, state: 'open', firstSeen: T0 };
    expect(shouldEscalate(alert, T0 + 900_000, rule, { cloudCallsToday: 0, escalatedAlready: false })).toBe(true);
    expect(shouldEscalate(alert, T0 + 60_000, rule, { cloudCallsToday: 0, escalatedAlready: false })).toBe(false);
    expect(shouldEscalate(alert, T0 + 900_000, rule, { cloudCallsToday: 2, escalatedAlready: false })).toBe(false);
    expect(shouldEscalate(alert, T0 + 900_000, rule, { cloudCallsToday: 0, escalatedAlready: true })).toBe(false);
    expect(shouldEscalate({ ...alert, severity: 'warning' }, T0 + 900_000, rule, { cloudCallsToday: 0, escalatedAlready: false })).toBe(false);
    expect(shouldEscalate(alert, T0 + 900_000, { ...rule, enabled: false }, { cloudCallsToday: 0, escalatedAlready: false })).toBe(false);
  });
});
