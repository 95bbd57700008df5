import { useEffect, useRef, useState } from 'react';
import { ActionOutcomeSchema, ApprovalDtoSchema, type ApprovalDto } from '../../../src/protocol/index.ts';
import { apiRequest } from '../lib/api.ts';
import { isOwnProposal } from '../lib/approval-view.ts';
import type { DashboardStore } from '../lib/dashboard-store.ts';
import { useAge } from './freshness-context.ts';
import { Section } from './section.tsx';

const TIER_TEXT: Record<ApprovalDto['tier'], string> = { green: '● green', yellow: '▲ yellow', red: '◆ RED', black: '✖ BLACK' };

function ApprovalCard({
  approval,
  canApprove,
  own,
  focused,
  store,
}: {
  approval: ApprovalDto;
  canApprove: boolean;
  /** Proposed by the signed-in human: the server refuses their queue approval, so it is not offered. */
  own: boolean;
  /** Opened through `#approval-<id>` (the monitor's push link): scrolled to, details open, highlighted. */
  focused: boolean;
  store: DashboardStore;
}) {
  const [busy, setBusy] = useState(false);
  const card = useRef<HTMLLIElement | null>(null);
  useEffect(() => {
    if (focused) card.current?.scrollIntoView({ block: 'center' });
  }, [focused]);
  const [message, setMessage] = useState<string | undefined>(undefined);
  const expired = (useAge(approval.expiresAt) ?? 0) > 0;

  const path = (verb: string) => `/api/approvals/${encodeURIComponent(approval.id)}/${verb}`;

  /** POST .../approve resumes the exact stored action; the answer is its outcome. */
  async function approve(): Promise<void> {
    setBusy(true);
    const result = await apiRequest(path('approve'), ActionOutcomeSchema, { body: {} });
    setBusy(false);
    if (!result.ok) return setMessage(`✖ ${result.error.code}: ${result.error.message}`);
    const outcome = result.value;
    if (outcome.status === 'done') {
      if (outcome.task) store.upsertTask(outcome.task);
      return setMessage(`✔ Approved: ${outcome.summary}`);
    }
    if (outcome.status === 'denied') return setMessage(`✖ Denied on execution: ${outcome.reasons.join('; ')}`);
    if (outcome.status === 'error') return setMessage(`✖ ${outcome.error.code}: ${outcome.error.message}`);
    return setMessage('⚠ Still needs confirmation');
  }

  async function reject(): Promise<void> {
    setBusy(true);
    const result = await apiRequest(path('reject'), ApprovalDtoSchema, { body: {} });
    setBusy(false);
    if (!result.ok) return setMessage(`✖ ${result.error.code}: ${result.error.message}`);
    store.upsertApproval(result.value);
    return setMessage('Rejected');
  }

  const pending = approval.status === 'pending';
  return (
    <li
      ref={card}
      id={`approval-${approval.id}`}
      className={`approval tier-${approval.tier}${focused ? ' approval-focused' : ''}`}
      data-testid={`approval-${approval.id}`}
      data-status={approval.status}
      data-own={own}
      data-focused={focused}
    >
      <header>
        <span className={`badge badge-tier-${approval.tier}`}>{TIER_TEXT[approval.tier]}</span> <strong>{approval.action}</strong> on {approval.target}
        <span className="muted">
          {' '}
          — asked by {own ? 'you' : approval.requestedBy}; {pending ? (expired ? 'expired' : 'pending') : approval.status}
        </span>
      </header>
      {approval.reasons.length > 0 ? <p>Why confirmation: {approval.reasons.join('; ')}</p> : null}
      <details open={pending || focused}>
        <summary>Blast radius ({approval.blastRadius.items.length}) and plan</summary>
        {approval.blastRadius.summary ? <p>{approval.blastRadius.summary}</p> : null}
        {approval.blastRadius.selfChain ? <p className="warning-text">⚠ Reaches Jarvis itself: {approval.blastRadius.selfChain.join(' → ')}</p> : null}
        <ul className="blast">
          {approval.blastRadius.items.map((item) => (
            <li key={`${item.kind}:${item.id}`}>
              {item.kind} {item.label ?? item.id}
              {item.via ? ` (${item.via})` : ''}
            </li>
          ))}
        </ul>
        <ol className="plan">
          {approval.plan.steps.map((step, index) => (
            <li key={index}>{step}</li>
          ))}
        </ol>
        {approval.plan.warnings?.map((warning, index) => (
          <p key={index} className="warning-text">
            ⚠ {warning}
          </p>
        ))}
      </details>
      {pending && canApprove ? (
        <div className="approval-buttons">
          {own ? (
            <p className="muted small" data-testid={`own-${approval.id}`}>
              Yours — confirm it inline where you started it, or wait for another approver (no one approves their own proposal).
            </p>
          ) : (
            <button type="button" className="approve" disabled={busy} onClick={() => void approve()}>
              Approve
            </button>
          )}
          <button type="button" className="reject" disabled={busy} onClick={() => void reject()}>
            {own ? 'Withdraw' : 'Reject'}
          </button>
        </div>
      ) : pending ? (
        <p className="muted small">Waiting for an operator or admin.</p>
      ) : approval.resolvedBy ? (
        <p className="muted">
          {approval.status} by {approval.resolvedBy}
        </p>
      ) : null}
      {message ? (
        <p role="status" className="outcome">
          {message}
        </p>
      ) : null}
    </li>
  );
}

/** Confirmation tickets from the kernel: pending first, then the latest resolved ones. */
export function ApprovalsQueue({
  approvals,
  canApprove,
  userName,
  focusId,
  store,
  loaded,
  dataTs,
}: {
  approvals: ReadonlyMap<string, ApprovalDto>;
  canApprove: boolean;
  /** The signed-in user: their own proposals are marked and not offered for approval. */
  userName: string | undefined;
  /** The ticket named by `#approval-<id>`, if any. */
  focusId?: string | undefined;
  store: DashboardStore;
  loaded: boolean;
  dataTs: number | undefined;
}) {
  const sorted = [...approvals.values()].sort((a, b) => (a.status === 'pending' ? 0 : 1) - (b.status === 'pending' ? 0 : 1) || b.createdAt - a.createdAt);
  const list = sorted.slice(0, 20);
  // A linked ticket stays reachable even when it is older than the 20 shown.
  const linked = focusId !== undefined && !list.some((approval) => approval.id === focusId) ? sorted.find((approval) => approval.id === focusId) : undefined;
  if (linked) list.unshift(linked);
  const pending = list.filter((approval) => approval.status === 'pending').length;
  return (
    <Section id="approvals" title="Approvals" loading={!loaded} dataTs={dataTs}>
      {list.length === 0 ? <p className="muted">No action is waiting for a human.</p> : <p className="muted">{pending} pending</p>}
      {focusId !== undefined && !approvals.has(focusId) && loaded ? (
        <p className="muted" data-testid="approval-not-found">
          Ticket {focusId} is not in the recent approvals (it may have expired or been resolved long ago).
        </p>
      ) : null}
      <ul className="approvals">
        {list.map((approval) => (
          <ApprovalCard
            key={approval.id}
            approval={approval}
            canApprove={canApprove}
            own={isOwnProposal(approval, userName)}
            focused={approval.id === focusId}
            store={store}
          />
        ))}
      </ul>
    </Section>
  );
}
