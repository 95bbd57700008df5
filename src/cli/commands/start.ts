import { formatConfigError } from '../../config/index.ts';
import type { JarvisError } from '../../core/errors.ts';
import { parseCommandArgs } from '../compose/command-args.ts';
import { startJarvis, type RunningJarvis } from '../compose/start-jarvis.ts';

/** Longest a clean shutdown may take before the process exits anyway (ms). */
const SHUTDOWN_TIMEOUT_MS = 15_000;

/** Human lines printed once the server listens (stdout). */
function banner(running: RunningJarvis): string {
  const lines = [
    running.simulator
      ? 'Jarvis is running on the EMBEDDED SIMULATED cluster (no pve.url configured; see docs/configuration.md to connect a real one).'
      : `Jarvis is running against ${running.endpoint.url}.`,
    `  dashboard:  ${running.url}/`,
  ];
  const admin = running.admin;
  if (admin.generatedPassword) {
    lines.push(`  login:      ${admin.username} / ${admin.generatedPassword}`);
    lines.push(`              (generated now and shown only once; also saved, mode 0600, to ${admin.passwordFile})`);
  } else {
    lines.push(`  login:      ${admin.username} (password from JARVIS_ADMIN_PASSWORD, or in ${running.config.paths.dataDir}/admin-password)`);
  }
  if (running.simulator) lines.push(`  simulator:  PVE API ${running.simulator.url}, fault-injection API ${running.simulator.adminUrl} (docs/simulator.md)`);
  lines.push('Press Ctrl+C to stop.');
  return `${lines.join('\n')}\n`;
}

function failure(error: JarvisError): number {
  if (error.code === 'CONFIG_INVALID') {
    process.stderr.write(formatConfigError(error));
    return 2;
  }
  process.stderr.write(`jarvis start: ${error.message}${error.hint ? `\n  fix: ${error.hint}` : ''}\n`);
  return error.code === 'INVALID_INPUT' ? 2 : 1;
}

/**
 * `jarvis start [--config FILE] [--port N] [--host ADDR] [--data-dir DIR] [--json]`.
 * Exit 2 on invalid config or arguments (nothing written), 1 when start-up fails, 0 after a clean
 * shutdown on SIGINT/SIGTERM. `--json` prints one JSON line instead of the banner (scripts, e2e).
 */
export async function run(args: string[]): Promise<number> {
  const parsed = parseCommandArgs('start', args);
  if (!parsed.ok) {
    process.stderr.write(`${parsed.error}\n`);
    return 2;
  }
  const json = parsed.value.flag('json');
  const started = await startJarvis({ argv: parsed.value.configArgv });
  if (!started.ok) return failure(started.error);
  const running = started.value;
  if (json) {
    const line = {
      url: running.url,
      simulated: running.simulator !== undefined,
      adminUser: running.admin.username,
      ...(running.admin.generatedPassword ? { adminPassword: running.admin.generatedPassword } : {}),
      ...(running.simulator ? { simulatorUrl: running.simulator.url, simulatorAdminUrl: running.simulator.adminUrl } : {}),
    };
    process.stdout.write(`${JSON.stringify(line)}\n`);
  } else {
    process.stdout.write(banner(running));
  }
  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    process.once('SIGINT', () => resolve('SIGINT'));
    process.once('SIGTERM', () => resolve('SIGTERM'));
  });
  // A second signal, or a close that hangs, must not leave a half-dead process behind.
  const force = (reason: string) => {
    process.stderr.write(`jarvis: ${reason}; exiting now\n`);
    process.exit(1);
  };
  process.once('SIGINT', () => force('second signal during shutdown'));
  process.once('SIGTERM', () => force('second signal during shutdown'));
  const timer = setTimeout(() => force(`shutdown took longer than ${SHUTDOWN_TIMEOUT_MS / 1000} s`), SHUTDOWN_TIMEOUT_MS);
  timer.unref();
  if (!json) process.stdout.write(`${signal}: shutting down...\n`);
  await running.close();
  clearTimeout(timer);
  return 0;
}
