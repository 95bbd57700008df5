import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Ticket } from '../../core/safety/decision.ts';
import { openDatabase } from './open-database.ts';
import { SqliteAuditLog } from './sqlite-audit-log.ts';
import { SqliteSettingsStore } from './sqlite-settings-store.ts';
import { SqliteTicketStore } from './sqlite-ticket-store.ts';

const dir = mkdtempSync(join(tmpdir(), 'jarvis-sqlite-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const ticket = (id: string, expiresAt = 10_000): Ticket => ({
  id,
  action: { kind: 'guest.reboot', target: { type: 'guest', vmid: 101 }, params: {}, actor: { kind: 'user', id: 'owner' }, reason: 'test' },
  actionHash: 'a'.repeat(64),
  blastRadius: {
    resources: ['vm:101'],
    nodes: [],
    guests: [101],
    containers: [],
    services: [],
    votesLost: 0,
    quorumAfter: { votesOnline: 4, votesNeeded: 3, quorate: true },
  },
  requester: { kind: 'user', id: 'owner' },
  createdAt: 0,
  expiresAt,
  status: 'pending',
});

describe('SqliteTicketStore', () => {
  it('consumes a ticket exactly once, even through two connections to the same file', async () => {
    const path = join(dir, 'state.db');
    const first = new SqliteTicketStore(openDatabase(path));
    const second = new SqliteTicketStore(openDatabase(path));
    await first.save(ticket('t1'));
    const results = await Promise.all([first.consume('t1', 5), second.consume('t1', 5)]);
    expect(results.filter((result) => result.ok)).toHaveLength(1);
    const loser = results.find((result) => !result.ok);
    expect(loser && !loser.ok && loser.error.code).toBe('TICKET_INVALID');
    const stored = await second.get('t1');
    expect(stored.ok && stored.value?.status).toBe('consumed');
  });

  it('refuses to consume an expired or rejected ticket and lists only live pending ones', async () => {
    const store = new SqliteTicketStore(openDatabase(':memory:'));
    await store.save(ticket('old', 100));
    await store.save(ticket('live', 10_000));
    await store.save(ticket('no', 10_000));
    expect((await store.consume('old', 100)).ok).toBe(false);
    expect((await store.reject('no', 5)).ok).toBe(true);
    expect((await store.consume('no', 5)).ok).toBe(false);
    const pending = await store.listPending(200);
    expect(pending.ok && pending.value.map((item) => item.id)).toEqual(['live']);
    expect((await store.consume('missing', 5)).ok).toBe(false);
    const recent = await store.listRecent(10);
    expect(recent.ok && recent.value.map((item) => `${item.id}:${item.status}`)).toEqual(['no:rejected', 'live:pending', 'old:pending']);
  });
});

describe('SqliteSettingsStore', () => {
  it('is unfrozen by default, persists a freeze, and reads a corrupt value as frozen', async () => {
    const database = openDatabase(':memory:');
    const settings = new SqliteSettingsStore(database);
    expect((await settings.getFreeze()).ok && (await settings.getFreeze())).toEqual({ ok: true, value: { frozen: false } });
    await settings.setFreeze({ frozen: true, by: 'owner', at: 1 });
    const frozen = await settings.getFreeze();
    expect(frozen.ok && frozen.value.frozen).toBe(true);
    database.prepare('UPDATE settings SET value = \'{"by":"x"}\' WHERE key = \'emergency_stop\'').run();
    const corrupt = await settings.getFreeze();
    expect(corrupt.ok && corrupt.value.frozen).toBe(true);
  });
});

describe('SqliteAuditLog', () => {
  it('reports AUDIT_UNAVAILABLE when the path cannot be opened', () => {
    const file = join(dir, 'not-a-dir');
    writeFileSync(file, 'x');
    const opened = SqliteAuditLog.open(join(file, 'audit.db'));
    expect(!opened.ok && opened.error.code).toBe('AUDIT_UNAVAILABLE');
  });

  it('uses WAL and chains appended rows', async () => {
    const path = join(dir, 'audit.db');
    const opened = SqliteAuditLog.open(path);
    if (!opened.ok) throw new Error(opened.error.message);
    const log = opened.value;
    const first = await log.append({ kind: 'decision', time: 1, actor: { kind: 'user', id: 'owner' }, tool: 'test' });
    const second = await log.append({ kind: 'result', time: 2, actor: { kind: 'user', id: 'owner' }, tool: 'test', result: 'done' });
    expect(first.ok && second.ok && second.value.prevHash).toBe(first.ok ? first.value.hash : '');
    const verdict = await log.verify();
    expect(verdict.ok && verdict.value).toEqual({ ok: true, checked: 2, problems: [] });
    log.close();
    const raw = openDatabase(path);
    expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    raw.close();
  });
});

describe('SqliteNodeLocks', () => {
  it('holds one lock across two processes sharing the file; releases and expiry free it', async () => {
    const { SqliteNodeLocks } = await import('./sqlite-node-locks.ts');
    const path = join(dir, 'locks.db');
    const server = new SqliteNodeLocks(openDatabase(path));
    const cli = new SqliteNodeLocks(openDatabase(path));
    expect(server.tryAcquire({ node: 'pve', holder: 'a', acquiredAt: 0, expiresAt: 100 }, 0)).toBe(true);
    expect(cli.tryAcquire({ node: 'agent', holder: 'b', acquiredAt: 1, expiresAt: 100 }, 1)).toBe(false);
    expect(cli.state(1).held.map((lock) => lock.node)).toEqual(['pve']);
    server.release('pve', 'a');
    expect(cli.tryAcquire({ node: 'agent', holder: 'b', acquiredAt: 2, expiresAt: 50 }, 2)).toBe(true);
    expect(server.state(50).held).toEqual([]);
    expect(server.tryAcquire({ node: 'pve', holder: 'c', acquiredAt: 50, expiresAt: 100 }, 50)).toBe(true);
  });
});
