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

/** Routine journal lines of the last three hours (cron, sshd logins from the management VM, pveproxy workers, chrony). */
export function recentJournal(node: NodeState, nowSec: number, prng: { int(min: number, max: number): number }): void {
  const pidOf = (unit: string): number | undefined => node.services.find((service) => service.unit === unit)?.mainPid;
  for (let t = nowSec - 3 * 3600 + prng.int(0, 600); t < nowSec; t += prng.int(300, 1500)) {
    const choice = prng.int(0, 3);
    const pid = prng.int(10_000, 99_999);
    if (choice === 0) {
      appendJournal(node, {
        time: t,
        unit: 'cron',
        identifier: 'CRON',
        pid,
        priority: 6,
        message: 'pam_unix(cron:session): session opened for user root(uid=0) by (uid=0)',
      });
      appendJournal(node, { time: t + 1, unit: 'cron', identifier: 'CRON', pid, priority: 6, message: 'pam_unix(cron:session): session closed for user root' });
    } else if (choice === 1) {
      appendJournal(node, {
        time: t,
        unit: 'sshd',
        identifier: 'sshd',
        pid,
        priority: 6,
        message: `Accepted publickey for root from 192.168.1.65 port ${prng.int(40_000, 60_000)} ssh2: ED25519 SHA256:jarvisManagementKey`,
      });
      appendJournal(node, { time: t + 2, unit: 'sshd', identifier: 'sshd', pid, priority: 6, message: 'pam_unix(sshd:session): session closed for user root' });
    } else if (choice === 2) {
      appendJournal(node, { time: t, unit: 'pveproxy', identifier: 'pveproxy', pid: pidOf('pveproxy'), priority: 6, message: `worker ${pid} finished` });
      appendJournal(node, { time: t, unit: 'pveproxy', identifier: 'pveproxy', pid: pidOf('pveproxy'), priority: 6, message: 'starting 1 worker(s)' });
    } else {
      appendJournal(node, {
        time: t,
        unit: 'chrony',
        identifier: 'chronyd',
        pid: pidOf('chrony'),
        priority: 6,
        message: `Selected source 192.168.1.1 (ntp.homelab)`,
      });
    }
  }
}
