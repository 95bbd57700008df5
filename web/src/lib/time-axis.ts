/**
 * Labels of the history chart's time axis, one line each (uPlot's default draws the date on a
 * second line, which a 30 px axis clips: a week read "12am 12pm…" with no date). The date is
 * written whenever the range spans days: day, week and month show "Dec 2 14:00" / "Dec 2", the
 * year "Dec 2 '25"; the hour shows "14:05". Local time, like the legend.
 */
export type AxisTimeframe = 'hour' | 'day' | 'week' | 'month' | 'year';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const two = (value: number) => String(value).padStart(2, '0');

/** One tick label for `epochSeconds` on a chart of `timeframe`. */
export function timeAxisLabel(timeframe: AxisTimeframe, epochSeconds: number): string {
  const at = new Date(epochSeconds * 1000);
  const clock = `${two(at.getHours())}:${two(at.getMinutes())}`;
  const date = `${MONTHS[at.getMonth()]} ${at.getDate()}`;
  switch (timeframe) {
    case 'hour':
      return clock;
    case 'day':
    case 'week':
      return `${date} ${clock}`;
    case 'month':
      return date;
    case 'year':
      return `${date} '${two(at.getFullYear() % 100)}`;
  }
}

/** Minimum px between ticks so the labels of `timeframe` never overlap (uPlot's `space`). */
export function timeAxisSpace(timeframe: AxisTimeframe): number {
  return timeframe === 'hour' ? 50 : timeframe === 'month' ? 60 : 100;
}
