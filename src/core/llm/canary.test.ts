import { describe, expect, it } from 'vitest';
import { judgeCanary, managementVmCanary } from './canary.ts';

describe('canary', () => {
  it('passes the exact number, with or without words around it', () => {
    expect(judgeCanary('103', '103').ok).toBe(true);
    expect(judgeCanary('The management VM is 103.', '103').ok).toBe(true);
  });

  it('fails a wrong, missing or hedged number', () => {
    expect(judgeCanary('104', '103')).toEqual({ ok: false, detail: 'expected 103, got 104' });
    expect(judgeCanary('I do not know', '103').ok).toBe(false);
    expect(judgeCanary('103 or 1030', '103').ok).toBe(false);
  });

  it('puts the configured VMID in the prompt and expects it', () => {
    const canary = managementVmCanary(250);
    expect(canary.system).toContain('250');
    expect(canary.expected).toBe('250');
  });
});
