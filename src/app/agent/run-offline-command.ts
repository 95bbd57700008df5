/**
 * Runs what the offline parser understood, through the same layers as everything else: a tool via
 * runTool (kernel, audit), a ticket decision via the approvals service (the signed-in human
 * decides; the trust rules apply there), the emergency stop via the freeze switch. The actor is
 * the human who typed the request: no model was involved.
 */
import type { OfflineCommand } from '../../core/agent/offline/index.ts';
import type { Actor } from '../../core/domain/action.ts';
import type { JarvisError, Result } from '../../core/errors.ts';
import type { ToolCard } from '../../protocol/chat.ts';
import type { ActionOutcome } from '../../protocol/outcome.ts';
import { runTool, type AnyToolDefinition, type ToolContext } from '../tools/index.ts';
import type { Principal } from '../auth/roles.ts';
import { humanText, toolCard } from './tool-card.ts';

export interface OfflineRunDeps {
  readonly tools: readonly AnyToolDefinition[];
  readonly toolContext: (actor: Actor) => ToolContext;
  /** Approves through the approvals service: the action's outcome (ActionOutcome), as the dashboard gets it. */
  readonly approve?: ((ticketId: string, by: Principal) => Promise<Result<ActionOutcome, JarvisError>>) | undefined;
  readonly reject?: ((ticketId: string, by: Principal, reason: string | undefined) => Promise<Result<unknown, JarvisError>>) | undefined;
  readonly freeze?: ((by: Principal, reason: string) => Promise<Result<unknown, JarvisError>>) | undefined;
}

export interface OfflineRunResult {
  readonly text: string;
  readonly cards: readonly ToolCard[];
  readonly needsConfirmation: boolean;
}

export async function runOfflineCommand(
  deps: OfflineRunDeps,
  command: OfflineCommand,
  principal: Principal,
  callId: string,
  signal?: AbortSignal,
): Promise<OfflineRunResult> {
  switch (command.kind) {
    case 'tool': {
      const tool = deps.tools.find((candidate) => candidate.name === command.tool);
      if (!tool) return { text: `The ${command.tool} tool is not available here.`, cards: [], needsConfirmation: false };
      const actor: Actor = { kind: 'user', id: principal.name.slice(0, 128) };
      const result = await runTool(tool, command.input, deps.toolContext(actor), signal);
      const card = toolCard(callId, tool.name, command.input, tool.category, result);
      const body = result.ok
        ? humanText(result.text, 1500)
        : `${result.error.code}: ${result.error.error}${result.error.hint ? ` (${result.error.hint})` : ''}`;
      return { text: `Understood: ${command.understood}.\n${body}`, cards: [card], needsConfirmation: card.verdict === 'needs-confirmation' };
    }
    case 'ticket': {
      if (principal.kind !== 'user')
        return { text: 'Only a signed-in human can approve or reject tickets; API tokens cannot.', cards: [], needsConfirmation: false };
      const decide = command.decision === 'approve' ? deps.approve?.(command.ticketId, principal) : deps.reject?.(command.ticketId, principal, command.reason);
      if (!decide) return { text: 'Approvals are not available in this setup.', cards: [], needsConfirmation: false };
      const result = await decide;
      if (!result.ok) return { text: `Could not ${command.decision} ticket ${command.ticketId}: ${result.error.message}`, cards: [], needsConfirmation: false };
      return {
        text: `${command.decision === 'approve' ? 'Approved' : 'Rejected'} ticket ${command.ticketId}.${command.decision === 'approve' ? outcomeLine(result.value as ActionOutcome) : ''}`,
        cards: [],
        needsConfirmation: false,
      };
    }
    case 'freeze': {
      if (!deps.freeze) return { text: 'The emergency stop is not available in this setup.', cards: [], needsConfirmation: false };
      const result = await deps.freeze(principal, 'emergency stop from the chat');
      return {
        text: result.ok ? 'Emergency stop is ON: every action is denied until an admin lifts it.' : `Could not set the emergency stop: ${result.error.message}`,
        cards: [],
        needsConfirmation: false,
      };
    }
    case 'clarify':
      return {
        text: `${command.question}${command.options.length > 0 ? `\nFor example: ${command.options.map((option) => `"${option}"`).join(', ')}` : ''}`,
        cards: [],
        needsConfirmation: false,
      };
    case 'unsupported':
    case 'unknown':
      return { text: command.message, cards: [], needsConfirmation: false };
  }
}

/** What an approval's outcome adds to the answer (the summary names the guest: `CT 207`). */
function outcomeLine(outcome: ActionOutcome): string {
  switch (outcome.status) {
    case 'done':
      return `\n${outcome.noOp ? 'Nothing to change' : 'Done'}: ${humanText(outcome.summary, 300)}`;
    case 'denied':
      return `\nDenied when re-checked: ${humanText(outcome.reasons.join('; '), 300)}`;
    case 'error':
      return `\nIt failed: ${outcome.error.code}: ${humanText(outcome.error.message, 300)}`;
    case 'needs-confirmation':
      return '';
  }
}
