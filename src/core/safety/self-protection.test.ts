import { describe, expect, it } from 'vitest';
import { checkSelfProtection } from './self-protection.ts';

describe('checkSelfProtection', () => {
  it('is ok when PVE protection=1 is set', () => {
    expect(checkSelfProtection({ protection: 1, name: 'management' }).ok).toBe(true);
    expect(checkSelfProtection({ protection: '1' }).ok).toBe(true);
  });

  it('recommends the qm command when the flag is missing or 0', () => {
    const missing = checkSelfProtection({ name: 'management' }, 103);
    expect(missing.ok).toBe(false);
    expect(missing.message).toContain('qm set 103 --protection 1');
    expect(checkSelfProtection({ protection: 0 }).ok).toBe(false);
  });
});
