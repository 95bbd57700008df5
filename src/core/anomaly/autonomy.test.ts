import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { emptyAutonomyState, gateAttempt, PLAYBOOKS, remedyAction, type AutonomyConfig, type Remedy } from './autonomy.ts';
import { inWeeklyWindow } from './windows.ts';

const T0 = 1_800_000_000_000;
const remedyFor = (vmid: number): Remedy => ({ kind: 'guest.start', target: { type: 'guest', vmid }, reason: 'test' });

describe('autonomy gate', () => {
  it('property: per target, attempts are never closer than the cooldown; globally never over the hourly limit; none when frozen or in maintenance', () => {
    fc.assert(
      fc.property(
        fc.record({ cooldownMs: fc.integer({ min: 0, max: 3_600_000 }), maxPerHour: fc.integer({ min: 0, max: 20 }) }),
        fc.array(
          fc.record({ dt: fc.integer({ min: 0, max: 900_000 }), vmid: fc.integer({ min: 100, max: 104 }), frozen: fc.boolean(), maintenance: fc.boolean() }),
          { maxLength: 120 },
        ),
        ({ cooldownMs, maxPerHour }, requests) => {
          const config: AutonomyConfig = { enabled: true, cooldownMs, maxPerHour };
          let state = emptyAutonomyState();
          let now = T0;
          const attempts: { at: number; vmid: number }[] = [];
          for (const request of requests) {
            now += request.dt;
            const decision = gateAttempt(state, remedyFor(request.vmid), now, config, { frozen: request.frozen, maintenance: request.maintenance });
            if (!decision.allow) continue;
            expect(request.frozen || request.maintenance).toBe(false);
            state = decision.state;
            attempts.push({ at: now, vmid: request.vmid });
          }
          for (const vmid of [100, 101, 102, 103, 104]) {
            const times = attempts.filter((a) => a.vmid === vmid).map((a) => a.at);
            for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(cooldownMs);
            // Over any duration D a target gets at most floor(D / cooldown) + 1 attempts.
            if (times.length > 1 && cooldownMs > 0) expect(times.length).toBeLessThanOrEqual(Math.floor((times.at(-1)! - times[0]!) / cooldownMs) + 1);
          }
          for (const attempt of attempts) {
            expect(attempts.filter((a) => a.at > attempt.at - 3_600_000 && a.at <= attempt.at).length).toBeLessThanOrEqual(maxPerHour);
          }
        },
      ),
    );
  });

  it('off means off', () => {
    expect(
      gateAttempt(emptyAutonomyState(), remedyFor(101), T0, { enabled: false, cooldownMs: 0, maxPerHour: 9 }, { frozen: false, maintenance: false }).allow,
    ).toBe(false);
  });

  it('playbooks propose as the monitor, with the rule as actor', () => {
    const finding = { rule: 'guest-crashed' as const, target: 'guest:102', severity: 'critical' as const, title: 'x', facts: { vmid: 102, node: 'pve' } };
    const remedy = PLAYBOOKS['guest-crashed']!(finding)!;
    expect(remedyAction(finding, remedy)).toMatchObject({
      kind: 'guest.start',
      target: { type: 'guest', vmid: 102, node: 'pve' },
      actor: { kind: 'monitor', rule: 'guest-crashed' },
    });
  });

  it('weekly windows wrap past midnight onto the right day', () => {
    const monday2330 = Date.UTC(2026, 10, 30, 23, 30); // 2026-11-30 is a Monday
    const tuesday0030 = monday2330 + 3_600_000;
    const window = { days: [1], startMinute: 23 * 60, endMinute: 60 };
    expect(inWeeklyWindow(window, monday2330)).toBe(true);
    expect(inWeeklyWindow(window, tuesday0030)).toBe(true);
    expect(inWeeklyWindow(window, tuesday0030 + 3_600_000)).toBe(false);
    expect(inWeeklyWindow(window, monday2330 - 86_400_000)).toBe(false);
  });
});
