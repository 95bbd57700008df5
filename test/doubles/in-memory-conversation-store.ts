/** Conversations in memory (tests, and `jarvis start` without a state database). Same per-user scoping as SQLite. */
import { err, jarvisError, ok, type JarvisError, type Result } from '../../src/core/errors.ts';
import type { ConversationHead, ConversationStore, StoredMessage } from '../../src/core/ports/conversations.ts';

export class MemoryConversationStore implements ConversationStore {
  private readonly conversations = new Map<string, { head: Omit<ConversationHead, 'messages'>; messages: StoredMessage[] }>();

  async create(head: { id: string; user: string; title: string; createdAt: number }): Promise<Result<void, JarvisError>> {
    if (this.conversations.has(head.id)) return err(jarvisError('CONFLICT', `conversation ${head.id} exists`));
    this.conversations.set(head.id, { head: { ...head, updatedAt: head.createdAt }, messages: [] });
    return ok(undefined);
  }
  async get(id: string, user: string) {
    const found = this.conversations.get(id);
    if (!found || found.head.user !== user) return ok(undefined);
    return ok({ head: { ...found.head, messages: found.messages.length }, messages: [...found.messages] });
  }
  async list(user: string, limit: number) {
    return ok(
      [...this.conversations.values()]
        .filter((c) => c.head.user === user)
        .sort((a, b) => b.head.updatedAt - a.head.updatedAt)
        .slice(0, limit)
        .map((c) => ({ ...c.head, messages: c.messages.length })),
    );
  }
  async append(id: string, user: string, messages: readonly StoredMessage[]): Promise<Result<void, JarvisError>> {
    const found = this.conversations.get(id);
    if (!found || found.head.user !== user) return err(jarvisError('NOT_FOUND', `no conversation ${id}`));
    found.messages.push(...messages);
    const last = messages.at(-1);
    if (last) found.head = { ...found.head, updatedAt: last.at };
    return ok(undefined);
  }
  async delete(id: string, user: string) {
    const found = this.conversations.get(id);
    if (!found || found.head.user !== user) return ok(false);
    this.conversations.delete(id);
    return ok(true);
  }
}
