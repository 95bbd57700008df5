/**
 * History of one node or guest over hour / day / week / month / year from PVE rrddata
 * (GET /api/history?timeframe=). uPlot with a cursor: hovering shows the time and the values in
 * the legend. Colours come from the mode's chart theme (contrast-checked); the plot is rebuilt
 * when the mode changes. Gaps (no value in a slot) stay gaps.
 */
import { useEffect, useRef, useState } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { HistoryDtoSchema, type HistoryDto } from '../../../src/protocol/index.ts';
import { apiRequest } from '../lib/api.ts';
import { CHART_THEMES } from '../lib/chart-theme.ts';
import { historyPoints } from '../lib/metric-store.ts';
import { timeAxisLabel, timeAxisSpace } from '../lib/time-axis.ts';
import type { VisualMode } from '../lib/visual-mode.ts';

export const TIMEFRAMES = ['hour', 'day', 'week', 'month', 'year'] as const;
export type Timeframe = (typeof TIMEFRAMES)[number];

const percent = (_self: uPlot, values: number[]): string[] => values.map((value) => `${Math.round(value * 100)}%`);
const asPercent = (_self: uPlot, value: number | null): string => (value === null || !Number.isFinite(value) ? '—' : `${(value * 100).toFixed(1)}%`);

export function HistoryChart({
  baseUrl,
  label,
  mode,
  width = 640,
  height = 200,
}: {
  baseUrl: string;
  label: string;
  mode: VisualMode;
  width?: number;
  height?: number;
}) {
  const [timeframe, setTimeframe] = useState<Timeframe>('hour');
  const [history, setHistory] = useState<HistoryDto | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);
  const host = useRef<HTMLDivElement | null>(null);
  const figure = useRef<HTMLElement | null>(null);
  const [measured, setMeasured] = useState(width);

  useEffect(() => {
    const abort = new AbortController();
    setError(undefined);
    void apiRequest(`${baseUrl}&timeframe=${timeframe}`, HistoryDtoSchema, { signal: abort.signal }).then((result) => {
      if (abort.signal.aborted) return;
      if (result.ok) setHistory(result.value);
      else setError(result.error.message);
    });
    return () => abort.abort();
  }, [baseUrl, timeframe]);

  useEffect(() => {
    const element = host.current;
    if (!element) return undefined;
    const update = () => setMeasured(Math.max(240, Math.min(width, element.clientWidth || width)));
    update();
    const observer = new ResizeObserver(update);
    observer.observe(element);
    return () => observer.disconnect();
  }, [width]);

  useEffect(() => {
    const element = host.current;
    if (!element || !history) return undefined;
    const theme = CHART_THEMES[mode];
    const points = historyPoints(history.samples);
    const data: uPlot.AlignedData = [
      points.map((point) => point.atMs / 1000),
      points.map((point) => point.cpu ?? null),
      points.map((point) => point.mem ?? null),
    ] as unknown as uPlot.AlignedData;
    const axis = { stroke: theme.axis, grid: { stroke: theme.grid }, ticks: { stroke: theme.grid } };
    const shown = history.timeframe;
    // One-line labels with the date (uPlot's two-line default is clipped); the labels drawn are
    // mirrored in data-x-labels (canvas text is invisible to tests and screen readers).
    const timeLabels = (_self: uPlot, splits: number[]): string[] => {
      const labels = splits.map((split) => timeAxisLabel(shown, split));
      figure.current?.setAttribute('data-x-labels', labels.join(' | '));
      return labels;
    };
    const plot = new uPlot(
      {
        width: measured,
        height,
        legend: { show: true, live: true },
        cursor: { show: true, drag: { x: false, y: false } },
        scales: { y: { range: [0, 1] } },
        axes: [
          { ...axis, size: 30, space: timeAxisSpace(shown), values: timeLabels },
          { ...axis, values: percent, size: 48 },
        ],
        series: [
          { label: 'Time' },
          { label: 'CPU', stroke: theme.cpu, width: 1.5, spanGaps: false, value: asPercent },
          { label: 'Memory', stroke: theme.mem, width: 1.5, dash: [6, 3], spanGaps: false, value: asPercent },
        ],
      },
      data,
      element,
    );
    return () => plot.destroy();
  }, [history, mode, measured, height]);

  return (
    <figure
      ref={figure}
      className="chart history-chart"
      data-testid="history-chart"
      data-timeframe={history?.timeframe}
      data-samples={history?.samples.length ?? 0}
    >
      <div className="timeframes" role="group" aria-label="Time range">
        {TIMEFRAMES.map((value) => (
          <button key={value} type="button" aria-pressed={timeframe === value} onClick={() => setTimeframe(value)} data-testid={`timeframe-${value}`}>
            {value}
          </button>
        ))}
      </div>
      {error ? (
        <p className="section-error" role="alert">
          ✖ History unavailable: {error}
        </p>
      ) : null}
      <div
        ref={host}
        className="chart-host"
        role="img"
        aria-label={`${label}: CPU (solid line) and memory (dashed line) over the last ${timeframe}; hover for values`}
      />
      <figcaption className="muted small">CPU ━ and memory ╍ from PVE rrddata, {history ? `${history.samples.length} samples` : 'loading…'}</figcaption>
    </figure>
  );
}
