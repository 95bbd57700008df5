/**
 * Chat conversations, per user (adapters/sqlite: SqliteConversationStore; app: MemoryConversationStore).
 * Every method is scoped by `user`: a user never reads, appends to or deletes another's conversation.
 */
import type { JarvisError, Result } from '../errors.ts';
import type { ModelToolCall } from '../llm/model-port.ts';

/** One stored message. `answer` (assistant turns) is the ChatAnswer DTO as JSON-able data. */
export interface StoredMessage {
  readonly role: 'user' | 'assistant' | 'tool';
  readonly content: string;
  readonly at: number;
  readonly toolCalls?: readonly ModelToolCall[] | undefined;
  readonly toolCallId?: string | undefined;
  readonly toolName?: string | undefined;
  readonly answer?: unknown;
}

export interface ConversationHead {
  readonly id: string;
  readonly user: string;
  readonly title: string;
  readonly createdAt: number;
  readonly updatedAt: number;
  readonly messages: number;
}

export interface ConversationStore {
  create(head: { readonly id: string; readonly user: string; readonly title: string; readonly createdAt: number }): Promise<Result<void, JarvisError>>;
  /** The conversation with its messages in order; undefined when absent or another user's. */
  get(id: string, user: string): Promise<Result<{ readonly head: ConversationHead; readonly messages: readonly StoredMessage[] } | undefined, JarvisError>>;
  /** Newest first. */
  list(user: string, limit: number): Promise<Result<readonly ConversationHead[], JarvisError>>;
  append(id: string, user: string, messages: readonly StoredMessage[]): Promise<Result<void, JarvisError>>;
  /** True when something was deleted. */
  delete(id: string, user: string): Promise<Result<boolean, JarvisError>>;
}
