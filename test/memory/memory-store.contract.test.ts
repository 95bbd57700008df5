/** Contract of the MemoryStore port, run against the SQLite adapter (in memory and on a file). */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SqliteMemoryStore } from '../../src/adapters/sqlite/memory-store.ts';
import { openDatabase } from '../../src/adapters/sqlite/open-database.ts';
import type { MemoryStore } from '../../src/core/ports/memory.ts';
import { entry, T0 } from './helpers.ts';

const dir = mkdtempSync(join(tmpdir(), 'jarvis-memory-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const DAY = 86_400_000;

function contract(name: string, open: () => MemoryStore) {
  describe(`MemoryStore contract: ${name}`, () => {
    it('stores, reads back and updates an entry with its provenance', async () => {
      const store = open();
      const first = entry({
        id: 'a',
        subject: 'agent1 address',
        text: 'agent1 address is 192.168.1.31',
        entities: ['node:agent1'],
        provenance: { writer: 'user', principal: 'user:owner', at: T0, sourceId: 'conversation:c1', tainted: false },
      });
      expect((await store.apply({ upserts: [first] })).ok).toBe(true);
      expect(await store.get('a')).toEqual({ ok: true, value: first });
      expect(await store.coreFact('agent1 address')).toEqual({ ok: true, value: first });
      const changed = { ...first, text: 'agent1 address is 192.168.1.40', updatedAt: T0 + 1 };
      await store.apply({
        upserts: [changed],
        versions: [{ entryId: 'a', oldText: first.text, newText: changed.text, provenance: first.provenance, at: T0 + 1 }],
      });
      expect((await store.get('a')).ok && (await store.get('a'))).toEqual({ ok: true, value: changed });
      const versions = await store.versions('a');
      expect(versions.ok && versions.value.map((version) => [version.oldText, version.newText, version.provenance.sourceId])).toEqual([
        [first.text, changed.text, 'conversation:c1'],
      ]);
      expect(await store.get('missing')).toEqual({ ok: true, value: undefined });
    });

    it('keeps one core fact per subject (a second id with the same subject is refused)', async () => {
      const store = open();
      await store.apply({ upserts: [entry({ id: 'a', subject: 's' })] });
      const second = await store.apply({ upserts: [entry({ id: 'b', subject: 's' })] });
      expect(second.ok).toBe(false);
      if (!second.ok) expect(second.error.code).toBe('STORAGE_UNAVAILABLE');
      // The same subject in another tier is fine.
      expect((await store.apply({ upserts: [entry({ id: 'c', subject: 's', tier: 'event' })] })).ok).toBe(true);
    });

    it('selects candidates by key: every active core fact, recent other tiers, newest first, per-key cap', async () => {
      const store = open();
      await store.apply({
        upserts: [
          entry({ id: 'core', entities: ['vm:101'] }),
          entry({ id: 'pending', entities: ['vm:101'], status: 'pending', subject: 'p' }),
          entry({ id: 'old-event', tier: 'event', entities: ['vm:101'], updatedAt: T0 - 30 * DAY }),
          ...[1, 2, 3].map((n) => entry({ id: `ev${n}`, tier: 'event', entities: ['vm:101', 'topic:power'], updatedAt: T0 - n * 1000 })),
          entry({ id: 'other', tier: 'event', entities: ['vm:102'] }),
        ],
      });
      const found = await store.candidates(['vm:101'], T0 - 7 * DAY, 2);
      expect(found.ok && found.value.map((item) => item.id).sort()).toEqual(['core', 'ev1', 'ev2']);
      const none = await store.candidates(['node:nowhere'], 0, 10);
      expect(none).toEqual({ ok: true, value: [] });
    });

    it('lists with tier, status and search filters (LIKE wildcards are literal) and a total', async () => {
      const store = open();
      await store.apply({
        upserts: [
          entry({ id: 'a', text: 'disk is 100% full', subject: 'a' }),
          entry({ id: 'b', text: 'disk is fine', subject: 'b', updatedAt: T0 + 1 }),
          entry({ id: 'c', tier: 'event', text: 'disk alarm', subject: 'c' }),
        ],
      });
      const all = await store.list({});
      expect(all.ok && [all.value.total, all.value.entries.map((item) => item.id)]).toEqual([3, ['b', 'a', 'c']]);
      const core = await store.list({ tier: 'core', search: '100%' });
      expect(core.ok && core.value.entries.map((item) => item.id)).toEqual(['a']);
      const page = await store.list({ limit: 1, offset: 1 });
      expect(page.ok && [page.value.total, page.value.entries.length]).toEqual([3, 1]);
    });

    it('deleting an entry deletes its keys and version log; wiping a tier leaves the others', async () => {
      const store = open();
      await store.apply({
        upserts: [entry({ id: 'a', entities: ['vm:101'] }), entry({ id: 'e', tier: 'event', entities: ['vm:101'] })],
        versions: [{ entryId: 'a', oldText: 'x', newText: 'y', provenance: entry({ id: 'a' }).provenance, at: T0 }],
      });
      await store.apply({ deletes: ['a'] });
      expect(await store.versions('a')).toEqual({ ok: true, value: [] });
      const left = await store.candidates(['vm:101'], 0, 10);
      expect(left.ok && left.value.map((item) => item.id)).toEqual(['e']);
      expect(await store.wipeTier('event')).toEqual({ ok: true, value: 1 });
      expect((await store.all()).ok && (await store.all())).toEqual({ ok: true, value: [] });
    });
  });
}

contract('sqlite :memory:', () => new SqliteMemoryStore(openDatabase(':memory:')));
let fileCount = 0;
contract('sqlite file', () => new SqliteMemoryStore(openDatabase(join(dir, `m${(fileCount += 1)}.db`))));

describe('SqliteMemoryStore migrations', () => {
  it('re-opening an existing file applies nothing twice and keeps the data', async () => {
    const path = join(dir, 'reopen.db');
    const first = SqliteMemoryStore.open(path);
    if (!first.ok) throw new Error('open failed');
    await first.value.apply({ upserts: [entry({ id: 'kept' })] });
    const second = SqliteMemoryStore.open(path);
    expect(second.ok).toBe(true);
    if (second.ok) expect((await second.value.get('kept')).ok).toBe(true);
  });

  it('an unopenable path is STORAGE_UNAVAILABLE naming storage.path', () => {
    writeFileSync(join(dir, 'plain-file'), 'x');
    const result = SqliteMemoryStore.open(join(dir, 'plain-file', 'memory.db'));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.hint).toMatch(/storage\.path/);
  });
});
