import { describe, expect, it } from 'vitest';
import type { ApprovalDto } from '../../../src/protocol/index.ts';
import { isOwnProposal, pendingForYou } from './approval-view.ts';

const ticket = (id: string, requestedBy: string, status: ApprovalDto['status'] = 'pending') => ({ id, requestedBy, status }) as ApprovalDto;

describe('approval view', () => {
  it("recognises the signed-in human's own proposal by the server's proposer name (user:<name>) only", () => {
    expect(isOwnProposal(ticket('a', 'user:admin'), 'admin')).toBe(true);
    expect(isOwnProposal(ticket('a', 'user:alice'), 'admin')).toBe(false);
    expect(isOwnProposal(ticket('a', 'token:admin'), 'admin')).toBe(false);
    expect(isOwnProposal(ticket('a', 'user:admin'), undefined)).toBe(false);
  });

  it('counts pending tickets for you without your own proposals or resolved ones', () => {
    const list = [ticket('1', 'user:admin'), ticket('2', 'token:ci-bot'), ticket('3', 'model:qwen'), ticket('4', 'monitor:x', 'executed')];
    expect(pendingForYou(list, 'admin')).toBe(2);
    expect(pendingForYou(list, 'alice')).toBe(3);
  });
});
