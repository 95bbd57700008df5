import { describe, expect, it } from 'vitest';
import type { ModelGatewayStatus } from '../../core/llm/model-port.ts';
import { aiStatusOf } from './ai-status.ts';

const EXPECTED: Record<ModelGatewayStatus['mode'], string> = {
  off: 'off',
  'no-model': 'no-model',
  simulated: 'simulated',
  'local-only': 'local-only',
  'cloud-only': 'cloud',
  hybrid: 'cloud',
  'over-budget': 'over-budget',
  down: 'no-model',
};

describe('aiStatusOf', () => {
  it('maps every gateway mode to the dashboard status when the AI is on', () => {
    for (const [mode, status] of Object.entries(EXPECTED)) expect(aiStatusOf(true, { mode: mode as ModelGatewayStatus['mode'] })).toBe(status);
  });

  it('reads off whenever the AI is switched off, and no-model without a gateway', () => {
    for (const mode of Object.keys(EXPECTED)) expect(aiStatusOf(false, { mode: mode as ModelGatewayStatus['mode'] })).toBe('off');
    expect(aiStatusOf(true, undefined)).toBe('no-model');
    expect(aiStatusOf(false, undefined)).toBe('off');
  });
});
