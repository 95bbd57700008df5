/**
 * The runtime settings (AI on/off) over the kernel's SettingsStore, the same store and table as
 * the emergency stop: read once at start, served from memory, and on each change audited first
 * (write-ahead, like the emergency stop: no audit row, no change), written through, and published
 * as `settings.changed` once per key that changed. Unreadable or invalid stored JSON falls back to
 * the defaults, with a warning.
 */
import { ok, type JarvisError, type Result } from '../../core/errors.ts';
import type { AuditLog } from '../../core/ports/audit.ts';
import type { Clock } from '../../core/ports/clock.ts';
import type { EventBus } from '../../core/ports/events.ts';
import type { Logger } from '../../core/ports/logger.ts';
import type { SettingsStore } from '../../core/ports/settings.ts';
import { SettingsSchema, type Settings } from '../../protocol/index.ts';
import { auditPrincipal } from '../events/publishing-audit-log.ts';
import type { RuntimeSettings } from './http-deps.ts';

/** The key of the runtime settings in the settings table. */
export const RUNTIME_SETTINGS_KEY = 'dashboard.settings';
const DEFAULTS: Settings = { aiEnabled: true };

export interface RuntimeSettingsDeps {
  readonly store: SettingsStore;
  readonly audit: AuditLog;
  readonly events: EventBus;
  readonly clock: Clock;
  readonly logger?: Logger | undefined;
}

export async function loadRuntimeSettings(deps: RuntimeSettingsDeps): Promise<RuntimeSettings> {
  let settings = await readStored(deps);

  return {
    get: () => settings,
    async update(patch, by): Promise<Result<Settings, JarvisError>> {
      const next: Settings = { ...settings, ...definedOnly(patch) };
      const changed = (Object.keys(next) as (keyof Settings)[]).filter((key) => next[key] !== settings[key]);
      if (changed.length === 0) return ok(settings);
      const recorded = await deps.audit.append({
        kind: 'setting',
        time: deps.clock.now(),
        actor: by,
        tool: 'settings',
        params: Object.fromEntries(changed.map((key) => [key, next[key]])),
        result: changed.map((key) => `${key}: ${String(settings[key])} -> ${String(next[key])}`).join(', '),
      });
      if (!recorded.ok) return recorded;
      const written = await deps.store.writeSetting(RUNTIME_SETTINGS_KEY, JSON.stringify(next));
      if (!written.ok) return written;
      settings = next;
      const principal = auditPrincipal(by);
      for (const key of changed) deps.events.publish('settings.changed', { key, by: principal, at: deps.clock.now() });
      return ok(settings);
    },
  };
}

async function readStored(deps: RuntimeSettingsDeps): Promise<Settings> {
  const stored = await deps.store.readSetting(RUNTIME_SETTINGS_KEY);
  if (!stored.ok) {
    deps.logger?.warn({ code: stored.error.code, error: stored.error.message }, 'runtime settings unreadable, using the defaults');
    return DEFAULTS;
  }
  if (stored.value === undefined) return DEFAULTS;
  try {
    const parsed = SettingsSchema.partial().safeParse(JSON.parse(stored.value));
    if (parsed.success) return { ...DEFAULTS, ...definedOnly(parsed.data) };
  } catch {
    // invalid JSON: the warning below
  }
  deps.logger?.warn({ key: RUNTIME_SETTINGS_KEY }, 'runtime settings invalid, using the defaults');
  return DEFAULTS;
}

function definedOnly(patch: Partial<Settings>): Partial<Settings> {
  return Object.fromEntries(Object.entries(patch).filter(([, value]) => value !== undefined));
}
