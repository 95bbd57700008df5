/**
 * `jarvis plan [--snapshot FILE] [--config FILE]`: reads actions as JSON lines on stdin and writes
 * one decision per line (verdict, tier, reasons, blast radius, preview), executing nothing. It
 * decides against the current cluster: the configured one, else the embedded simulator, or the
 * given snapshot file. The emergency stop and the node locks held by a running server (shared
 * state DB) are honoured when the state DB exists.
 * `jarvis plan --schema` prints the action JSON schema; `jarvis plan --lists` prints what each
 * never-act / protected list blocks. Exit 0, or 1 when any line was invalid.
 */
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { z } from 'zod';
import { openDatabase } from '../../adapters/sqlite/open-database.ts';
import { SqliteNodeLocks } from '../../adapters/sqlite/sqlite-node-locks.ts';
import { SqliteSettingsStore } from '../../adapters/sqlite/sqlite-settings-store.ts';
import { actionSchema } from '../../core/domain/action.ts';
import { decide } from '../../core/safety/decide.ts';
import { LIST_SCOPES } from '../../core/safety/list-scopes.ts';
import { NO_LOCKS, type LockState } from '../../core/safety/decision.ts';
import { clusterSource, kernelPaths, loadCliConfig, snapshotFileSource, takeFlag, takeOption, type ClusterSource } from './kernel-context.ts';

const USAGE = 'jarvis plan [--snapshot FILE] [--config FILE] < actions.jsonl | jarvis plan --schema | jarvis plan --lists';

/** The action JSON schema (from the zod schema). */
export function actionJsonSchema(): unknown {
  return z.toJSONSchema(actionSchema, { io: 'input' });
}

/**
 * The emergency-stop switch and the node locks held now, from the state DB the server shares.
 * No state DB yet: not frozen, no locks. An unreadable switch fails closed (frozen).
 */
async function readKernelState(stateDb: string, now: number): Promise<{ frozen: boolean; locks: LockState }> {
  if (!existsSync(stateDb)) return { frozen: false, locks: NO_LOCKS };
  try {
    const database = openDatabase(stateDb);
    try {
      const state = await new SqliteSettingsStore(database).getFreeze();
      return { frozen: state.ok ? state.value.frozen : true, locks: new SqliteNodeLocks(database).state(now) };
    } finally {
      database.close();
    }
  } catch {
    return { frozen: true, locks: NO_LOCKS }; // unreadable switch: fail closed
  }
}

export async function run(args: string[], input: NodeJS.ReadableStream = process.stdin): Promise<number> {
  const lists = takeFlag(args, '--lists');
  if (lists.present) {
    // What each owner list blocks (the table of docs/safety.md), one JSON line per list.
    for (const scope of LIST_SCOPES) process.stdout.write(`${JSON.stringify(scope)}\n`);
    return 0;
  }
  const schema = takeFlag(args, '--schema');
  if (schema.present) {
    process.stdout.write(`${JSON.stringify(actionJsonSchema(), null, 2)}\n`);
    return 0;
  }
  const snapshotOption = takeOption(schema.rest, '--snapshot');
  const loaded = loadCliConfig('plan', snapshotOption.rest, USAGE);
  if (!loaded) return 2;
  const { config } = loaded;
  const source = snapshotOption.value !== undefined ? snapshotFileSource(snapshotOption.value) : await clusterSource(config);
  if (!source.ok) {
    process.stderr.write(`jarvis plan: ${source.error.message}\n`);
    return 2;
  }
  const cluster: ClusterSource = source.value;
  try {
    const snapshot = await cluster.readSnapshot();
    if (!snapshot.ok) {
      process.stderr.write(`jarvis plan: cannot read the cluster: ${snapshot.error.message}\n`);
      return 2;
    }
    const { frozen, locks } = await readKernelState(kernelPaths(config).stateDb, Date.now());
    let invalid = 0;
    let lineNumber = 0;
    for await (const line of createInterface({ input, crlfDelay: Infinity })) {
      lineNumber += 1;
      if (line.trim() === '') continue;
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch {
        invalid += 1;
        process.stdout.write(`${JSON.stringify({ line: lineNumber, error: 'not JSON' })}\n`);
        continue;
      }
      const parsed = actionSchema.safeParse(value);
      if (!parsed.success) {
        invalid += 1;
        const issue = parsed.error.issues[0];
        process.stdout.write(`${JSON.stringify({ line: lineNumber, error: `invalid action at ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}` })}\n`);
        continue;
      }
      const action = parsed.data;
      const now = Date.now();
      const decision = decide(action, snapshot.value, config.topology, locks, now, { frozen, autonomous: action.actor.kind === 'monitor' });
      const { verdict, tier, reasons, ...rest } = decision;
      process.stdout.write(`${JSON.stringify({ line: lineNumber, verdict, tier, reasons, ...rest })}\n`);
    }
    return invalid > 0 ? 1 : 0;
  } finally {
    await cluster.close();
  }
}
