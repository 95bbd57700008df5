/**
 * Shared path of every act tool: build the Action (with the caller as actor), hand it to the
 * guarded executor, and turn its answer into a ToolResult: done | needs_confirmation | denied |
 * error (plus `noop`, which act tools report themselves before proposing anything).
 */
import type { Action } from '../../core/domain/action.ts';
import { jarvisError } from '../../core/errors.ts';
import { failure, success, type ToolResult } from './define-tool.ts';
import { frameClusterData } from '../../core/llm/frame.ts';
import { clean, cleanText } from './format.ts';
import type { ToolRun } from './tool-context.ts';

export type ActRequest = Omit<Action, 'actor' | 'params'> & { readonly params?: Record<string, unknown> };

/** Proposes `request` through the executor and maps the outcome. Never throws. */
export async function proposeAndReport(tool: string, request: ActRequest, run: ToolRun): Promise<ToolResult> {
  const action: Action = { ...request, params: request.params ?? {}, actor: run.context.actor };
  // The executor's own deadline ends a little before the tool's, so it can release the node lock
  // and write the audit result row before the wrapper gives up on the call.
  const timeoutMs = Math.max(1_000, run.context.timeouts.act - 1_000);
  const outcome = await run.context.executor.propose(action, { signal: run.signal, timeoutMs, tool });
  const what = `${action.kind} ${describe(action)}`;
  switch (outcome.status) {
    case 'done': {
      if (outcome.noOp) return noop(what, cleanText(outcome.summary, 200), { action: action.kind, target: action.target });
      // Task exit status and command output come from the cluster: sanitised, and the output framed.
      const task = outcome.task
        ? { upid: clean(outcome.task.upid, 200), exitstatus: outcome.task.exitstatus !== undefined ? clean(outcome.task.exitstatus, 120) : null, succeeded: outcome.task.succeeded ?? null }
        : null;
      const output = outcome.output !== undefined ? cleanText(outcome.output, 600) : undefined;
      const node = 'node' in action.target && typeof action.target.node === 'string' ? action.target.node : undefined;
      const framed = output ? frameClusterData(output, { source: `action:${action.kind}`, node, at: run.now }, 600) : undefined;
      const text = `Done: ${what}. ${cleanText(outcome.summary, 300)}${task ? ` Task ${task.exitstatus ?? 'finished'}.` : ''}${framed ? `\nOutput:\n${framed}` : ''}`;
      return success(text, { status: 'done', action: action.kind, target: action.target, task, ...(output !== undefined ? { output } : {}) });
    }
    case 'needs-confirmation':
      return success(
        `Needs confirmation: ${what} was NOT run. A human must approve ticket ${outcome.ticketId} in the dashboard or with \`jarvis approve ${outcome.ticketId}\` before ${new Date(outcome.expiresAt).toISOString()}. Plan: ${cleanText(outcome.preview, 300)}. Why: ${outcome.reasons.join('; ')}`,
        { status: 'needs_confirmation', action: action.kind, target: action.target, ticketId: outcome.ticketId, expiresAt: outcome.expiresAt, preview: cleanText(outcome.preview, 300), reasons: outcome.reasons },
      );
    case 'denied':
      return success(`Denied: ${what} was NOT run and will not be. Reasons: ${outcome.reasons.join('; ')}. Do not retry; explain this to the user.`, {
        status: 'denied',
        action: action.kind,
        target: action.target,
        reasons: outcome.reasons,
      });
    case 'error':
      return failure(tool, outcome.error);
    default:
      return failure(tool, jarvisError('INTERNAL', 'executor returned an unknown outcome'));
  }
}

/** A reported no-op (idempotent repeat): nothing proposed, nothing run. */
export function noop(what: string, why: string, data: Record<string, unknown>): ToolResult {
  return success(`No-op: ${what}: ${why}. Nothing was changed.`, { status: 'noop', reason: why, ...data });
}

function describe(action: Action): string {
  const target = action.target;
  switch (target.type) {
    case 'guest': return `vm ${target.vmid}`;
    case 'container': return `${target.host}/${target.name}`;
    case 'service': return `${target.unit} on ${target.node}`;
    case 'node': return `node ${target.node}`;
    default: return target.type;
  }
}
