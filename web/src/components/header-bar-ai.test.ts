import { describe, expect, it } from 'vitest';
import { aiText } from './header-bar.tsx';

const ON = { aiEnabled: true };
const OFF = { aiEnabled: false };

describe("aiText (the header's AI status)", () => {
  it("shows the server's status while the AI is on, and off from the switch", () => {
    expect(aiText(ON, 'simulated')).toEqual({ key: 'simulated', text: 'simulated model' });
    expect(aiText(ON, 'cloud').key).toBe('cloud');
    expect(aiText(OFF, 'simulated')).toEqual({ key: 'off', text: 'off' });
  });

  it('never shows a stale "off" once the switch is back on (the state was taken while off)', () => {
    expect(aiText(ON, 'off').key).toBe('unreported');
    expect(aiText(ON, undefined).key).toBe('unreported');
  });
});
