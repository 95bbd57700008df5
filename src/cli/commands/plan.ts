/**
 * `jarvis plan [--snapshot FILE] [--config FILE]`: reads actions as JSON lines on stdin and writes
 * one decision per line (verdict, tier, reasons, blast radius, preview), executing nothing. It
 * decides against the current cluster: the configured one, else the embedded simulator, or the
 * given snapshot file. The emergency stop and the node locks held by a running server (shared
 * state DB) are honoured when the state DB exists.
 * `jarvis plan --schema` prints the action JSON schema; `jarvis plan --lists` prints what each
 * never-act / protected list blocks. Exit 0, or 1 when any line was invalid.
 */
import { createInterface } from 'node:readline';
import { z } from 'zod';
import { actionSchema } from '../../core/domain/action.ts';
import type { JarvisConfig } from '../../config/index.ts';
import type { ClusterSnapshot } from '../../core/domain/cluster.ts';
import type { JarvisError, Result } from '../../core/errors.ts';
import { silentLogger } from '../../core/ports/logger.ts';
import { decide } from '../../core/safety/decide.ts';
import { LIST_SCOPES } from '../../core/safety/list-scopes.ts';
import { loadCommandConfig, parseCommandArgs } from '../compose/command-args.ts';
import { openCluster, readKernelState, readSnapshotFile } from '../compose/jarvis-parts.ts';

/** The action JSON schema (from the zod schema). */
export function actionJsonSchema(): unknown {
  return z.toJSONSchema(actionSchema, { io: 'input' });
}

export async function run(args: string[], input: NodeJS.ReadableStream = process.stdin): Promise<number> {
  const parsed = parseCommandArgs('plan', args);
  if (!parsed.ok) {
    process.stderr.write(`${parsed.error}\n`);
    return 2;
  }
  if (parsed.value.flag('lists')) {
    // What each owner list blocks (the table of docs/safety.md), one JSON line per list.
    for (const scope of LIST_SCOPES) process.stdout.write(`${JSON.stringify(scope)}\n`);
    return 0;
  }
  if (parsed.value.flag('schema')) {
    process.stdout.write(`${JSON.stringify(actionJsonSchema(), null, 2)}\n`);
    return 0;
  }
  const loaded = loadCommandConfig(parsed.value);
  if (!loaded) return 2;
  const { config } = loaded;
  const snapshotFile = parsed.value.string('snapshot');
  let snapshot: Result<ClusterSnapshot, JarvisError>;
  if (snapshotFile !== undefined) {
    snapshot = readSnapshotFile(snapshotFile);
  } else {
    const cluster = await openCluster(config, { logger: silentLogger, simulator: { authDelayMs: 0, metricsIntervalMs: 0 } });
    if (!cluster.ok) {
      process.stderr.write(`jarvis plan: ${cluster.error.message}\n`);
      return 2;
    }
    try {
      snapshot = await cluster.value.connection.api.readSnapshot();
    } finally {
      await cluster.value.close();
    }
  }
  if (!snapshot.ok) {
    process.stderr.write(`jarvis plan: cannot read the cluster: ${snapshot.error.message}\n`);
    return 2;
  }
  return decideLines(input, snapshot.value, config, await readKernelState(config, Date.now()));
}

/** One decision (or one error) per input line; 1 when any line was invalid. */
async function decideLines(
  input: NodeJS.ReadableStream,
  snapshot: ClusterSnapshot,
  config: JarvisConfig,
  state: Awaited<ReturnType<typeof readKernelState>>,
): Promise<number> {
  const { frozen, locks } = state;
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
      process.stdout.write(
        `${JSON.stringify({ line: lineNumber, error: `invalid action at ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}` })}\n`,
      );
      continue;
    }
    const action = parsed.data;
    const decision = decide(action, snapshot, config.topology, locks, Date.now(), { frozen, autonomous: action.actor.kind === 'monitor' });
    const { verdict, tier, reasons, ...rest } = decision;
    process.stdout.write(`${JSON.stringify({ line: lineNumber, verdict, tier, reasons, ...rest })}\n`);
  }
  return invalid > 0 ? 1 : 0;
}
