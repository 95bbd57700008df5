import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decideRoute, type ProviderState } from './route.ts';

const up: ProviderState = { configured: true };
const down = (reason: string): ProviderState => ({ configured: true, unusable: reason });

describe('decideRoute', () => {
  it('sends routine work local and complex work to Claude', () => {
    expect(decideRoute({ category: 'routine', requestClass: 'user', local: up, cloud: up })).toEqual({ provider: 'local' });
    expect(decideRoute({ category: 'complex', requestClass: 'user', local: up, cloud: up })).toEqual({ provider: 'cloud' });
  });

  it('falls back to local with the reason when Claude is over budget', () => {
    const decision = decideRoute({ category: 'complex', requestClass: 'user', local: up, cloud: down('the daily cap is used up') });
    expect(decision).toEqual({ provider: 'local', escalation: { from: 'cloud', to: 'local', reason: 'Claude is unavailable: the daily cap is used up' } });
  });

  it('sends user work to Claude when the local model is down, but never background work', () => {
    expect(decideRoute({ category: 'routine', requestClass: 'user', local: down('connection refused'), cloud: up }).provider).toBe('cloud');
    const background = decideRoute({ category: 'routine', requestClass: 'background', local: down('connection refused'), cloud: up });
    expect(background.provider).toBe('offline');
  });

  it('is offline when nothing is configured', () => {
    const decision = decideRoute({ category: 'routine', requestClass: 'user', local: { configured: false }, cloud: { configured: false } });
    expect(decision).toMatchObject({ provider: 'offline', reason: expect.stringContaining('no local model is configured') });
  });

  it('never switches a pinned conversation to another model except by a recorded escalation (property)', () => {
    const state = fc.oneof(
      fc.constant(up),
      fc.constant({ configured: false }),
      fc.string().map((reason) => down(reason)),
    );
    const provider = fc.constantFrom('local' as const, 'cloud' as const);
    fc.assert(
      fc.property(
        provider,
        fc.constantFrom('routine' as const, 'complex' as const, 'explicit-cloud' as const),
        fc.constantFrom('user' as const, 'background' as const),
        fc.option(provider, { nil: undefined }),
        fc.option(fc.record({ to: provider, reason: fc.string({ minLength: 1 }) }), { nil: undefined }),
        state,
        state,
        (pinned, category, requestClass, forced, escalate, local, cloud) => {
          const decision = decideRoute({ category, requestClass, forced, pinned, escalate, local, cloud });
          if (escalate === undefined) {
            expect([pinned, 'offline']).toContain(decision.provider);
            return;
          }
          // An escalation goes where it asked or nowhere, never back to the pin, and carries its reason.
          expect([escalate.to, 'offline']).toContain(decision.provider);
          if (decision.provider === 'offline') expect(decision.reason).toContain(escalate.reason);
          else expect(decision.escalation).toEqual({ from: pinned, to: escalate.to, reason: escalate.reason });
        },
      ),
    );
  });

  it('an escalation to an unusable model answers offline with both reasons', () => {
    const decision = decideRoute({
      category: 'routine',
      requestClass: 'user',
      pinned: 'local',
      escalate: { to: 'cloud', reason: 'two invalid tool calls' },
      local: up,
      cloud: down('over budget'),
    });
    expect(decision).toEqual({ provider: 'offline', from: 'local', reason: 'two invalid tool calls; escalation refused: Claude is unavailable: over budget' });
  });
});
