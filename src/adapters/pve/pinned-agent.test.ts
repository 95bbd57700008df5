import { describe, expect, it } from 'vitest';
import { normalizeFingerprint } from './pinned-agent.ts';

describe('normalizeFingerprint', () => {
  it('accepts any case, with or without colons', () => {
    expect(normalizeFingerprint('ab:cd:0f')).toBe('AB:CD:0F');
    expect(normalizeFingerprint('abcd0f')).toBe('AB:CD:0F');
    expect(normalizeFingerprint(' AB:cd:0F ')).toBe('AB:CD:0F');
  });
});
