import { ok, type JarvisError, type Result } from '../../core/errors.ts';
import type { AuthStore } from '../../core/ports/auth.ts';
import { SettingsSchema, type Settings } from '../../protocol/index.ts';
import type { SettingsStore } from './http-deps.ts';

const KEY = 'dashboard.settings';
const DEFAULTS: Settings = { aiEnabled: true };

/**
 * Runtime settings (AI on/off) kept in the auth database, so turning the AI off survives a
 * restart. Unreadable or invalid stored JSON falls back to the defaults. Reads are served from
 * memory; each update writes through.
 */
export class PersistedSettingsStore implements SettingsStore {
  private settings: Settings;

  constructor(private readonly store: Pick<AuthStore, 'readSetting' | 'writeSetting'>) {
    this.settings = DEFAULTS;
    const stored = store.readSetting?.(KEY);
    if (stored !== undefined) {
      try {
        const parsed = SettingsSchema.partial().safeParse(JSON.parse(stored));
        if (parsed.success) this.settings = { ...DEFAULTS, ...parsed.data };
      } catch {
        // keep the defaults
      }
    }
  }

  get(): Settings {
    return this.settings;
  }

  update(patch: Partial<Settings>): Result<Settings, JarvisError> {
    this.settings = { ...this.settings, ...patch };
    this.store.writeSetting?.(KEY, JSON.stringify(this.settings));
    return ok(this.settings);
  }
}
