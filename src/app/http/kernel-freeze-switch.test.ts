import { describe, expect, it } from 'vitest';
import { ok } from '../../core/errors.ts';
import type { FreezeState as StoredFreeze, SettingsStore } from '../../core/ports/settings.ts';
import type { FreezeState } from '../../protocol/index.ts';
import { kernelFreezeSwitch } from './kernel-freeze-switch.ts';

function fakeStore(): SettingsStore & { state: StoredFreeze } {
  const store = {
    state: { frozen: false } as StoredFreeze,
    async getFreeze() {
      return ok(store.state);
    },
    async setFreeze(state: StoredFreeze) {
      store.state = state;
      return ok(undefined);
    },
  };
  return store;
}

describe('kernelFreezeSwitch', () => {
  it('reports each change once, including one written behind its back by `jarvis freeze`', async () => {
    const store = fakeStore();
    const changes: FreezeState[] = [];
    const freeze = kernelFreezeSwitch(store, { now: () => 5000 }, (state) => changes.push(state));
    expect(await freeze.get()).toEqual({ ok: true, value: { frozen: false } });
    expect(changes).toEqual([]);
    await freeze.set(true, 'user:operator', 'drill');
    expect(changes).toEqual([{ frozen: true, since: 5000, by: 'user:operator', reason: 'drill' }]);
    await freeze.get();
    expect(changes).toHaveLength(1);
    store.state = { frozen: false, by: 'system:cli', at: 6000 }; // the CLI unfreezes
    await freeze.get();
    await freeze.get();
    expect(changes.at(-1)).toEqual({ frozen: false, by: 'system:cli' });
    expect(changes).toHaveLength(2);
  });
});
