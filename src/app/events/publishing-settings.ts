import type { Clock } from '../../core/ports/clock.ts';
import type { EventBus } from '../../core/ports/events.ts';
import type { SettingsStore } from '../http/http-deps.ts';

/** The runtime settings with `settings.changed` published once per changed key (by = the caller's principal). */
export function publishingSettings(store: SettingsStore, events: EventBus, clock: Clock): SettingsStore {
  return {
    get: () => store.get(),
    update(patch, by) {
      const before = store.get();
      const updated = store.update(patch, by);
      if (updated.ok) {
        for (const key of Object.keys(patch) as (keyof typeof patch)[]) {
          if (patch[key] !== undefined && before[key] !== updated.value[key]) events.publish('settings.changed', { key, by, at: clock.now() });
        }
      }
      return updated;
    },
  };
}
