/**
 * The parts of the monitor's analysis prompt: the system text, each incident framed with the
 * snapshot entries it concerns (frameClusterData), and what Jarvis remembers about the incidents'
 * guests and nodes, cut to the memory share of the gateway's context budget. Cluster text and
 * memory are data in the prompt, never instructions.
 */
import type { Alert } from '../../core/anomaly/index.ts';
import type { ClusterSnapshot } from '../../core/domain/index.ts';
import { toJarvisError } from '../../core/errors.ts';
import { frameClusterData, FRAME_NOTICE } from '../../core/llm/frame.ts';
import type { MonitorDeps } from './monitor-types.ts';

/** The analysis's system prompt: summarise, never claim to act. */
export const ANALYSIS_SYSTEM =
  'You are Jarvis, the operator of a Proxmox VE homelab. Summarise the incident below for the owner in at most 5 short lines: what is wrong, the likely cause, and what a human could check next. You cannot act; never claim to have done anything. ' +
  FRAME_NOTICE;

/** Each alert with the snapshot entries it concerns (its node, guest, quorum, storage, failed units), framed. */
export function framedContext(
  alerts: readonly Alert[],
  now: number,
  snapshot: ClusterSnapshot | undefined,
  failedUnits: Readonly<Record<string, readonly string[]>>,
): string {
  return alerts
    .map((alert) => {
      const related: Record<string, unknown> = {
        alert: {
          rule: alert.rule,
          target: alert.target,
          severity: alert.severity,
          title: alert.title,
          facts: alert.facts,
          openForMinutes: Math.round((now - alert.firstSeen) / 60_000),
          count: alert.count,
        },
      };
      const node = typeof alert.facts['node'] === 'string' ? alert.facts['node'] : alert.target.startsWith('node:') ? alert.target.split(':')[1] : undefined;
      const vmid =
        typeof alert.facts['vmid'] === 'number' ? alert.facts['vmid'] : alert.target.startsWith('guest:') ? Number(alert.target.split(':')[1]) : undefined;
      if (snapshot) {
        if (node) related['node'] = snapshot.nodes.find((entry) => entry.name === node);
        if (vmid !== undefined) related['guest'] = snapshot.guests.find((entry) => entry.vmid === vmid);
        if (alert.rule === 'quorum-lost' || alert.rule === 'quorum-at-edge') related['quorum'] = snapshot.quorum;
        if (alert.rule === 'storage-full') related['storage'] = snapshot.storage.filter((entry) => entry.node === node);
      }
      if (alert.rule === 'unit-failed' && node) related['failedUnits'] = failedUnits[node];
      return frameClusterData(JSON.stringify(related), { source: `monitor:${alert.rule}`, node, at: now }, 4000);
    })
    .join('\n');
}

/** Memory keys of an alert's target: its guest and its node (`vm:102`, `node:pve`). */
export function memoryEntities(alert: Alert): string[] {
  const node = typeof alert.facts['node'] === 'string' ? alert.facts['node'] : alert.target.startsWith('node:') ? alert.target.slice(5) : undefined;
  const vmid = typeof alert.facts['vmid'] === 'number' ? alert.facts['vmid'] : /^(?:guest|backup):(\d+)$/.exec(alert.target)?.[1];
  return [...(vmid !== undefined ? [`vm:${vmid}`] : []), ...(node ? [`node:${node}`] : [])];
}

/**
 * The memory block of the prompt: per alert, within its part of `memoryShare` (default 0.5) of the
 * context the gateway leaves after `incidents`. Empty without memory or budget. Never throws.
 */
export async function memoryContext(
  deps: Pick<MonitorDeps, 'memory' | 'gateway' | 'logger'>,
  memoryShare: number | undefined,
  alerts: readonly Alert[],
  incidents: string,
): Promise<string> {
  if (!deps.memory || !deps.gateway?.contextBudget) return '';
  const share = Math.min(1, Math.max(0, memoryShare ?? 0.5));
  const budget = Math.floor(
    deps.gateway.contextBudget({
      class: 'background',
      category: 'routine',
      system: ANALYSIS_SYSTEM,
      messages: [{ role: 'user', content: incidents }],
      maxOutputTokens: 300,
    }) * share,
  );
  const each = Math.floor(budget / Math.max(1, alerts.length));
  if (each <= 0) return '';
  const blocks: string[] = [];
  for (const alert of alerts) {
    try {
      const selected = await deps.memory.selectForPrompt({ text: alert.title, entities: memoryEntities(alert), budgetTokens: each });
      if (selected.text) blocks.push(selected.text);
    } catch (error) {
      deps.logger.warn({ error: toJarvisError(error).message }, 'monitor analysis: memory unavailable');
    }
  }
  return blocks.length > 0 ? `\nWhat Jarvis remembers about these targets:\n${blocks.join('\n')}` : '';
}
