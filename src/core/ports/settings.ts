import type { JarvisError, Result } from '../errors.ts';

/** The emergency stop, persisted so a CLI freeze takes effect in the running server at once. */
export interface FreezeState {
  readonly frozen: boolean;
  /** Who changed it last and when (epoch ms). */
  readonly by?: string | undefined;
  readonly at?: number | undefined;
  readonly reason?: string | undefined;
}

/** Small persisted settings (adapters/sqlite: SqliteSettingsStore). Read at decision time. */
export interface SettingsStore {
  getFreeze(): Promise<Result<FreezeState, JarvisError>>;
  setFreeze(state: FreezeState): Promise<Result<void, JarvisError>>;
}
