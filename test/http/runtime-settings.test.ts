/**
 * Issue 9: one SettingsStore. The runtime settings (AI on/off) live in the state DB's settings
 * table next to the emergency stop, are audited before they change, publish settings.changed once
 * per changed key, and an AI switched off in auth.db by an older version stays off after the upgrade.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SqliteAuditLog } from '../../src/adapters/sqlite/sqlite-audit-log.ts';
import { SqliteAuthStore } from '../../src/adapters/sqlite/auth-store.ts';
import { openDatabase } from '../../src/adapters/sqlite/open-database.ts';
import { SqliteSettingsStore } from '../../src/adapters/sqlite/sqlite-settings-store.ts';
import { createEventBus } from '../../src/app/events/event-bus.ts';
import { loadRuntimeSettings, RUNTIME_SETTINGS_KEY } from '../../src/app/http/runtime-settings.ts';
import { migrateLegacySettings } from '../../src/cli/compose/jarvis-parts.ts';
import { err, jarvisError } from '../../src/core/errors.ts';
import type { AuditLog } from '../../src/core/ports/audit.ts';
import { silentLogger, type Logger } from '../../src/core/ports/logger.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'jarvis-settings-'));
  dirs.push(dir);
  return dir;
}

function open(dir: string) {
  const store = SqliteSettingsStore.open(join(dir, 'state.db'));
  const audit = SqliteAuditLog.open(join(dir, 'audit.db'));
  if (!store.ok || !audit.ok) throw new Error('open failed');
  const bus = createEventBus(silentLogger);
  const changes: unknown[] = [];
  bus.on('settings.changed', (change) => changes.push(change));
  return { store: store.value, audit: audit.value, bus, changes };
}

const admin = { kind: 'user', id: 'admin' } as const;

describe('runtime settings over the kernel SettingsStore', () => {
  it('keeps AI off across a reopen; audits first; publishes once per changed key; a no-op writes nothing', async () => {
    const dir = tempDir();
    const first = open(dir);
    const settings = await loadRuntimeSettings({ store: first.store, audit: first.audit, events: first.bus, clock: { now: () => 7000 } });
    expect(settings.get()).toEqual({ aiEnabled: true });
    const off = await settings.update({ aiEnabled: false }, admin);
    expect(off).toEqual({ ok: true, value: { aiEnabled: false } });
    expect(first.changes).toEqual([{ key: 'aiEnabled', by: 'user:admin', at: 7000 }]);
    expect(await settings.update({ aiEnabled: false }, admin)).toEqual({ ok: true, value: { aiEnabled: false } });
    expect(await settings.update({}, admin)).toEqual({ ok: true, value: { aiEnabled: false } });
    expect(first.changes).toHaveLength(1);
    const rows = await first.audit.list({ limit: 10 });
    expect(rows.ok && rows.value.map((row) => ({ kind: row.kind, actor: row.actor, params: row.params, result: row.result }))).toEqual([
      { kind: 'setting', actor: admin, params: { aiEnabled: false }, result: 'aiEnabled: true -> false' },
    ]);
    expect((await first.store.readSetting(RUNTIME_SETTINGS_KEY)).ok).toBe(true);

    const second = open(dir);
    const reopened = await loadRuntimeSettings({ store: second.store, audit: second.audit, events: second.bus, clock: { now: () => 8000 } });
    expect(reopened.get()).toEqual({ aiEnabled: false });
    // Same table as the emergency stop, which is untouched by the AI switch.
    expect(await second.store.getFreeze()).toEqual({ ok: true, value: { frozen: false } });
  });

  it('changes nothing when the audit row cannot be written', async () => {
    const { store, bus, changes } = open(tempDir());
    const broken: AuditLog = {
      append: async () => err(jarvisError('AUDIT_UNAVAILABLE', 'audit disk full')),
      list: async () => err(jarvisError('AUDIT_UNAVAILABLE', 'audit disk full')),
    } as unknown as AuditLog;
    const settings = await loadRuntimeSettings({ store, audit: broken, events: bus, clock: { now: () => 1 } });
    const refused = await settings.update({ aiEnabled: false }, admin);
    expect(!refused.ok && refused.error.code).toBe('AUDIT_UNAVAILABLE');
    expect(settings.get()).toEqual({ aiEnabled: true });
    expect(await store.readSetting(RUNTIME_SETTINGS_KEY)).toEqual({ ok: true, value: undefined });
    expect(changes).toEqual([]);
  });

  it('reads corrupt or invalid stored values as the defaults, with a warning', async () => {
    const { store, audit, bus } = open(tempDir());
    const warnings: string[] = [];
    const logger = { ...silentLogger, warn: (_fields: unknown, message: string) => warnings.push(message) } as Logger;
    for (const stored of ['{not json', '{"aiEnabled":"no"}']) {
      expect((await store.writeSetting(RUNTIME_SETTINGS_KEY, stored)).ok).toBe(true);
      const settings = await loadRuntimeSettings({ store, audit, events: bus, clock: { now: () => 1 }, logger });
      expect(settings.get()).toEqual({ aiEnabled: true });
    }
    expect(warnings).toEqual(['runtime settings invalid, using the defaults', 'runtime settings invalid, using the defaults']);
  });

  it('the emergency stop is not a runtime setting: writeSetting refuses its key, so only freeze/unfreeze change it', async () => {
    const { store } = open(tempDir());
    const refused = await store.writeSetting('emergency_stop', JSON.stringify({ frozen: false }));
    expect(!refused.ok && refused.error.code).toBe('INVALID_INPUT');
    await store.setFreeze({ frozen: true, by: 'user:ops', at: 1 });
    expect((await store.writeSetting('emergency_stop', '{"frozen":false}')).ok).toBe(false);
    const state = await store.getFreeze();
    expect(state.ok && state.value.frozen).toBe(true);
  });
});

describe('upgrade: the AI switch moves from auth.db to the state DB once', () => {
  function legacyAuth(dir: string, value: string | undefined): SqliteAuthStore {
    const path = join(dir, 'auth.db');
    SqliteAuthStore.open(path).close(); // creates the tables, auth_settings included
    // What older versions wrote (their writeSetting on the auth store).
    if (value !== undefined) insertLegacy(path, value);
    return SqliteAuthStore.open(path);
  }

  it('an AI switched off before the upgrade stays off, and the old row is dropped', async () => {
    const dir = tempDir();
    const auth = legacyAuth(dir, JSON.stringify({ aiEnabled: false }));
    const { store, audit, bus } = open(dir);
    expect(auth.legacySettings()).toEqual([{ key: RUNTIME_SETTINGS_KEY, value: '{"aiEnabled":false}' }]);
    expect((await migrateLegacySettings(auth, store)).ok).toBe(true);
    expect(auth.legacySettings()).toEqual([]);
    const settings = await loadRuntimeSettings({ store, audit, events: bus, clock: { now: () => 1 } });
    expect(settings.get()).toEqual({ aiEnabled: false });
    auth.close();
  });

  it('a value already in the state DB wins over the legacy one', async () => {
    const dir = tempDir();
    const auth = legacyAuth(dir, JSON.stringify({ aiEnabled: false }));
    const { store, audit, bus } = open(dir);
    await store.writeSetting(RUNTIME_SETTINGS_KEY, JSON.stringify({ aiEnabled: true }));
    expect((await migrateLegacySettings(auth, store)).ok).toBe(true);
    expect((await loadRuntimeSettings({ store, audit, events: bus, clock: { now: () => 1 } })).get()).toEqual({ aiEnabled: true });
    expect(auth.legacySettings()).toEqual([]);
    auth.close();
  });
});

function insertLegacy(path: string, value: string): void {
  const database = openDatabase(path);
  database.prepare('INSERT INTO auth_settings (key, value) VALUES (?, ?)').run(RUNTIME_SETTINGS_KEY, value);
  database.close();
}
