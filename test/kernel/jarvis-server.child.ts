/**
 * Child process for the kill -9 audit test: a real Jarvis (`startJarvis`, the `jarvis start`
 * composition) on the embedded simulator with its data in argv[2]; prints one JSON line
 * `{"url": ...}` once listening, then serves until it is killed.
 */
import { join } from 'node:path';
import { startJarvis } from '../../src/cli/compose/start-jarvis.ts';
import { silentLogger } from '../../src/core/ports/logger.ts';

const dir = process.argv[2];
if (!dir) throw new Error('usage: jarvis-server.child.ts DIR');
const started = await startJarvis({
  argv: ['--port', '0', '--poll-interval-ms', '60000'],
  env: { JARVIS_DATA_DIR: join(dir, 'data') },
  cwd: dir,
  simulator: { seed: 1, authDelayMs: 0, taskDurationMs: 50, metricsIntervalMs: 0 },
  buildWeb: false,
  logger: silentLogger,
  defaultMetrics: false,
});
if (!started.ok) throw new Error(started.error.message);
process.stdout.write(`${JSON.stringify({ url: started.value.url })}\n`);
