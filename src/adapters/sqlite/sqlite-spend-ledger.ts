/**
 * The model spend ledger on SQLite (its own file, `llm.db`, WAL). A reservation is an INSERT made
 * inside an IMMEDIATE transaction after summing the window: atomic against every other caller,
 * in this process or another (`jarvis` CLI), so concurrent calls can never overshoot a cap.
 */
import { randomUUID } from 'node:crypto';
import { capWindow, checkCaps, describeCapExceeded, type SpendCaps } from '../../core/llm/budget-caps.ts';
import { err, jarvisError, ok, type JarvisError, type Result } from '../../core/errors.ts';
import type { SpendLedger, SpendReservation, SpendSettlement } from '../../core/llm/spend-ledger.ts';
import { migrate, openDatabase, type SqliteDatabase } from './open-database.ts';

const MIGRATIONS = [
  {
    id: 'llm-spend-001',
    sql: `CREATE TABLE llm_spend (
      id TEXT PRIMARY KEY,
      created_at INTEGER NOT NULL,
      settled_at INTEGER,
      state TEXT NOT NULL CHECK (state IN ('reserved', 'settled', 'released')),
      provider TEXT NOT NULL,
      model TEXT NOT NULL,
      category TEXT NOT NULL,
      purpose TEXT NOT NULL,
      audit_id TEXT,
      reserved_usd REAL NOT NULL,
      cost_usd REAL NOT NULL DEFAULT 0,
      tokens_in INTEGER NOT NULL DEFAULT 0,
      tokens_out INTEGER NOT NULL DEFAULT 0,
      tokens_cached INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX llm_spend_state_created ON llm_spend (state, created_at);`,
  },
  {
    // Settled cost per UTC hour: every cap window starts on an hour, so a cap check sums at most
    // 744 bucket rows (a month) instead of every call ever made.
    id: 'llm-spend-002',
    sql: `CREATE TABLE llm_spend_hourly (hour_start INTEGER PRIMARY KEY, cost_usd REAL NOT NULL);
    INSERT INTO llm_spend_hourly (hour_start, cost_usd) SELECT (created_at / 3600000) * 3600000, SUM(cost_usd) FROM llm_spend WHERE state = 'settled' GROUP BY 1;
    CREATE INDEX llm_spend_open ON llm_spend (state) WHERE state = 'reserved';`,
  },
];

const ADD_TO_BUCKET =
  'INSERT INTO llm_spend_hourly (hour_start, cost_usd) VALUES ((? / 3600000) * 3600000, ?) ON CONFLICT (hour_start) DO UPDATE SET cost_usd = cost_usd + excluded.cost_usd';

const storageError = (cause: unknown): JarvisError =>
  jarvisError('STORAGE_UNAVAILABLE', `spend ledger failed: ${cause instanceof Error ? cause.message.split('\n')[0] : String(cause)}`, {
    hint: 'check that the state directory (paths.state) is writable; cloud calls are refused while the ledger is unavailable',
    cause,
  });

export class SqliteSpendLedger implements SpendLedger {
  readonly #database: SqliteDatabase;
  readonly #committed: (since: number) => number;
  readonly #settle: (id: string, settlement: SpendSettlement, now: number) => void;
  readonly #reserveTransaction: (reservation: SpendReservation, caps: SpendCaps, now: number, id: string) => ReturnType<typeof checkCaps>;

