/**
 * Separation of duties (issue 8): what a machine proposes — a model, the chat agent, the monitor,
 * an MCP client or any API token — only a human approves. Tokens never approve, whatever their
 * role; nobody approves their own proposal, except the one inline confirmation a signed-in human
 * gives to the red action they just started in the dashboard, bound to its action hash, and only
 * while the two-person rule (config `safety.twoPersonRule`) is off.
 */
import { jarvisError, type JarvisError } from '../../core/errors.ts';
import type { Ticket } from '../../core/safety/decision.ts';
import type { Approver, ApproveOptions } from './execution-outcome.ts';

/** Why `approver` may not approve `ticket` this way, or undefined when they may. Pure. */
export function separationOfDutiesProblem(
  ticket: Pick<Ticket, 'id' | 'requester' | 'actionHash'>,
  approver: Approver,
  options: ApproveOptions & { readonly twoPersonRule: boolean },
): JarvisError | undefined {
  const id = ticket.id.slice(0, 64);
  if ((approver.kind ?? 'user') !== 'user') {
    return jarvisError('FORBIDDEN', `API tokens may propose actions but never approve them (token ${approver.id.slice(0, 64)}): ticket ${id} stays pending`, {
      hint: 'a signed-in human (operator or admin) approves it in the dashboard, or an admin runs `jarvis approve`',
    });
  }
  const own = ticket.requester.kind === 'user' && ticket.requester.id === approver.id;
  if (options.inline) {
    if (!own)
      return jarvisError('FORBIDDEN', `only the human who proposed ticket ${id} may confirm it inline`, {
        hint: 'approve it in the approvals queue (POST /api/approvals/:id/approve)',
      });
    if (options.twoPersonRule)
      return jarvisError('FORBIDDEN', `the two-person rule is on: a second human must approve ticket ${id}`, {
        hint: 'ask another operator or admin to approve it in the approvals queue',
      });
    if (options.inline.actionHash !== ticket.actionHash)
      return jarvisError('TICKET_INVALID', `ticket ${id} is bound to a different action (the confirmed action hash does not match)`, {
        hint: 'start the action again and confirm what is shown',
      });
    return undefined;
  }
  if (own)
    return jarvisError('FORBIDDEN', `no one approves their own proposal: ticket ${id} was proposed by user:${approver.id.slice(0, 64)}`, {
      hint: 'another human (operator or admin) must approve it',
    });
  return undefined;
}
