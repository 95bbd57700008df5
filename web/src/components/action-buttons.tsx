import { useState } from 'react';
import { z } from 'zod';
import { ActionOutcomeSchema, type ActionOutcome, type ActionRequest, type ApprovalDto, type GuestDto } from '../../../src/protocol/index.ts';
import { apiRequest } from '../lib/api.ts';
import type { DashboardStore } from '../lib/dashboard-store.ts';
import { ACTION_LABELS, allowedActions } from '../lib/guest-view.ts';

/** Compact (table) buttons show a symbol on wide screens; the word is there for phones and screen readers. */
const ACTION_ICONS: Record<ActionRequest['kind'], string> = { 'guest.start': '▶', 'guest.shutdown': '▽', 'guest.reboot': '↻', 'guest.stop': '■' };

/** The answer of POST /api/actions, keeping the fields the trust contract adds (actionHash). */
const RawOutcomeSchema = z.object({ status: z.string() }).passthrough();

interface PendingConfirm {
  readonly approval: ApprovalDto;
  readonly actionHash: string | undefined;
}

type Shown = { tone: 'ok' | 'warn' | 'error'; text: string } | undefined;

function actionHashOf(raw: Record<string, unknown>): string | undefined {
  const direct = raw.actionHash;
  if (typeof direct === 'string') return direct;
  const nested = (raw.approval as Record<string, unknown> | undefined)?.actionHash;
  return typeof nested === 'string' ? nested : undefined;
}

/**
 * The actions that fit the guest's state (guest-view.ts allowedActions). A red action the signed-in
 * human starts comes back "needs confirmation": its preview and blast radius open right here and
 * Confirm sends `POST /api/actions/confirm { ticketId, actionHash }` (no detour through the
 * approvals queue). Not rendered at all for viewers (inputs a role cannot use are not offered).
 */
export function ActionButtons({
  guest,
  store,
  canAct,
  nodeOnline,
  compact = false,
}: {
  guest: GuestDto;
  store: DashboardStore;
  canAct: boolean;
  nodeOnline: boolean;
  compact?: boolean;
}) {
  const [busy, setBusy] = useState(false);
  const [shown, setShown] = useState<Shown>(undefined);
  const [confirm, setConfirm] = useState<PendingConfirm | undefined>(undefined);
  if (!canAct) return null;
  const { kinds, reason } = allowedActions(guest, nodeOnline);
  const label = `${guest.type === 'qemu' ? 'VM' : 'CT'} ${guest.vmid}${guest.name ? ` (${guest.name})` : ''}`;

  function show(outcome: ActionOutcome, raw: Record<string, unknown>): void {
    switch (outcome.status) {
      case 'done':
        if (outcome.task) store.upsertTask(outcome.task);
        return setShown({ tone: 'ok', text: `✔ ${outcome.summary}` });
      case 'needs-confirmation':
        store.upsertApproval(outcome.approval);
        setConfirm({ approval: outcome.approval, actionHash: actionHashOf(raw) });
        return setShown(undefined);
      case 'denied':
        return setShown({ tone: 'error', text: `✖ Denied: ${outcome.reasons.join('; ')}` });
      case 'error':
        return setShown({ tone: 'error', text: `✖ ${outcome.error.code}: ${outcome.error.message}` });
    }
  }

  async function post(url: string, body: unknown): Promise<void> {
    setBusy(true);
    const result = await apiRequest(url, RawOutcomeSchema, { body });
    setBusy(false);
    if (!result.ok) return setShown({ tone: 'error', text: `✖ ${result.error.message}` });
    const parsed = ActionOutcomeSchema.safeParse(result.value);
    if (!parsed.success) return setShown({ tone: 'error', text: '✖ unexpected answer from Jarvis' });
    show(parsed.data, result.value);
  }

  function run(kind: ActionRequest['kind']): Promise<void> {
    const body: ActionRequest = { kind, vmid: guest.vmid, expectedNode: guest.node, ...(guest.name ? { expectedName: guest.name } : {}) };
    return post('/api/actions', body);
  }

  async function confirmNow(pending: PendingConfirm): Promise<void> {
    setConfirm(undefined);
    await post('/api/actions/confirm', { ticketId: pending.approval.id, actionHash: pending.actionHash ?? '' });
  }

  return (
    <div className={compact ? 'guest-actions compact' : 'guest-actions'} data-testid={`actions-${guest.vmid}`}>
      {kinds.length === 0 && reason ? (
        <span className="muted small" data-testid={`no-actions-${guest.vmid}`}>
          {reason}
        </span>
      ) : null}
      {kinds.map((kind) => (
        <button
          key={kind}
          type="button"
          className={`act act-${kind.slice(6)}`}
          disabled={busy || confirm !== undefined}
          onClick={() => void run(kind)}
          aria-label={`${ACTION_LABELS[kind]} ${label}`}
          title={`${ACTION_LABELS[kind]} ${label}`}
        >
          {compact ? (
            <>
              <span className="act-icon" aria-hidden="true">
                {ACTION_ICONS[kind]}
              </span>
              <span className="act-word">{ACTION_LABELS[kind]}</span>
            </>
          ) : (
            ACTION_LABELS[kind]
          )}
        </button>
      ))}
      {confirm ? (
        <div
          className="inline-confirm"
          role="dialog"
          aria-label={`Confirm ${confirm.approval.action} on ${confirm.approval.target}`}
          data-testid={`confirm-${guest.vmid}`}
        >
          <p>
            <strong className="tier-red">◆ {confirm.approval.tier.toUpperCase()}</strong> {confirm.approval.action} — {confirm.approval.target}
          </p>
          {confirm.approval.plan.steps.length > 0 ? (
            <ol className="plan">
              {confirm.approval.plan.steps.map((step, index) => (
                <li key={index}>{step}</li>
              ))}
            </ol>
          ) : null}
          <p className="blast">
            Blast radius:{' '}
            {confirm.approval.blastRadius.summary ?? (confirm.approval.blastRadius.items.map((item) => item.label ?? item.id).join(', ') || 'this guest only')}
          </p>
          {confirm.approval.blastRadius.selfChain ? (
            <p className="self-chain">⚠ Reaches Jarvis itself: {confirm.approval.blastRadius.selfChain.join(' → ')}</p>
          ) : null}
          {confirm.actionHash === undefined ? (
            <p className="muted small">The server did not send an action hash: confirm from the approvals queue instead.</p>
          ) : null}
          <div className="confirm-buttons">
            <button type="button" className="danger" disabled={busy || confirm.actionHash === undefined} onClick={() => void confirmNow(confirm)}>
              Confirm {ACTION_LABELS[confirm.approval.action as ActionRequest['kind']] ?? confirm.approval.action}
            </button>
            <button type="button" onClick={() => setConfirm(undefined)}>
              Cancel
            </button>
          </div>
        </div>
      ) : null}
      {shown ? (
        <span className={`outcome outcome-${shown.tone}`} role="status" data-testid={`outcome-${guest.vmid}`}>
          {shown.text}
        </span>
      ) : null}
    </div>
  );
}
