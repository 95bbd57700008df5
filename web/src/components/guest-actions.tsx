import { useState } from 'react';
import { ActionOutcomeDtoSchema, type ActionRequest, type GuestDto } from '../../../src/protocol/index.ts';
import { apiRequest } from '../lib/api.ts';
import type { DashboardStore } from '../lib/dashboard-store.ts';

const BUTTONS: { kind: ActionRequest['kind']; label: string }[] = [
  { kind: 'guest.start', label: 'Start' },
  { kind: 'guest.shutdown', label: 'Shutdown' },
  { kind: 'guest.stop', label: 'Stop' },
  { kind: 'guest.reboot', label: 'Reboot' },
];

/**
 * Start / Shutdown / Stop / Reboot for one guest -> POST /api/actions. The kernel decides: the
 * answer is shown as done (task followed in Tasks), denied with its reasons, or "needs
 * confirmation" (the ticket appears in the approvals queue). Disabled for viewers.
 */
export function GuestActions({ guest, store, canAct }: { guest: GuestDto; store: DashboardStore; canAct: boolean }) {
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<{ tone: 'ok' | 'warn' | 'error'; text: string } | undefined>(undefined);
  const label = `${guest.type === 'qemu' ? 'VM' : 'CT'} ${guest.vmid}${guest.name ? ` (${guest.name})` : ''}`;

  async function run(kind: ActionRequest['kind']): Promise<void> {
    setBusy(true);
    const body: ActionRequest = { kind, vmid: guest.vmid, expectedNode: guest.node, ...(guest.name ? { expectedName: guest.name } : {}) };
    const result = await apiRequest('/api/actions', ActionOutcomeDtoSchema, { body });
    setBusy(false);
    if (!result.ok) return setOutcome({ tone: 'error', text: `✖ ${result.error.message}` });
    const value = result.value;
    switch (value.status) {
      case 'done':
        if (value.task) store.upsertTask(value.task);
        return setOutcome({ tone: 'ok', text: `✔ ${value.message}` });
      case 'needs-confirmation':
        store.upsertApproval(value.approval);
        return setOutcome({ tone: 'warn', text: '⚠ Needs confirmation: see the approvals queue' });
      case 'denied':
        return setOutcome({ tone: 'error', text: `✖ Denied: ${value.reasons.join('; ')}` });
      case 'error':
        return setOutcome({ tone: 'error', text: `✖ ${value.error.code}: ${value.error.message}` });
    }
  }

  return (
    <div className="guest-actions">
      {BUTTONS.map((button) => (
        <button key={button.kind} type="button" disabled={!canAct || busy} onClick={() => void run(button.kind)} aria-label={`${button.label} ${label}`}>
          {button.label}
        </button>
      ))}
      {outcome ? <span className={`outcome outcome-${outcome.tone}`} role="status" data-testid={`outcome-${guest.vmid}`}>{outcome.text}</span> : null}
    </div>
  );
}
