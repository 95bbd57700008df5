/**
 * Text helpers for tool results sized for a 7B model: a short header written by Jarvis, the
 * cluster data as sanitised lines inside one `<cluster_data>` frame, and (when cut) a note that
 * says what was left out and how to narrow the request. Total text stays under TEXT_BUDGET.
 */
import { frameClusterData, type FrameProvenance } from '../../core/llm/frame.ts';
import { sanitizeName, sanitizeText } from '../../core/llm/sanitize.ts';

/** Upper bound (characters) of a tool's text summary. */
export const TEXT_BUDGET = 1500;

/** Sanitised single-line value for names, tags, labels (cluster-originated). */
export const clean = (value: string | undefined, max = 80): string => (value === undefined ? '' : sanitizeName(value, max));
/** Sanitised multi-line text (logs, service output). */
export const cleanText = (value: string, max = 400): string => sanitizeText(value, { maxLength: max });

/**
 * Builds `header` + framed `lines` (as many as fit) + a note naming how many lines were left out.
 * `narrow` says how to ask for less, e.g. "pass node= or a smaller limit".
 */
export function summarize(
  header: string,
  lines: readonly string[],
  provenance: FrameProvenance,
  narrow: string,
  budget = TEXT_BUDGET,
): { text: string; shown: number; omitted: number } {
  const frameOverhead = 160 + provenance.source.length;
  const noteReserve = 120 + narrow.length;
  let room = budget - header.length - frameOverhead - noteReserve;
  const kept: string[] = [];
  for (const line of lines) {
    const cost = line.length + 1;
    if (cost > room) break;
    kept.push(line);
    room -= cost;
  }
  // The estimate above can be short (escaping, long attributes): drop lines until it fits.
  for (;;) {
    const omitted = lines.length - kept.length;
    const body = kept.length > 0 ? kept.join('\n') : '(no data)';
    const framed = frameClusterData(body, provenance, budget);
    const note = omitted > 0 ? `\n${omitted} of ${lines.length} lines left out to stay short; ${narrow}.` : '';
    const text = `${header}\n${framed}${note}`;
    if (text.length <= budget || kept.length === 0) return { text, shown: kept.length, omitted };
    kept.pop();
  }
}

/** `12.3 GiB` style size. */
export function bytes(value: number | undefined): string {
  if (value === undefined || !Number.isFinite(value)) return '?';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let size = value;
  let unit = 0;
  while (size >= 1024 && unit < units.length - 1) {
    size /= 1024;
    unit += 1;
  }
  return `${size >= 10 || unit === 0 ? size.toFixed(0) : size.toFixed(1)} ${units[unit]}`;
}

/** `42%` from a used/total pair or a 0..1 fraction; `?` when unknown. */
export function percent(used: number | undefined, total?: number): string {
  if (used === undefined || !Number.isFinite(used)) return '?';
  if (total === undefined) return `${Math.round(used * 100)}%`;
  if (!total) return '?';
  return `${Math.round((used / total) * 100)}%`;
}

/** Provenance helper: `source` + optional node + time. */
export function provenance(source: string, at: number, node?: string): FrameProvenance {
  return node === undefined ? { source, at } : { source, at, node };
}
