import { describe, expect, it } from 'vitest';
import type { ApprovalDto } from '../../../src/protocol/index.ts';
import { applyServerMessage, INITIAL_STATE, MAX_TASKS, withApproval, withTask } from './dashboard-state.ts';

const approval = (id: string, status: ApprovalDto['status']): ApprovalDto => ({
  id,
  createdAt: 1,
  expiresAt: 2,
  status,
  requestedBy: 'user:a',
  action: 'guest.stop',
  target: 'vm 101',
  tier: 'red',
  reasons: [],
  blastRadius: { items: [] },
  plan: { steps: [] },
});

describe('applyServerMessage', () => {
  it('ignores an event it already has', () => {
    const event = { id: 1, at: 1, type: 'node-offline', severity: 'critical' as const, source: 'cluster' as const, summary: 'x' };
    const once = applyServerMessage(INITIAL_STATE, { type: 'event', payload: event });
    expect(applyServerMessage(once, { type: 'event', payload: event })).toBe(once);
  });

  it('replaces an approval when it is resolved', () => {
    let state = applyServerMessage(INITIAL_STATE, { type: 'approval-request', payload: approval('t', 'pending') });
    state = applyServerMessage(state, { type: 'approval-resolve', payload: approval('t', 'executed') });
    expect([...state.approvals.values()].map((entry) => entry.status)).toEqual(['executed']);
  });

  it('keeps at most MAX_TASKS tasks, dropping the oldest', () => {
    let state = INITIAL_STATE;
    for (let index = 0; index < MAX_TASKS + 5; index += 1) {
      state = applyServerMessage(state, {
        type: 'task-start',
        payload: { upid: `U${index}`, node: 'pve', type: 'qmstop', status: 'running', startedAt: index },
      });
    }
    expect(state.tasks.size).toBe(MAX_TASKS);
    expect(state.tasks.has('U0')).toBe(false);
  });

  it('never turns a finished task back to running (late HTTP answer after the WS task-end)', () => {
    const running = { upid: 'U1', node: 'pve', type: 'qmstop', status: 'running' as const, startedAt: 1 };
    let state = applyServerMessage(INITIAL_STATE, { type: 'task-start', payload: running });
    state = applyServerMessage(state, { type: 'task-end', payload: { ...running, status: 'stopped', exitstatus: 'OK', endedAt: 2 } });
    expect(withTask(state.tasks, running).get('U1')?.status).toBe('stopped');
    expect(withTask(new Map(), running).get('U1')?.status).toBe('running');
  });

  it('never turns a resolved approval back to pending (late HTTP answer after the WS approval-resolve)', () => {
    const state = applyServerMessage(INITIAL_STATE, { type: 'approval-resolve', payload: approval('t', 'executed') });
    expect(withApproval(state.approvals, approval('t', 'pending')).get('t')?.status).toBe('executed');
    expect(withApproval(state.approvals, approval('t', 'rejected')).get('t')?.status).toBe('rejected');
  });

  it('leaves the state untouched for messages it does not keep (heartbeat)', () => {
    expect(applyServerMessage(INITIAL_STATE, { type: 'heartbeat', payload: {} })).toBe(INITIAL_STATE);
  });
});
