/** check_cluster_health: one deterministic health verdict for the whole cluster (read). */
import { guestName } from '../../core/domain/guest-name.ts';
import { z } from 'zod';
import type { ClusterSnapshot } from '../../core/domain/cluster.ts';
import { defineTool, failure, READ_ANNOTATIONS, success } from './define-tool.ts';
import { clean, percent, provenance, summarize } from './format.ts';

const STORAGE_WARN = 0.85;
const MEMORY_WARN = 0.9;
const CPU_WARN = 0.9;

/** Findings computed in code (the model only explains them). Exported for tests. */
export function healthIssues(snapshot: ClusterSnapshot): string[] {
  const issues: string[] = [];
  const quorum = snapshot.quorum;
  if (!quorum.quorate) issues.push(`QUORUM LOST: ${quorum.votesOnline}/${quorum.votesTotal} votes, need ${quorum.votesNeeded}`);
  else if (quorum.votesOnline - 1 < quorum.votesNeeded)
    issues.push(`quorum at risk: losing one more node breaks it (${quorum.votesOnline}/${quorum.votesTotal} votes)`);
  for (const node of snapshot.nodes) {
    const name = clean(node.name, 40);
    if (node.status !== 'online') issues.push(`node ${name} is ${node.status}`);
    if (node.mem !== undefined && node.maxmem && node.mem / node.maxmem >= MEMORY_WARN) issues.push(`node ${name} memory ${percent(node.mem, node.maxmem)}`);
    if (node.cpu !== undefined && node.cpu >= CPU_WARN) issues.push(`node ${name} cpu ${percent(node.cpu)}`);
    if (node.disk !== undefined && node.maxdisk && node.disk / node.maxdisk >= STORAGE_WARN)
      issues.push(`node ${name} root disk ${percent(node.disk, node.maxdisk)}`);
  }
  for (const storage of snapshot.storage) {
    if (storage.used !== undefined && storage.total && storage.used / storage.total >= STORAGE_WARN) {
      issues.push(`storage ${clean(storage.storage, 40)} on ${clean(storage.node, 40)} ${percent(storage.used, storage.total)} full`);
    }
  }
  for (const guest of snapshot.guests) {
    if (guest.lock) issues.push(`${guestName(guest.type, guest.vmid)} locked (${clean(guest.lock, 20)})`);
    if (guest.hastate === 'error' || guest.hastate === 'fence') issues.push(`${guestName(guest.type, guest.vmid)} HA state ${guest.hastate}`);
  }
  return issues;
}

export const checkClusterHealth = defineTool({
  name: 'check_cluster_health',
  title: 'Check cluster health',
  description: 'Whole-cluster health: quorum, nodes, guests, full storage, issues. Use first for "is all ok?"',
  category: 'read',
  input: z.object({}),
  annotations: READ_ANNOTATIONS,
  timeout: 'read',
  needs: ['pve'],
  async handler(_input, run) {
    const read = await run.context.cluster.readSnapshot({ signal: run.signal, timeoutMs: run.context.timeouts.read });
    if (!read.ok) return failure('check_cluster_health', read.error);
    const snapshot = read.value;
    const issues = healthIssues(snapshot);
    const online = snapshot.nodes.filter((node) => node.status === 'online').length;
    const running = snapshot.guests.filter((guest) => guest.status === 'running').length;
    const verdict = issues.length === 0 ? 'healthy' : snapshot.quorum.quorate ? 'degraded' : 'critical';
    const header = `Cluster ${verdict}: ${snapshot.quorum.quorate ? 'quorate' : 'NOT quorate'} (${snapshot.quorum.votesOnline}/${snapshot.quorum.votesTotal} votes), nodes ${online}/${snapshot.nodes.length} online, guests ${running}/${snapshot.guests.length} running, ${issues.length} issue(s).`;
    const nodeLines = snapshot.nodes.map(
      (node) => `node ${clean(node.name, 40)}: ${node.status}, cpu ${percent(node.cpu)}, mem ${percent(node.mem, node.maxmem)}`,
    );
    const lines = [...issues.map((issue) => `ISSUE ${issue}`), ...nodeLines];
    const summary = summarize(header, lines, provenance('pve:/cluster/resources', snapshot.takenAt), 'use get_resource_usage with node= for details');
    return success(summary.text, {
      verdict,
      quorum: snapshot.quorum,
      issues,
      nodes: snapshot.nodes.map((node) => ({
        name: clean(node.name, 40),
        status: node.status,
        cpu: node.cpu ?? null,
        mem: node.mem ?? null,
        maxmem: node.maxmem ?? null,
      })),
      guests: { total: snapshot.guests.length, running },
      takenAt: snapshot.takenAt,
    });
  },
});
