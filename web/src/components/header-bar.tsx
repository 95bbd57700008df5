import { FreezeStateSchema, SettingsSchema, type FreezeState, type Role, type Settings, type StateDto } from '../../../src/protocol/index.ts';
import { apiRequest } from '../lib/api.ts';
import type { ConnectionStatus } from '../lib/connection-status.ts';
import type { FreshnessLevel } from '../lib/freshness.ts';
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
  /** What answers chat, as the server reports it (StateDto.aiStatus); undefined when it does not say. */
  readonly aiStatus: StateDto['aiStatus'];
  readonly dataLevel: FreshnessLevel;
  readonly onRetry: () => void;
  /** Receive the server's answers so the header updates before the WS echo arrives. */
  readonly onFreeze: (freeze: FreezeState) => void;
  readonly onSettings: (settings: Settings) => void;
}

/**
 * Always-visible header: health badge (socket + data freshness, retry now), the kernel's emergency
 * stop, the truthful AI status (admin: on/off switch), the visual mode switch. Freezing:
 * operator/admin; unfreezing and AI: admin. The heap guard lives in the footer.
 */
const AI_TEXT: Record<NonNullable<StateDto['aiStatus']>, string> = {
  off: 'off',
  'no-model': 'no model',
  simulated: 'simulated model',
  'local-only': 'local only',
  'over-budget': 'over budget',
  cloud: 'on (cloud model)',
};

/** The truthful AI status: the server's word when it gives one; "off" from the setting; otherwise "not reported". */
export function aiText(settings: Settings | undefined, status: StateDto['aiStatus']): { key: string; text: string } {
  if (settings === undefined) return { key: 'unknown', text: '—' };
  if (!settings.aiEnabled) return { key: 'off', text: 'off' };
  // 'off' with the switch on is the state taken before the switch changed (the settings-change frame
  // carries no model status): not reported until the next state, never a stale "off".
  if (status && status !== 'off') return { key: status, text: AI_TEXT[status] };
  return { key: 'unreported', text: 'enabled (model status not reported)' };
}

export function HeaderBar(props: HeaderBarProps) {
  const { status, freeze, settings, role, mode, onMode } = props;
  const [error, setError] = useState<string | undefined>(undefined);
  const frozen = freeze?.frozen === true;
  const canFreeze = role === 'operator' || role === 'admin';
  const canUnfreeze = role === 'admin';

  async function toggleFreeze(): Promise<void> {
    const result = await apiRequest('/api/freeze', FreezeStateSchema, {
      body: { frozen: !frozen, reason: frozen ? 'lifted from dashboard' : 'emergency stop from dashboard' },
    });
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
      <ConnectionDot status={status} dataLevel={props.dataLevel} onRetry={props.onRetry} />
      {/* Only the control this role can use: operators engage the stop, only admins lift it. */}
      {(frozen ? canUnfreeze : canFreeze) ? (
        <button
          type="button"
          className={frozen ? 'estop estop-on' : 'estop'}
          data-testid="emergency-stop"
          aria-pressed={frozen}
          disabled={freeze === undefined}
          onClick={() => void toggleFreeze()}
        >
          {frozen ? '■ EMERGENCY STOP ACTIVE — lift' : '■ Emergency stop'}
        </button>
      ) : frozen ? (
        <span className="estop estop-on" data-testid="emergency-stop">
          ■ EMERGENCY STOP ACTIVE{canFreeze ? ' (an admin lifts it)' : ''}
        </span>
      ) : null}
      <span className="ai-status" data-testid="ai-status" data-ai={aiText(settings, props.aiStatus).key}>
        AI: {aiText(settings, props.aiStatus).text}
      </span>
      {role === 'admin' ? (
        <button
          type="button"
          className="ai-toggle"
          aria-pressed={settings?.aiEnabled === true}
          disabled={settings === undefined}
          onClick={() => void toggleAi()}
          data-testid="ai-toggle"
        >
          {settings?.aiEnabled ? 'Turn AI off' : 'Turn AI on'}
        </button>
      ) : null}
      <label className="mode-select">
        <span className="mode-word">Mode</span>{' '}
        <select value={mode} onChange={(event) => onMode(event.target.value as VisualMode)} data-testid="mode-select" aria-label="Visual mode">
          {VISUAL_MODES.map((value) => (
            <option key={value} value={value}>
              {MODE_LABELS[value]}
            </option>
          ))}
        </select>
      </label>
      <span className="user muted">{props.userName ? `${props.userName} (${role})` : ''}</span>
      <button type="button" onClick={() => void signOut()}>
        Sign out
      </button>
      {error ? (
        <p className="header-error" role="alert">
          ✖ {error}
        </p>
      ) : null}
    </header>
  );
}
