import { describe, expect, it } from 'vitest';
import type { ClusterLogEntryDto, EventDto } from '../../../src/protocol/index.ts';
import { EMPTY_LOG_FILTER, filterLog, mergeLog } from './cluster-log-view.ts';

const pve = (at: number, node: string, severity: ClusterLogEntryDto['severity'], message: string): ClusterLogEntryDto => ({
  at,
  node,
  severity,
  tag: 'pvedaemon',
  user: 'root@pam',
  message,
});
const event = (id: number, at: number, summary: string, node?: string): EventDto => ({
  id,
  at,
  type: 'guest-stopped',
  severity: 'warning',
  source: 'cluster',
  summary,
  ...(node ? { node } : {}),
});

describe('cluster log view', () => {
  const rows = mergeLog(
    [event(1, 2_000, 'guest 101 stopped', 'agent')],
    [pve(3_000, 'pve', 'info', 'starting task qmstart'), pve(1_000, 'Home', 'critical', 'corosync lost')],
  );

  it("merges PVE's cluster log with Jarvis's events, newest first, keeping their source", () => {
    expect(rows.map((row) => [row.source, row.message])).toEqual([
      ['pve', 'starting task qmstart'],
      ['jarvis', 'guest 101 stopped'],
      ['pve', 'corosync lost'],
    ]);
  });

  it('filters by severity, node, source and text (message, daemon, node, user)', () => {
    expect(filterLog(rows, { ...EMPTY_LOG_FILTER, severity: 'critical' }).map((row) => row.message)).toEqual(['corosync lost']);
    expect(filterLog(rows, { ...EMPTY_LOG_FILTER, node: 'agent' }).map((row) => row.message)).toEqual(['guest 101 stopped']);
    expect(filterLog(rows, { ...EMPTY_LOG_FILTER, source: 'pve', text: 'QMSTART' }).map((row) => row.message)).toEqual(['starting task qmstart']);
    expect(filterLog(rows, { ...EMPTY_LOG_FILTER, text: 'root@pam' })).toHaveLength(2);
  });
});
