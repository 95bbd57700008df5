/** manage_docker: list containers, read a container's log, or start/stop/restart one (act). */
import { z } from 'zod';
import { jarvisError } from '../../core/errors.ts';
import { defineTool, failure, success } from './define-tool.ts';
import { nameField } from './fields.ts';
import { noop, proposeAndReport } from './act-outcome.ts';
import { clean, cleanText, provenance, summarize } from './format.ts';

/** A restart this recent (seconds) of a running container makes another restart a no-op. */
export const RECENT_RESTART_S = 120;
const CONTAINER_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,127}$/;

export const manageDocker = defineTool({
  name: 'manage_docker',
  title: 'Manage Docker containers',
  description: 'Docker containers on the management VM: list, logs, start, stop, restart (safety rules decide).',
  category: 'act',
  input: z.object({ action: z.enum(['list', 'logs', 'start', 'stop', 'restart']), container: nameField(CONTAINER_NAME, 'container').optional() }),
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: false },
  timeout: 'docker',
  needs: ['docker'],
  async handler(input, run) {
    const docker = run.context.docker;
    const host = run.context.defaultDockerHost;
    if (!docker)
      return failure(
        'manage_docker',
        jarvisError('DOCKER_UNREACHABLE', 'Docker is not configured', { retryable: false, hint: 'set docker.* in the config file (socket proxy or SSH)' }),
      );
    const options = { signal: run.signal, timeoutMs: run.context.timeouts.docker };
    const source = `docker:${host}`;
    if (input.action === 'list') {
      const list = await docker.listContainers(host, { ...options, all: true });
      if (!list.ok) return failure('manage_docker', list.error);
      const containers = list.value.map((c) => ({
        name: clean(c.name, 60),
        image: clean(c.image, 80),
        state: clean(c.state, 20),
        status: clean(c.status, 60),
      }));
      const lines = containers.map((c) => `${c.name} [${c.image}] ${c.state}: ${c.status}`);
      const summary = summarize(
        `${containers.length} container(s) on ${host}:`,
        lines,
        provenance(`${source}:/containers/json`, run.now),
        'ask for one container with action=logs',
      );
      return success(summary.text, { host, containers: containers.slice(0, summary.shown), omitted: summary.omitted });
    }
    if (!input.container)
      return failure(
        'manage_docker',
        jarvisError('INVALID_INPUT', `action ${input.action} needs container`, { hint: 'call action=list first to see the names' }),
      );
    if (input.action === 'logs') {
      const logs = await docker.containerLogs(host, input.container, { ...options, tail: 40 });
      if (!logs.ok) return failure('manage_docker', logs.error);
      const lines = logs.value.lines.map((line) => cleanText(line.text, 300).replace(/\n/g, ' ')).reverse();
      const summary = summarize(
        `Last ${lines.length} log line(s) of ${input.container} on ${host}, newest first:`,
        lines,
        provenance(`${source}:/containers/${input.container}/logs`, run.now),
        'ask for fewer lines',
      );
      return success(summary.text, { host, container: input.container, lines: lines.slice(0, summary.shown), omitted: summary.omitted });
    }
    const inspected = await docker.inspectContainer(host, input.container, options);
    if (!inspected.ok) return failure('manage_docker', inspected.error);
    const current = inspected.value;
    const startedAt = current.startedAt ? Date.parse(current.startedAt) / 1000 : undefined;
    const data = { action: `container.${input.action}`, target: { type: 'container', host, name: current.name }, state: clean(current.state, 20) };
    const nowS = Math.floor(run.now / 1000);
    if (input.action === 'start' && current.state === 'running') return noop(`start ${input.container}`, 'it is already running', data);
    if (input.action === 'stop' && (current.state === 'exited' || current.state === 'created'))
      return noop(`stop ${input.container}`, 'it is already stopped', data);
    if (input.action === 'restart' && current.state === 'running' && startedAt !== undefined && startedAt > 0 && nowS - startedAt < RECENT_RESTART_S) {
      return noop(`restart ${input.container}`, `it was (re)started ${Math.round(nowS - startedAt)}s ago and is running`, data);
    }
    return proposeAndReport(
      'manage_docker',
      { kind: `container.${input.action}`, target: { type: 'container', host, name: current.name }, reason: `manage_docker ${input.action} ${current.name}` },
      run,
    );
  },
});
