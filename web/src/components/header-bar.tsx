import { FreezeStateSchema, SettingsSchema, type FreezeState, type Role, type Settings } from '../../../src/protocol/index.ts';
import { apiRequest } from '../lib/api.ts';
import type { ConnectionStatus } from '../lib/connection-status.ts';
import { formatBytes } from '../lib/format.ts';
import { MODE_LABELS, VISUAL_MODES, type VisualMode } from '../lib/visual-mode.ts';
import { ConnectionDot } from './connection-dot.tsx';
import { useState } from 'react';
import { z } from 'zod';

export interface HeaderBarProps {
  readonly status: ConnectionStatus;
  readonly freeze: FreezeState | undefined;
  readonly settings: Settings | undefined;
  readonly role: Role | undefined;
  readonly userName: string | undefined;
  readonly mode: VisualMode;
  readonly onMode: (mode: VisualMode) => void;
  readonly heapBytes: number | undefined;
  readonly heapLimit: number;
  /** Receive the server's answers so the header updates before the WS echo arrives. */
  readonly onFreeze: (freeze: FreezeState) => void;
  readonly onSettings: (settings: Settings) => void;
}

/**
 * Always-visible header: connection dot, the kernel's emergency stop, the AI on/off setting, the
 * visual mode switch and the heap indicator. Freezing: operator/admin; unfreezing and AI: admin.
 */
export function HeaderBar(props: HeaderBarProps) {
  const { status, freeze, settings, role, mode, onMode, heapBytes, heapLimit } = props;
  const [error, setError] = useState<string | undefined>(undefined);
  const frozen = freeze?.frozen === true;
  const canFreeze = role === 'operator' || role === 'admin';
  const canUnfreeze = role === 'admin';

  async function toggleFreeze(): Promise<void> {
    const result = await apiRequest('/api/freeze', FreezeStateSchema, { body: { frozen: !frozen, reason: frozen ? 'lifted from dashboard' : 'emergency stop from dashboard' } });
    if (result.ok) props.onFreeze(result.value);
    setError(result.ok ? undefined : `Emergency stop: ${result.error.message}`);
  }
  async function signOut(): Promise<void> {
    await apiRequest('/api/logout', z.object({ ok: z.literal(true) }), { body: {} });
    window.location.reload();
  }
  async function toggleAi(): Promise<void> {
    const result = await apiRequest('/api/settings', SettingsSchema, { method: 'PUT', body: { aiEnabled: !(settings?.aiEnabled ?? true) } });
    if (result.ok) props.onSettings(result.value);
    setError(result.ok ? undefined : `AI setting: ${result.error.message}`);
  }

  return (
    <header className="app-header">
      <h1 className="brand">JARVIS</h1>
      <ConnectionDot status={status} />
      <button
        type="button"
        className={frozen ? 'estop estop-on' : 'estop'}
        data-testid="emergency-stop"
        aria-pressed={frozen}
        disabled={freeze === undefined || (frozen ? !canUnfreeze : !canFreeze)}
        onClick={() => void toggleFreeze()}
      >
        {frozen ? '■ EMERGENCY STOP ACTIVE — lift' : '■ Emergency stop'}
      </button>
      <button type="button" className="ai-toggle" aria-pressed={settings?.aiEnabled === true} disabled={settings === undefined || role !== 'admin'} onClick={() => void toggleAi()} data-testid="ai-toggle">
        AI: {settings === undefined ? '—' : settings.aiEnabled ? 'on' : 'off'}
      </button>
      <label className="mode-select">
        Mode{' '}
        <select value={mode} onChange={(event) => onMode(event.target.value as VisualMode)} data-testid="mode-select">
          {VISUAL_MODES.map((value) => <option key={value} value={value}>{MODE_LABELS[value]}</option>)}
        </select>
      </label>
      <span className="heap" title="JavaScript heap used by this tab" data-testid="heap">
        Heap {heapBytes === undefined ? '—' : `${formatBytes(heapBytes)}${heapBytes > heapLimit ? ' ⚠' : ''}`}
      </span>
      <span className="user muted">{props.userName ? `${props.userName} (${role})` : ''}</span>
      <button type="button" onClick={() => void signOut()}>Sign out</button>
      {error ? <p className="header-error" role="alert">✖ {error}</p> : null}
    </header>
  );
}
