import { ok, type JarvisError, type Result } from '../../core/errors.ts';
import type { AuditLog } from '../../core/ports/audit.ts';
import type { Clock } from '../../core/ports/clock.ts';
import type { FreezeState as StoredFreeze, SettingsStore } from '../../core/ports/settings.ts';
import type { FreezeState } from '../../protocol/index.ts';
import { setEmergencyStop } from '../actions/emergency-stop.ts';
import type { FreezeSwitch } from './http-deps.ts';

function toWire(state: StoredFreeze): FreezeState {
  return {
    frozen: state.frozen,
    ...(state.frozen && state.at !== undefined ? { since: state.at } : {}),
    ...(state.by !== undefined ? { by: state.by } : {}),
    ...(state.reason !== undefined ? { reason: state.reason } : {}),
  };
}

/**
 * The HTTP FreezeSwitch over the kernel's persisted SettingsStore (the row decide() reads).
 * `onChange` is called once per actual change, whoever made it: a change made through `set`
 * (dashboard, chat, `jarvis freeze` via the admin socket) is reported at once; one written to the
 * state DB behind the server's back (another process on the same data dir) at the next `get()`.
 * With an audit log, every transition goes through the kernel's `setEmergencyStop`: the audit row
 * is written first and the switch does not move if it cannot be (issue 3 item 11: both transitions audited).
 */
export function kernelFreezeSwitch(store: SettingsStore, clock: Clock, onChange?: (state: FreezeState) => void, audit?: AuditLog): FreezeSwitch {
  let last: string | undefined;
  const note = (wire: FreezeState): FreezeState => {
    const text = JSON.stringify(wire);
    if (last !== undefined && text !== last) onChange?.(wire);
    last = text;
    return wire;
  };
  return {
    async get(): Promise<Result<FreezeState, JarvisError>> {
      const state = await store.getFreeze();
      return state.ok ? ok(note(toWire(state.value))) : state;
    },
    async set(frozen, by, reason): Promise<Result<FreezeState, JarvisError>> {
      if (audit) {
        const set = await setEmergencyStop(
          { audit, settings: store, clock },
          { frozen, by: { id: by.name, role: by.role, kind: by.kind }, reason, tool: 'dashboard' },
        );
        return set.ok ? ok(note(toWire(set.value))) : set;
      }
      const next: StoredFreeze = { frozen, by: `${by.kind}:${by.name}`, at: clock.now(), ...(reason ? { reason } : {}) };
      const written = await store.setFreeze(next);
      if (!written.ok) return written;
      return ok(note(toWire(next)));
    },
  };
}
