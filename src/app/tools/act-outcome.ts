/**
 * Shared path of every act tool: build the Action (with the caller as actor), hand it to the
 * guarded executor, and turn its answer into a ToolResult whose data carries the outcome's own
 * spellings: status done (with `noOp`) | needs-confirmation | denied | error. A no-op an act tool
 * finds itself before proposing anything is `done` with `noOp: true` too.
 */
import { describeTarget, type Action } from '../../core/domain/action.ts';
import { guestTypeIn } from '../../core/domain/guest-name.ts';
import { jarvisError } from '../../core/errors.ts';
import { failure, success, type ToolResult } from './define-tool.ts';
import { frameClusterData } from '../../core/llm/frame.ts';
import { clean, cleanText } from './format.ts';
import type { ToolRun } from './tool-context.ts';
import { previewOf } from '../actions/outcome-wire.ts';

export type ActRequest = Omit<Action, 'actor' | 'params'> & { readonly params?: Record<string, unknown> };

/** Frames kernel and cluster text (previews, reasons, summaries with guest names, output) for the model. */
function dataBlock(lines: readonly string[], action: Action, run: ToolRun, maxLength = 1200): string {
  const node = 'node' in action.target && typeof action.target.node === 'string' ? action.target.node : undefined;
  return frameClusterData(lines.join('\n'), { source: `jarvis:kernel:${action.kind}`, node, at: run.now }, maxLength);
}

/** Proposes `request` through the executor and maps the outcome. Never throws. */
export async function proposeAndReport(tool: string, request: ActRequest, run: ToolRun): Promise<ToolResult> {
  const action: Action = { ...request, params: request.params ?? {}, actor: run.context.actor };
  // The executor's own deadline ends a little before the tool's, so it can release the node lock
  // and write the audit result row before the wrapper gives up on the call.
  const timeoutMs = Math.max(1_000, run.context.timeouts.act - 1_000);
  const outcome = await run.context.executor.propose(action, { signal: run.signal, timeoutMs, tool });
  const what = `${action.kind} ${describe(action, outcome.decision?.targetLabel, run)}`;
  switch (outcome.status) {
    case 'done': {
      if (outcome.noOp) return noop(what, cleanText(outcome.summary, 200), { action: action.kind, target: action.target }, run);
      // Task exit status and command output come from the cluster: sanitised, and framed.
      const task = outcome.task
        ? {
            upid: clean(outcome.task.upid, 200),
            exitstatus: outcome.task.exitstatus !== undefined ? clean(outcome.task.exitstatus, 120) : null,
            succeeded: outcome.task.succeeded ?? null,
          }
        : null;
      const output = outcome.output !== undefined ? cleanText(outcome.output, 600) : undefined;
      // One frame: the runner's summary (it can name the guest), the task's exit status, the output.
      const node = 'node' in action.target && typeof action.target.node === 'string' ? action.target.node : undefined;
      const lines = [`Result: ${cleanText(outcome.summary, 300)}`, ...(task ? [`Task: ${task.exitstatus ?? 'finished'}`] : []), ...(output ? [output] : [])];
      const text =
        output !== undefined
          ? `Done: ${what}.\nOutput:\n${frameClusterData(lines.join('\n'), { source: `action:${action.kind}`, node, at: run.now }, 1200)}`
          : `Done: ${what}.\n${dataBlock(lines, action, run)}`;
      return success(text, { status: 'done', noOp: false, action: action.kind, target: action.target, task, ...(output !== undefined ? { output } : {}) });
    }
    case 'needs-confirmation': {
      const { id: ticketId, expiresAt, reasons } = outcome.approval;
      const preview = previewOf(outcome.approval);
      return success(
        `Needs confirmation: ${what} was NOT run. A human must approve ticket ${ticketLabel(ticketId)} in the dashboard or with \`jarvis approve ${ticketLabel(ticketId)}\` before ${new Date(expiresAt).toISOString()}.\n${dataBlock([`Ticket: ${ticketId}`, `Plan: ${cleanText(preview, 300)}`, `Why: ${reasons.join('; ')}`], action, run)}`,
        { status: 'needs-confirmation', action: action.kind, target: action.target, ticketId, expiresAt, preview: cleanText(preview, 300), reasons },
      );
    }
    case 'denied':
      return success(
        `Denied: ${what} was NOT run and will not be. Do not retry; explain the reasons to the user.\n${dataBlock([`Reasons: ${outcome.reasons.join('; ')}`], action, run)}`,
        {
          status: 'denied',
          action: action.kind,
          target: action.target,
          reasons: outcome.reasons,
        },
      );
    case 'error':
      return failure(tool, outcome.error);
    default:
      return failure(tool, jarvisError('INTERNAL', 'executor returned an unknown outcome'));
  }
}

/**
 * A reported no-op (idempotent repeat): nothing run. Status `done` with `noOp: true`, as the
 * executor says it. `why` may quote the cluster: framed.
 */
export function noop(what: string, why: string, data: Record<string, unknown>, run?: ToolRun): ToolResult {
  if (!run) return success(`No-op: ${what}: ${why}. Nothing was changed.`, { status: 'done', noOp: true, reason: why, ...data });
  return success(`No-op: ${what}. Nothing was changed.\n${frameClusterData(`Why: ${why}`, { source: 'jarvis:noop', at: run.now }, 400)}`, {
    status: 'done',
    noOp: true,
    reason: why,
    ...data,
  });
}

/**
 * A ticket id outside the frame only when it is id-shaped: Jarvis writes UUIDs; a short lowercase
 * prefix and a number (`t7`, `ticket-12`) also passes. Anything else, 't-PWNED' included, stays in
 * the frame, so no id can carry words into the model's unframed text.
 */
const ID_SHAPED = /^(?:[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|[a-z]{1,8}-?[0-9]{1,12})$/;
function ticketLabel(id: string): string {
  return ID_SHAPED.test(id) ? id : '(id in the data below)';
}

/** Only names that cannot carry instructions appear outside a frame (they were validated as names). */
const SAFE_LABEL = /^[A-Za-z0-9@._:/ -]{1,160}$/;

/**
 * The target as the kernel named it (`CT 207`, `VM 103`: decision.targetLabel), else named from
 * the last snapshot (describeTarget, the same function).
 */
function describe(action: Action, decided: string | undefined, run: ToolRun): string {
  const target = action.target;
  const label = decided ?? describeTarget(target, target.type === 'guest' ? guestTypeIn(run.context.snapshot()?.guests, target.vmid) : undefined);
  return SAFE_LABEL.test(label) ? label : `${action.target.type} (name shown in the data below)`;
}
