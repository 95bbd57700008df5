/** SQLite adapters (better-sqlite3, WAL): audit log, tickets, settings. */
export * from './open-database.ts';
export * from './sqlite-audit-log.ts';
export * from './sqlite-ticket-store.ts';
export * from './sqlite-settings-store.ts';
export * from './sqlite-node-locks.ts';
export * from './sqlite-alert-store.ts';
export * from './sqlite-conversation-store.ts';
export * from './sqlite-spend-ledger.ts';
export * from './memory-store.ts';
