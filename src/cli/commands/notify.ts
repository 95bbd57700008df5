/**
 * `jarvis notify test CHANNEL [--config FILE]`: sends one test message through a configured
 * channel (config `monitor.notify.channels.CHANNEL`, secrets from env / *_FILE) with the same
 * retries as the monitor. Exit 0 when delivered, 1 when the channel failed, 2 on bad usage/config.
 */
import { createNotifyDispatcher } from '../../app/monitor/notify-dispatcher.ts';
import { testNotification } from '../../core/anomaly/index.ts';
import { silentLogger } from '../../core/ports/logger.ts';
import { notifiersFromConfig } from '../compose/monitor-from-config.ts';
import { loadCommandConfig, parseCommandArgs } from '../compose/command-args.ts';

const USAGE = 'jarvis notify test CHANNEL [--config FILE]';

export async function run(args: string[]): Promise<number> {
  const parsed = parseCommandArgs('notify', args);
  if (!parsed.ok) {
    process.stderr.write(`${parsed.error}\n`);
    return 2;
  }
  const [verb, channel] = parsed.value.positionals;
  if (verb !== 'test') {
    process.stderr.write(`usage: ${USAGE}\n`);
    return 2;
  }
  const loaded = loadCommandConfig(parsed.value);
  if (!loaded) return 2;
  const known = Object.keys(loaded.config.monitor.notify.channels);
  if (!channel) {
    process.stderr.write(`usage: ${USAGE}\nconfigured channels: ${known.join(', ') || 'none (see monitor.notify.channels in docs/monitor.md)'}\n`);
    return 2;
  }
  const notifiers = notifiersFromConfig(loaded.config, loaded.config.notifyEnv);
  if (!notifiers.ok) {
    process.stderr.write(`jarvis notify: ${notifiers.error.message}${notifiers.error.hint ? ` (${notifiers.error.hint})` : ''}\n`);
    return 2;
  }
  const notifier = notifiers.value.find((entry) => entry.channel === channel);
  if (!notifier) {
    process.stderr.write(`jarvis notify: no channel '${channel}' (configured: ${known.join(', ') || 'none'}; see monitor.notify.channels)\n`);
    return 2;
  }
  const dispatcher = createNotifyDispatcher([notifier], {
    retries: loaded.config.monitor.notify.retries,
    backoffMs: 1_000,
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    now: () => Date.now(),
    logger: silentLogger,
  });
  const dashboard = loaded.config.monitor.notify.dashboardUrl;
  const [outcome] = await dispatcher.dispatch([
    {
      channel,
      notification: testNotification(`A test message from \`jarvis notify test ${channel}\` at ${new Date().toISOString()}.`, dashboard),
    },
  ]);
  if (outcome?.ok) {
    process.stdout.write(`sent to ${channel} (${notifier.type})${outcome.attempts > 1 ? ` after ${outcome.attempts} attempts` : ''}\n`);
    return 0;
  }
  process.stderr.write(
    `jarvis notify: ${channel} failed after ${outcome?.attempts ?? 0} attempts: ${outcome?.error?.message ?? 'not sent'}${outcome?.error?.hint ? ` (${outcome.error.hint})` : ''}\n`,
  );
  return 1;
}
