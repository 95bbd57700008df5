import { describe, expect, it } from 'vitest';
import { err, jarvisError, ok } from '../../core/errors.ts';
import type { AuditEntry } from '../../core/audit/index.ts';
import type { AuditLog } from '../../core/ports/audit.ts';
import type { FreezeState as StoredFreeze, SettingsStore } from '../../core/ports/settings.ts';
import type { FreezeState } from '../../protocol/index.ts';
import { auditPrincipal } from '../events/publishing-audit-log.ts';
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
    readSetting: async () => ok(undefined),
    writeSetting: async () => ok(undefined),
  };
  return store;
}

describe('kernelFreezeSwitch', () => {
  it('reports each change once, including one written to the state DB behind its back', async () => {
    const store = fakeStore();
    const changes: FreezeState[] = [];
    const freeze = kernelFreezeSwitch(store, { now: () => 5000 }, (state) => changes.push(state));
    expect(await freeze.get()).toEqual({ ok: true, value: { frozen: false } });
    expect(changes).toEqual([]);
    await freeze.set(true, { kind: 'user', name: 'operator', role: 'operator' }, 'drill');
    expect(changes).toEqual([{ frozen: true, since: 5000, by: 'user:operator', reason: 'drill' }]);
    await freeze.get();
    expect(changes).toHaveLength(1);
    store.state = { frozen: false, by: 'system:cli', at: 6000 }; // another process unfreezes
    await freeze.get();
    await freeze.get();
    expect(changes.at(-1)).toEqual({ frozen: false, by: 'system:cli' });
    expect(changes).toHaveLength(2);
  });
});

function fakeAudit(fail = false): AuditLog & { entries: AuditEntry[] } {
  const entries: AuditEntry[] = [];
  return {
    entries,
    async append(entry: AuditEntry) {
      if (fail) return err(jarvisError('AUDIT_UNAVAILABLE', 'disk full'));
      entries.push(entry);
      return ok({ ...entry, seq: entries.length, prevHash: '', hash: '' } as never);
    },
  } as unknown as AuditLog & { entries: AuditEntry[] };
}

describe('kernelFreezeSwitch with an audit log', () => {
  it('audits both transitions from the dashboard, with who did it', async () => {
    const store = fakeStore();
    const audit = fakeAudit();
    const freeze = kernelFreezeSwitch(store, { now: () => 7000 }, undefined, audit);
    expect((await freeze.set(true, { kind: 'user', name: 'ops', role: 'operator' }, 'drill')).ok).toBe(true);
    expect((await freeze.set(false, { kind: 'user', name: 'admin', role: 'admin' }, undefined)).ok).toBe(true);
    expect(audit.entries.map((entry) => [entry.kind, (entry as { params?: unknown }).params, (entry as { actor?: unknown }).actor])).toEqual([
      ['setting', { frozen: true, reason: 'drill' }, { kind: 'user', id: 'ops' }],
      ['setting', { frozen: false }, { kind: 'user', id: 'admin' }],
    ]);
    // The one naming scheme, prefixed once: `user:ops`, never `user:user:ops`.
    expect(audit.entries.map((entry) => auditPrincipal(entry.actor))).toEqual(['user:ops', 'user:admin']);
    expect(store.state.frozen).toBe(false);
    expect(store.state.by).toBe('user:admin');
  });

  it('names an API token that freezes as token:<name> (not as a user)', async () => {
    const store = fakeStore();
    const audit = fakeAudit();
    const freeze = kernelFreezeSwitch(store, { now: () => 7000 }, undefined, audit);
    expect((await freeze.set(true, { kind: 'token', name: 'desktop', role: 'operator' }, 'drill')).ok).toBe(true);
    expect(audit.entries.map((entry) => auditPrincipal(entry.actor))).toEqual(['token:desktop']);
    expect(store.state.by).toBe('token:desktop');
  });

  it('does not move the switch when the audit row cannot be written', async () => {
    const store = fakeStore();
    const freeze = kernelFreezeSwitch(store, { now: () => 7000 }, undefined, fakeAudit(true));
    const result = await freeze.set(true, { kind: 'user', name: 'ops', role: 'operator' }, undefined);
    expect(result.ok).toBe(false);
    expect(store.state.frozen).toBe(false);
  });

  it('refuses an unfreeze by an operator even if a caller forgot the route check', async () => {
    const store = fakeStore();
    store.state = { frozen: true };
    const freeze = kernelFreezeSwitch(store, { now: () => 7000 }, undefined, fakeAudit());
    const result = await freeze.set(false, { kind: 'user', name: 'ops', role: 'operator' }, undefined);
    expect(result.ok).toBe(false);
    expect(store.state.frozen).toBe(true);
  });
});
