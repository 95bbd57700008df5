/**
 * Chat conversations on SQLite, per user (issue 11). Messages are rows in order (`seq`), written in
 * one transaction per append; deleting a conversation deletes its messages (ON DELETE CASCADE).
 */
import { err, jarvisError, ok, type JarvisError, type Result } from '../../core/errors.ts';
import type { ConversationHead, ConversationStore, StoredMessage } from '../../core/ports/conversations.ts';
import { migrate, openDatabase, type SqliteDatabase } from './open-database.ts';

const MIGRATIONS = [
  {
    id: 'conversations-001',
    sql: `CREATE TABLE conversations (
            id TEXT PRIMARY KEY, user TEXT NOT NULL, title TEXT NOT NULL, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL);
          CREATE INDEX conversations_user ON conversations (user, updated_at);
          CREATE TABLE conversation_messages (
            conversation_id TEXT NOT NULL REFERENCES conversations(id) ON DELETE CASCADE, seq INTEGER NOT NULL,
            role TEXT NOT NULL, body TEXT NOT NULL, at INTEGER NOT NULL, PRIMARY KEY (conversation_id, seq));`,
  },
];

const storageError = (cause: unknown): JarvisError =>
  jarvisError('STORAGE_UNAVAILABLE', `conversation store failed: ${cause instanceof Error ? cause.message.split('\n')[0] : String(cause)}`, {
    hint: 'check that the state database path (storage.path) is writable',
    cause,
  });

interface HeadRow {
  id: string;
  user: string;
  title: string;
  created_at: number;
  updated_at: number;
  messages: number;
}
const toHead = (row: HeadRow): ConversationHead => ({
  id: row.id,
  user: row.user,
  title: row.title,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
  messages: row.messages,
});

export class SqliteConversationStore implements ConversationStore {
  readonly #database: SqliteDatabase;

  constructor(database: SqliteDatabase) {
    migrate(database, MIGRATIONS);
    this.#database = database;
  }

  static open(path: string): Result<SqliteConversationStore, JarvisError> {
    try {
      return ok(new SqliteConversationStore(openDatabase(path)));
    } catch (cause) {
      return err(storageError(cause));
    }
  }

  #run<T>(work: () => T): Result<T, JarvisError> {
    try {
      return ok(work());
    } catch (cause) {
      return err(storageError(cause));
    }
  }

  async create(head: { id: string; user: string; title: string; createdAt: number }): Promise<Result<void, JarvisError>> {
    return this.#run(() => {
      this.#database
        .prepare('INSERT INTO conversations (id, user, title, created_at, updated_at) VALUES (?, ?, ?, ?, ?)')
        .run(head.id, head.user, head.title, head.createdAt, head.createdAt);
    });
  }

  async get(id: string, user: string): Promise<Result<{ head: ConversationHead; messages: StoredMessage[] } | undefined, JarvisError>> {
    return this.#run(() => {
      const head = this.#database
        .prepare(
          'SELECT c.*, (SELECT COUNT(*) FROM conversation_messages m WHERE m.conversation_id = c.id) AS messages FROM conversations c WHERE id = ? AND user = ?',
        )
        .get(id, user) as HeadRow | undefined;
      if (!head) return undefined;
      const rows = this.#database.prepare('SELECT body FROM conversation_messages WHERE conversation_id = ? ORDER BY seq').all(id) as { body: string }[];
      return { head: toHead(head), messages: rows.map((row) => JSON.parse(row.body) as StoredMessage) };
    });
  }

  async list(user: string, limit: number): Promise<Result<ConversationHead[], JarvisError>> {
    return this.#run(() =>
      (
        this.#database
          .prepare(
            'SELECT c.*, (SELECT COUNT(*) FROM conversation_messages m WHERE m.conversation_id = c.id) AS messages FROM conversations c WHERE user = ? ORDER BY updated_at DESC, id LIMIT ?',
          )
          .all(user, limit) as HeadRow[]
      ).map(toHead),
    );
  }

  async append(id: string, user: string, messages: readonly StoredMessage[]): Promise<Result<void, JarvisError>> {
    return this.#run(() => {
      this.#database.transaction(() => {
        const owner = this.#database.prepare('SELECT user FROM conversations WHERE id = ?').get(id) as { user: string } | undefined;
        if (!owner || owner.user !== user) throw new Error(`no conversation ${id} for this user`);
        const next = (
          this.#database.prepare('SELECT COALESCE(MAX(seq), 0) AS seq FROM conversation_messages WHERE conversation_id = ?').get(id) as { seq: number }
        ).seq;
        const insert = this.#database.prepare('INSERT INTO conversation_messages (conversation_id, seq, role, body, at) VALUES (?, ?, ?, ?, ?)');
        messages.forEach((message, index) => insert.run(id, next + index + 1, message.role, JSON.stringify(message), message.at));
        const last = messages.at(-1);
        if (last) this.#database.prepare('UPDATE conversations SET updated_at = ? WHERE id = ?').run(last.at, id);
      })();
    });
  }

  close(): void {
    if (this.#database.open) this.#database.close();
  }

  async delete(id: string, user: string): Promise<Result<boolean, JarvisError>> {
    return this.#run(() => this.#database.prepare('DELETE FROM conversations WHERE id = ? AND user = ?').run(id, user).changes > 0);
  }
}
