import type { ClusterLogEntryDto, EventDto } from '../../../src/protocol/index.ts';

/** One line of the merged log: PVE's cluster log and Jarvis's own events. All text is data. */
export interface LogRow {
  readonly key: string;
  readonly at: number;
  readonly severity: EventDto['severity'];
  readonly source: 'pve' | 'jarvis';
  readonly node: string | undefined;
  /** The PVE daemon (`pvedaemon`) or the Jarvis event type (`guest-stopped`). */
  readonly label: string;
  readonly user: string | undefined;
  readonly message: string;
}

export interface LogFilter {
  readonly severity: string;
  readonly node: string;
  readonly text: string;
  /** '' all, 'pve', 'jarvis'. */
  readonly source: string;
}

export const EMPTY_LOG_FILTER: LogFilter = { severity: '', node: '', text: '', source: '' };

/** PVE cluster log entries and Jarvis events in one list, newest first. Pure. */
export function mergeLog(events: readonly EventDto[], cluster: readonly ClusterLogEntryDto[]): LogRow[] {
  const rows: LogRow[] = [
    ...cluster.map((entry, index) => ({
      key: `pve:${entry.at}:${entry.node}:${index}`,
      at: entry.at,
      severity: entry.severity,
      source: 'pve' as const,
      node: entry.node,
      label: entry.tag,
      user: entry.user || undefined,
      message: entry.message,
    })),
    ...events.map((event) => ({
      key: `jarvis:${event.id}`,
      at: event.at,
      severity: event.severity,
      source: 'jarvis' as const,
      node: event.node,
      label: event.type,
      user: undefined,
      message: event.summary,
    })),
  ];
  return rows.sort((a, b) => b.at - a.at);
}

/** Rows matching every set filter; the text matches message, label, node and user, case-insensitive. Pure. */
export function filterLog(rows: readonly LogRow[], filter: LogFilter): LogRow[] {
  const needle = filter.text.trim().toLowerCase();
  return rows.filter(
    (row) =>
      (!filter.severity || row.severity === filter.severity) &&
      (!filter.node || row.node === filter.node) &&
      (!filter.source || row.source === filter.source) &&
      (!needle || `${row.message} ${row.label} ${row.node ?? ''} ${row.user ?? ''}`.toLowerCase().includes(needle)),
  );
}
