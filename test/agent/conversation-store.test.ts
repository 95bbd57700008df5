import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/adapters/sqlite/open-database.ts';
import { SqliteConversationStore } from '../../src/adapters/sqlite/sqlite-conversation-store.ts';
import { MemoryConversationStore } from '../doubles/in-memory-conversation-store.ts';
import type { ConversationStore } from '../../src/core/ports/conversations.ts';

const stores: Record<string, () => ConversationStore> = {
  sqlite: () => new SqliteConversationStore(openDatabase(':memory:')),
  memory: () => new MemoryConversationStore(),
};

for (const [name, make] of Object.entries(stores)) {
  describe(`${name} conversation store`, () => {
    it('keeps messages in order per user, lists newest first, and deletes', async () => {
      const store = make();
      await store.create({ id: 'a', user: 'alice', title: 'first', createdAt: 1 });
      await store.create({ id: 'b', user: 'alice', title: 'second', createdAt: 2 });
      await store.create({ id: 'c', user: 'bob', title: 'bob', createdAt: 3 });
      expect(
        (
          await store.append('a', 'alice', [
            { role: 'user', content: 'hi', at: 10 },
            { role: 'assistant', content: 'hello', at: 11, answer: { text: 'hello' } },
          ])
        ).ok,
      ).toBe(true);
      const list = await store.list('alice', 10);
      expect(list.ok && list.value.map((head) => [head.id, head.messages])).toEqual([
        ['a', 2],
        ['b', 0],
      ]);
      const got = await store.get('a', 'alice');
      expect(got.ok && got.value?.messages.map((message) => message.content)).toEqual(['hi', 'hello']);
      expect(got.ok && got.value?.messages[1]?.answer).toEqual({ text: 'hello' });
      // Another user's conversation is invisible and untouchable.
      expect((await store.get('a', 'bob')).ok && (await store.get('a', 'bob'))).toMatchObject({ value: undefined });
      expect((await store.append('a', 'bob', [{ role: 'user', content: 'x', at: 12 }])).ok).toBe(false);
      expect(await store.delete('a', 'bob')).toEqual({ ok: true, value: false });
      expect(await store.delete('a', 'alice')).toEqual({ ok: true, value: true });
      expect(await store.get('a', 'alice')).toEqual({ ok: true, value: undefined });
    });
  });
}
