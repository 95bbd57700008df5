/**
 * `jarvis start` in-process on the embedded simulator, as the cross-module suites use it: port 0,
 * a temp data dir, fast simulated tasks, no metrics drift, no dashboard build, silent logs.
 * The test drives the poller itself unless `pollIntervalMs` is short.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startJarvis, type RunningJarvis } from '../../src/cli/compose/start-jarvis.ts';
import { silentLogger } from '../../src/core/ports/logger.ts';

export interface TestJarvis {
  readonly running: RunningJarvis;
  /** Temp dir holding `data/` (auth.db, state.db, audit/). */
  readonly dir: string;
  close(): Promise<void>;
}

export async function startTestJarvis(
  options: { seed?: number; pollIntervalMs?: number; prefix?: string; defaultMetrics?: boolean } = {},
): Promise<TestJarvis> {
  const dir = mkdtempSync(join(tmpdir(), options.prefix ?? 'jarvis-test-'));
  const started = await startJarvis({
    argv: ['--port', '0', '--poll-interval-ms', String(options.pollIntervalMs ?? 60_000)],
    env: { JARVIS_DATA_DIR: join(dir, 'data') },
    cwd: dir,
    simulator: { seed: options.seed ?? 1, authDelayMs: 0, taskDurationMs: 50, metricsIntervalMs: 0 },
    buildWeb: false,
    logger: silentLogger,
    defaultMetrics: options.defaultMetrics ?? false,
  });
  if (!started.ok) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(started.error.message);
  }
  const running = started.value;
  return {
    running,
    dir,
    async close() {
      await running.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
