/**
 * Chart colours per visual mode. uPlot draws on a canvas (axe cannot read it), so these colours are
 * checked for contrast against each mode's background by the e2e suite (computed, not sampled):
 * axis text ≥ 4.5:1, series lines ≥ 3:1. Also exported for that check.
 */
import type { VisualMode } from './visual-mode.ts';

export interface ChartTheme {
  readonly background: string;
  readonly axis: string;
  readonly grid: string;
  readonly cpu: string;
  readonly mem: string;
}

export const CHART_THEMES: Record<VisualMode, ChartTheme> = {
  ops: { background: '#161b22', axis: '#c9d1d9', grid: 'rgba(139,148,158,0.25)', cpu: '#4cc2ff', mem: '#f2b84b' },
  jarvis: { background: '#051421', axis: '#9ee7ff', grid: 'rgba(95,212,255,0.18)', cpu: '#5fd4ff', mem: '#ffb454' },
  minimal: { background: '#ffffff', axis: '#1f2328', grid: 'rgba(110,119,129,0.3)', cpu: '#0550ae', mem: '#9a4d00' },
};

/** WCAG relative luminance of a #rrggbb colour. */
export function luminance(hex: string): number {
  const value = hex.replace('#', '');
  const channels = [0, 2, 4].map((index) => parseInt(value.slice(index, index + 2), 16) / 255);
  const [r, g, b] = channels.map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4)) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** WCAG contrast ratio of two #rrggbb colours (1..21). */
export function contrast(a: string, b: string): number {
  const [high, low] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (high + 0.05) / (low + 0.05);
}
