import { ok, type JarvisError, type Result } from '../../core/errors.ts';
import type { Clock } from '../../core/ports/clock.ts';
import type { FreezeState as StoredFreeze, SettingsStore } from '../../core/ports/settings.ts';
import type { FreezeState } from '../../protocol/index.ts';
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
 * The HTTP FreezeSwitch over the kernel's persisted SettingsStore (the same row `jarvis freeze`
 * writes and decide() reads). `onChange` lets the caller publish `freeze-change` on the hub.
 */
export function kernelFreezeSwitch(store: SettingsStore, clock: Clock, onChange?: (state: FreezeState) => void): FreezeSwitch {
  return {
    async get(): Promise<Result<FreezeState, JarvisError>> {
      const state = await store.getFreeze();
      return state.ok ? ok(toWire(state.value)) : state;
    },
    async set(frozen, by, reason): Promise<Result<FreezeState, JarvisError>> {
      const next: StoredFreeze = { frozen, by, at: clock.now(), ...(reason ? { reason } : {}) };
      const written = await store.setFreeze(next);
      if (!written.ok) return written;
      const wire = toWire(next);
      onChange?.(wire);
      return ok(wire);
    },
  };
}
