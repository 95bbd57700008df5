/**
 * CPU and memory chart for one node or guest (uPlot on a canvas). The uPlot instance is created
 * once per mount and destroyed on unmount; updates read the store's ring buffers (300 points), so
 * the chart's memory is fixed whatever the uptime. Unknown values are gaps.
 */
import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { HistoryDtoSchema } from '../../../src/protocol/index.ts';
import { apiRequest } from '../lib/api.ts';
import type { DashboardStore } from '../lib/dashboard-store.ts';
import { historyPoints, toPlotValues } from '../lib/metric-store.ts';

export interface MetricChartProps {
  readonly store: DashboardStore;
  /** `node:<name>` or `guest:<vmid>`. */
  readonly seriesKey: string;
  readonly label: string;
  /** GET /api/history URL whose rrddata seeds the chart once (the last hour). */
  readonly historyUrl?: string;
  readonly width?: number;
  readonly height?: number;
}

const percent = (_self: uPlot, values: number[]): string[] => values.map((value) => `${Math.round(value * 100)}%`);

export function MetricChart({ store, seriesKey, label, historyUrl, width = 280, height = 110 }: MetricChartProps) {
  const host = useRef<HTMLDivElement | null>(null);

  useEffect(() => {
    const element = host.current;
    if (!element) return undefined;
    const options: uPlot.Options = {
      width,
      height,
      legend: { show: false },
      cursor: { show: false },
      scales: { y: { range: [0, 1] } },
      axes: [
        { stroke: 'currentColor', grid: { stroke: 'rgba(128,128,128,0.25)' }, size: 28 },
        { stroke: 'currentColor', grid: { stroke: 'rgba(128,128,128,0.25)' }, values: percent, size: 52 },
      ],
      series: [
        {},
        { label: 'CPU', stroke: '#4cc2ff', width: 1.5, spanGaps: false },
        { label: 'Memory', stroke: '#f2b84b', width: 1.5, dash: [6, 3], spanGaps: false },
      ],
    };
    const empty: uPlot.AlignedData = [[], [], []];
    const plot = new uPlot(options, empty, element);
    let lastLength = -1;
    let lastTime: number | undefined;
    const draw = () => {
      const series = store.metrics.get(seriesKey);
      if (!series) return;
      const newest = series.time.last();
      if (series.time.length === lastLength && newest === lastTime) return;
      lastLength = series.time.length;
      lastTime = newest;
      plot.setData([series.time.toArray(), toPlotValues(series.cpu), toPlotValues(series.mem)] as uPlot.AlignedData);
    };
    draw();
    const unsubscribe = store.subscribe(draw);
    const abort = new AbortController();
    let pending = false;
    if (historyUrl && store.markHistoryRequested(seriesKey)) {
      pending = true;
      void apiRequest(historyUrl, HistoryDtoSchema, { signal: abort.signal }).then((result) => {
        pending = false;
        if (!result.ok) return;
        store.metrics.seed(seriesKey, historyPoints(result.value.samples));
        lastLength = -1;
        draw();
      });
    }
    return () => {
      abort.abort();
      if (pending) store.unmarkHistoryRequested(seriesKey); // unmounted before the answer: the next mount asks again
      unsubscribe();
      plot.destroy();
    };
  }, [store, seriesKey, historyUrl, width, height]);

  return (
    <figure className="chart">
      <div ref={host} role="img" aria-label={`${label}: CPU (solid line) and memory (dashed line), last 300 samples`} />
      <figcaption>
        <span className="legend-cpu">━ CPU</span> <span className="legend-mem">╍ Memory</span>
      </figcaption>
    </figure>
  );
}