  constructor(database: SqliteDatabase, options: { now?: number } = {}) {
    migrate(database, MIGRATIONS);
    this.#database = database;
    // A reservation left open by a previous process may have been spent: count it at its worst case.
    const addToBucket = database.prepare(ADD_TO_BUCKET);
    database.transaction(() => {
      for (const row of database.prepare("SELECT created_at, reserved_usd FROM llm_spend WHERE state = 'reserved'").all() as Array<{
        created_at: number;
        reserved_usd: number;
      }>)
        addToBucket.run(row.created_at, row.reserved_usd);
      database.prepare("UPDATE llm_spend SET state = 'settled', cost_usd = reserved_usd, settled_at = ? WHERE state = 'reserved'").run(options.now ?? 0);
    })();
    const settled = database.prepare('SELECT COALESCE(SUM(cost_usd), 0) AS total FROM llm_spend_hourly WHERE hour_start >= ?');
    const open = database.prepare("SELECT COALESCE(SUM(reserved_usd), 0) AS total FROM llm_spend WHERE state = 'reserved'");
    this.#committed = (since) => (settled.get(since) as { total: number }).total + (open.get() as { total: number }).total;
    const insert = database.prepare(
      "INSERT INTO llm_spend (id, created_at, state, provider, model, category, purpose, audit_id, reserved_usd) VALUES (?, ?, 'reserved', ?, ?, ?, ?, ?, ?)",
    );
    const transaction = database.transaction((reservation: SpendReservation, caps: SpendCaps, now: number, id: string) => {
      const exceeded = checkCaps(caps, reservation.amountUsd, now, this.#committed);
      if (exceeded) return exceeded;
      insert.run(
        id,
        now,
        reservation.provider,
        reservation.model,
        reservation.category,
        reservation.purpose,
        reservation.auditId ?? null,
        reservation.amountUsd,
      );
      return undefined;
    });
    this.#reserveTransaction = (reservation, caps, now, id) => transaction.immediate(reservation, caps, now, id);
    const close = database.prepare(
      "UPDATE llm_spend SET state = 'settled', settled_at = ?, cost_usd = ?, tokens_in = ?, tokens_out = ?, tokens_cached = ? WHERE id = ? AND state = 'reserved' RETURNING created_at",
    );
    this.#settle = database.transaction((id: string, settlement: SpendSettlement, now: number) => {
      const cost = Math.max(0, settlement.costUsd);
      const row = close.get(now, cost, settlement.inputTokens, settlement.outputTokens, settlement.cachedInputTokens, id) as { created_at: number } | undefined;
      if (row) addToBucket.run(row.created_at, cost);
    });
  }

  static open(path: string, now: number): Result<SqliteSpendLedger, JarvisError> {
    try {
      return ok(new SqliteSpendLedger(openDatabase(path), { now }));
    } catch (cause) {
      return err(storageError(cause));
    }
  }

  reserve(reservation: SpendReservation, caps: SpendCaps, now: number) {
    const id = randomUUID();
    try {
      const exceeded = this.#reserveTransaction(reservation, caps, now, id);
      if (exceeded) {
        return err({
          ...jarvisError('LLM_BUDGET_EXCEEDED', `Claude is off: ${describeCapExceeded(exceeded)}`, {
            retryable: false,
            hint: `raise llm.caps.${exceeded.cap}Usd or wait until the reset`,
            details: { cap: exceeded.cap, resetsAt: exceeded.resetsAt, limitUsd: exceeded.limitUsd },
          }),
          exceeded,
        });
      }
      return ok({ id });
    } catch (cause) {
      return err(storageError(cause));
    }
  }

  settle(id: string, settlement: SpendSettlement, now: number): Result<void, JarvisError> {
    try {
      this.#settle(id, settlement, now);
      return ok(undefined);
    } catch (cause) {
      return err(storageError(cause));
    }
  }

  release(id: string, now: number): Result<void, JarvisError> {
    try {
      this.#database.prepare("UPDATE llm_spend SET state = 'released', settled_at = ? WHERE id = ? AND state = 'reserved'").run(now, id);
      return ok(undefined);
    } catch (cause) {
      return err(storageError(cause));
    }
  }

  committed(since: number): number {
    try {
      return this.#committed(since);
    } catch {
      return Number.POSITIVE_INFINITY;
    }
  }

  /** Spend per cap window at `now` (for /metrics and status). */
  spendByCap(now: number): Record<'hourly' | 'daily' | 'monthly', number> {
    return {
      hourly: this.committed(capWindow('hourly', now).start),
      daily: this.committed(capWindow('daily', now).start),
      monthly: this.committed(capWindow('monthly', now).start),
    };
  }

  close(): void {
    this.#database.close();
  }
}
