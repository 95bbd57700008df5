/**
 * ActionRunners for the act tools' non-PVE kinds, for the composition root to route next to
 * app/actions' PVE runners: container.start/stop/restart through the DockerApi port, and the
 * SSH remediations (cleanup.temp, and service.restart for units PVE's service API does not know)
 * through ShellRunner.doRun with a catalogue-rendered command. Only the guarded executor calls them.
 */
import type { Action } from '../../core/domain/action.ts';
import { err, jarvisError, ok } from '../../core/errors.ts';
import type { DockerApi } from '../../core/ports/docker.ts';
import type { ShellRunner } from '../../core/ports/shell.ts';
import { renderCommand } from '../../core/safety/command-catalogue.ts';
import type { ResolvedTarget } from '../../core/safety/resolve-target.ts';
import type { ActionRunner } from '../actions/action-runner.ts';
import { checkDockerHost, decidedNode, type LiveIdentity } from '../actions/live-identity.ts';
import { cleanText } from './format.ts';

/**
 * container.start/stop/restart; an unchanged container (start of a running one) is a no-op. With
 * `live` and `dockerHosts` (host -> VMID), a Docker host whose VM left the node the kernel resolved
 * is refused (DENIED), not re-resolved.
 */
export function dockerActionRunner(
  docker: DockerApi,
  options: { timeoutMs?: number; live?: LiveIdentity; dockerHosts?: Readonly<Record<string, number>> } = {},
): ActionRunner {
  return {
    async doRun(action: Action, signal: AbortSignal, resolved?: ResolvedTarget) {
      if (action.target.type !== 'container') return err(jarvisError('INVALID_INPUT', `${action.kind} needs a container target`));
      const verb = action.kind.split('.')[1];
      if (verb !== 'start' && verb !== 'stop' && verb !== 'restart') return err(jarvisError('INVALID_INPUT', `${action.kind} is not a container action`));
      const host = await checkDockerHost(action.target.host, resolved, options.dockerHosts, options.live, signal);
      if (!host.ok) return host;
      const result = await docker.doContainerAction(action.target.host, action.target.name, verb, { signal, timeoutMs: options.timeoutMs });
      if (!result.ok) return result;
      const { before, after, changed } = result.value;
      return ok({ summary: `${verb} ${action.target.host}/${action.target.name}: ${before} -> ${after}`, noOp: !changed });
    },
  };
}

/**
 * cleanup.temp (params.path) and service.restart (target unit) over SSH via the command catalogue,
 * on the node the kernel resolved; with `live`, a node no longer online is refused (DENIED).
 */
export function shellRemediationRunner(
  shell: ShellRunner,
  clock: { now(): number },
  options: { timeoutMs?: number; restartableUnits?: readonly string[]; live?: LiveIdentity } = {},
): ActionRunner {
  return {
    async doRun(action: Action, signal: AbortSignal, resolved?: ResolvedTarget) {
      const target = action.target;
      const shape =
        action.kind === 'cleanup.temp' && target.type === 'node'
          ? { id: 'clear_temp', params: { path: action.params.path } }
          : action.kind === 'service.restart' && target.type === 'service'
            ? { id: 'service_restart', params: { unit: target.unit } }
            : undefined;
      if (!shape) return err(jarvisError('INVALID_INPUT', `${action.kind} is not an SSH remediation`));
      const node = await decidedNode(action, resolved, options.live, signal);
      if (!node.ok) return node;
      const request = { node: node.value, ...shape };
      const command = renderCommand({ id: request.id, params: request.params }, { now: clock.now(), restartableUnits: options.restartableUnits });
      if (!command.ok) return command;
      const result = await shell.doRun(request.node, command.value, { signal, timeoutMs: options.timeoutMs });
      if (!result.ok) return result;
      if (result.value.exitCode !== 0) {
        return err(
          jarvisError('SSH_COMMAND_FAILED', `${request.id} on ${request.node} exited ${result.value.exitCode}`, {
            details: { stderr: cleanText(result.value.stderr, 300) },
          }),
        );
      }
      return ok({ summary: `${request.id} on ${request.node}: exit 0`, output: result.value.stdout });
    },
  };
}
