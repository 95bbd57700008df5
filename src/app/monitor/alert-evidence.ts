/**
 * The "relevant tool output" of an incident for the analysis prompt: a few lines from the reads
 * Jarvis already has, chosen by rule, each framed as cluster data (frameClusterData, the one
 * framing function for model-facing text) and capped. guest-crashed: the guest's recent tasks and
 * the newest one's log; backup-failed: the failed vzdump's log; unit-failed: the unit's journal
 * (the `journal` diagnostic over SSH); container-restart-loop: the container's log tail. One read
 * per incident at most, only when an analysis runs. Never throws: a failed read is left out.
 */
import type { Alert, TaskView } from '../../core/anomaly/index.ts';
import { toJarvisError } from '../../core/errors.ts';
import { frameClusterData } from '../../core/llm/frame.ts';
import type { ClusterApi } from '../../core/ports/cluster.ts';
import type { DockerApi } from '../../core/ports/docker.ts';
import type { Logger } from '../../core/ports/logger.ts';
import type { ShellRunner } from '../../core/ports/shell.ts';
import { renderCommand } from '../../core/safety/command-catalogue.ts';

export interface EvidenceDeps {
  readonly cluster: Partial<Pick<ClusterApi, 'taskLog'>>;
  readonly shell?: Pick<ShellRunner, 'run'> | undefined;
  readonly docker?: Partial<Pick<DockerApi, 'containerLogs'>> | undefined;
  readonly logger: Logger;
}

/** Characters of tool output per incident (the alert's own block is capped separately). */
export const EVIDENCE_MAX_CHARS = 1500;
const LINES = 20;

const taskLine = (task: TaskView): string =>
  `${new Date(task.startedAt).toISOString()} ${task.type} on ${task.node} by ${task.byJarvis ? 'jarvis' : 'PVE user'}: ${task.status}`;

/** The framed tool output for one alert, or '' when its rule has none or the read failed. */
export async function alertEvidence(alert: Alert, tasks: readonly TaskView[], deps: EvidenceDeps, now: number): Promise<string> {
  try {
    const text = await evidenceText(alert, tasks, deps, now);
    return text ? frameClusterData(text.body, { source: text.source, node: text.node, at: now }, EVIDENCE_MAX_CHARS) : '';
  } catch (error) {
    deps.logger.warn({ error: toJarvisError(error).message, alert: alert.id }, 'monitor analysis: tool output not read');
    return '';
  }
}

async function taskLogOf(task: TaskView | undefined, deps: EvidenceDeps): Promise<string[]> {
  if (!task || !deps.cluster.taskLog || !task.id.startsWith('UPID:')) return [];
  const log = await deps.cluster.taskLog({ upid: task.id, node: task.node }, { limit: 500 });
  return log.ok ? log.value.lines.slice(-LINES).map((line) => line.t) : [];
}

async function evidenceText(
  alert: Alert,
  tasks: readonly TaskView[],
  deps: EvidenceDeps,
  now: number,
): Promise<{ source: string; node?: string | undefined; body: string } | undefined> {
  const node = typeof alert.facts['node'] === 'string' ? alert.facts['node'] : undefined;
  switch (alert.rule) {
    case 'guest-crashed': {
      const vmid = alert.facts['vmid'];
      const recent = tasks
        .filter((task) => task.vmid === vmid)
        .sort((a, b) => b.startedAt - a.startedAt)
        .slice(0, 5);
      if (recent.length === 0) return { source: 'pve:tasks', node, body: `No PVE task of guest ${String(vmid)} in the recent task list.` };
      const log = await taskLogOf(recent[0], deps);
      const body = [`Recent tasks of guest ${String(vmid)}:`, ...recent.map(taskLine), ...(log.length > 0 ? ['Log of the newest:', ...log] : [])];
      return { source: 'pve:tasks', node, body: body.join('\n') };
    }
    case 'backup-failed': {
      const target = String(alert.facts['target'] ?? '');
      const failed = tasks
        .filter((task) => task.type === 'vzdump' && task.status !== 'OK' && task.status !== 'running' && String(task.vmid ?? `node-${task.node}`) === target)
        .sort((a, b) => b.startedAt - a.startedAt)[0];
      const log = await taskLogOf(failed, deps);
      return log.length > 0 ? { source: 'pve:task-log', node: failed?.node, body: log.join('\n') } : undefined;
    }
    case 'unit-failed': {
      const unit = String(alert.facts['unit'] ?? '');
      if (!deps.shell || !node || !unit) return undefined;
      const command = renderCommand({ id: 'journal', params: { unit, since: '1h', lines: LINES } }, { now });
      if (!command.ok) return undefined;
      const result = await deps.shell.run(node, command.value);
      return result.ok ? { source: `ssh:journal:${unit}`, node, body: result.value.stdout.split('\n').slice(-LINES).join('\n') } : undefined;
    }
    case 'container-restart-loop': {
      const host = String(alert.facts['host'] ?? '');
      const container = String(alert.facts['container'] ?? '');
      if (!deps.docker?.containerLogs || !host || !container) return undefined;
      const logs = await deps.docker.containerLogs(host, container, { tail: LINES, maxBytes: 8192 });
      return logs.ok ? { source: `docker:logs:${container}`, node: host, body: logs.value.lines.map((line) => line.text).join('\n') } : undefined;
    }
    default:
      return undefined;
  }
}
