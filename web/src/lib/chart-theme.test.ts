import { describe, expect, it } from 'vitest';
import { CHART_THEMES, contrast } from './chart-theme.ts';

describe('chart themes', () => {
  it('computes WCAG contrast (black on white is 21:1)', () => {
    expect(contrast('#000000', '#ffffff')).toBeCloseTo(21, 5);
  });
  for (const [mode, theme] of Object.entries(CHART_THEMES)) {
    it(`${mode}: axis text ≥ 4.5:1 and series lines ≥ 3:1 against the chart background`, () => {
      expect(contrast(theme.axis, theme.background)).toBeGreaterThanOrEqual(4.5);
      expect(contrast(theme.cpu, theme.background)).toBeGreaterThanOrEqual(3);
      expect(contrast(theme.mem, theme.background)).toBeGreaterThanOrEqual(3);
    });
  }
});
