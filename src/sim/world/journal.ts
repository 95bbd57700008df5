/**
 * Node journals and the cluster log: bounded, append-only, newest last. Syslog formatting follows
 * `journalctl -o short` (`Nov 25 07:23:28 agent1 pvedaemon[2201]: ...`) in UTC.
 */
import type { SimJournalEntry } from '../host-view.ts';
import type { ClusterLogEntry, NodeState } from './types.ts';

export const JOURNAL_LIMIT = 5_000;
export const CLUSTER_LOG_LIMIT = 2_000;

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Appends to a node's journal, dropping the oldest entries beyond JOURNAL_LIMIT. */
export function appendJournal(node: NodeState, entry: SimJournalEntry): void {
  node.journal.push(entry);
  if (node.journal.length > JOURNAL_LIMIT) node.journal.splice(0, node.journal.length - JOURNAL_LIMIT);
}

/** Appends to the cluster log, dropping the oldest entries beyond CLUSTER_LOG_LIMIT. */
export function appendClusterLog(log: ClusterLogEntry[], entry: ClusterLogEntry): void {
  log.push(entry);
  if (log.length > CLUSTER_LOG_LIMIT) log.splice(0, log.length - CLUSTER_LOG_LIMIT);
}

/** `Nov 25 07:23:28` for epoch seconds, UTC. */
export function syslogTime(epochSeconds: number): string {
  const date = new Date(epochSeconds * 1000);
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${MONTHS[date.getUTCMonth()]} ${pad(date.getUTCDate())} ${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}`;
}

/** One `journalctl -o short` line. */
export function syslogLine(node: string, entry: SimJournalEntry): string {
  const pid = entry.pid !== undefined ? `[${entry.pid}]` : '';
  return `${syslogTime(entry.time)} ${node} ${entry.identifier}${pid}: ${entry.message}`;
}

/** Boot-time journal lines for a fresh node. */
export function bootJournal(node: NodeState): void {
  const t = node.bootTime;
  const add = (offset: number, unit: string, identifier: string, message: string, pid?: number): void =>
    appendJournal(node, { time: t + offset, unit, identifier, pid, priority: 6, message });
  add(0, 'kernel', 'kernel', `Linux version 6.8.12-4-pve (build@proxmox) #1 SMP PREEMPT_DYNAMIC PMX 6.8.12-4`);
  add(2, 'systemd-journald', 'systemd-journald', 'Journal started', 312);
  for (const service of node.services) {
    add(service.since - t, service.unit, 'systemd', `Started ${service.unit}.service - ${service.description}.`, 1);
  }
  add(40, 'corosync', 'corosync', '[QUORUM] Members[4]: 1 2 3 4', node.services.find((s) => s.unit === 'corosync')?.mainPid);
  add(41, 'pve-cluster', 'pmxcfs', '[status] notice: node has quorum', node.services.find((s) => s.unit === 'pve-cluster')?.mainPid);
}
