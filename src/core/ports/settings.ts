import type { JarvisError, Result } from '../errors.ts';

/** The emergency stop, persisted so a CLI freeze takes effect in the running server at once. */
export interface FreezeState {
  readonly frozen: boolean;
  /** Who changed it last and when (epoch ms). */
  readonly by?: string | undefined;
  readonly at?: number | undefined;
  readonly reason?: string | undefined;
}

/**
 * Jarvis's persisted settings, in the state database (adapters/sqlite: SqliteSettingsStore): the
 * emergency stop, read at every decision, and the runtime settings an admin changes while Jarvis
 * runs (AI on/off: app/http/runtime-settings.ts), kept as JSON text by key. The one store for both.
 */
export interface SettingsStore {
  getFreeze(): Promise<Result<FreezeState, JarvisError>>;
  setFreeze(state: FreezeState): Promise<Result<void, JarvisError>>;
  /** The JSON text stored under `key`, or undefined when it was never written. */
  readSetting(key: string): Promise<Result<string | undefined, JarvisError>>;
  writeSetting(key: string, value: string): Promise<Result<void, JarvisError>>;
}
