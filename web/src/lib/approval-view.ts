import type { ApprovalDto } from '../../../src/protocol/index.ts';

/**
 * True when the signed-in human proposed this ticket. The server names the proposer in
 * `requestedBy` as `user:<name>` for a signed-in human (tokens are `token:<name>`, models
 * `model:<id>`, the monitor `monitor:<rule>`), and refuses a queue approval of one's own proposal
 * (FORBIDDEN "no one approves their own proposal"), so the dashboard does not offer it.
 */
export function isOwnProposal(approval: Pick<ApprovalDto, 'requestedBy'>, userName: string | undefined): boolean {
  return userName !== undefined && approval.requestedBy === `user:${userName}`;
}

/** Pending tickets the signed-in human could approve: every pending one except their own proposals. */
export function pendingForYou(approvals: Iterable<ApprovalDto>, userName: string | undefined): number {
  let count = 0;
  for (const approval of approvals) if (approval.status === 'pending' && !isOwnProposal(approval, userName)) count += 1;
  return count;
}
