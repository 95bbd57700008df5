/**
 * The monitor's composition from config: settings (config `monitor` + topology + safety), the
 * outbound channels with their secrets from the environment (`JARVIS_NOTIFY_<NAME>_TOKEN`,
 * `_SECRET`, `_USER`, `_PASSWORD`, each also as `<VAR>_FILE`), and the SQLite alert store.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { emailNotifier } from '../../adapters/notify/email-notifier.ts';
import { gotifyNotifier } from '../../adapters/notify/gotify-notifier.ts';
import { ntfyNotifier } from '../../adapters/notify/ntfy-notifier.ts';
import { webhookNotifier } from '../../adapters/notify/webhook-notifier.ts';
import { openDatabase } from '../../adapters/sqlite/open-database.ts';
import { SqliteAlertStore } from '../../adapters/sqlite/sqlite-alert-store.ts';
import { monitorSettingsFrom } from '../../app/monitor/monitor-settings.ts';
import type { MonitorSettings } from '../../app/monitor/monitor.ts';
import type { JarvisConfig } from '../../config/index.ts';
import { err, jarvisError, ok, type JarvisError, type Result } from '../../core/errors.ts';
import type { Notifier } from '../../core/ports/notifier.ts';

export function monitorSettingsFromConfig(config: JarvisConfig, sshNodes: readonly string[]): MonitorSettings | undefined {
  if (!config.monitor.enabled) return undefined;
  const dockerHosts = Object.keys(config.topology.dockerHosts);
  return monitorSettingsFrom(config.monitor, {
    self: { vmid: config.topology.self.vmid, node: config.topology.self.node },
    sshNodes,
    dockerHosts,
    maintenanceWindows: config.topology.maintenanceWindows,
    dashboard: true,
  });
}

/** `JARVIS_NOTIFY_PHONE_TOKEN` for channel `phone` (dashes become underscores). */
export function channelSecretVar(channel: string, what: 'TOKEN' | 'SECRET' | 'USER' | 'PASSWORD'): string {
  return `JARVIS_NOTIFY_${channel.toUpperCase().replace(/-/g, '_')}_${what}`;
}

function secret(env: Readonly<Record<string, string | undefined>>, name: string): Result<string | undefined, JarvisError> {
  const direct = env[name];
  const file = env[`${name}_FILE`];
  if (direct !== undefined && file !== undefined) return err(jarvisError('CONFIG_INVALID', `set either ${name} or ${name}_FILE, not both`, { hint: name }));
  if (direct !== undefined) return ok(direct);
  if (file === undefined) return ok(undefined);
  try {
    return ok(readFileSync(file, 'utf8').trim());
  } catch {
    return err(jarvisError('CONFIG_INVALID', `${name}_FILE: cannot read the secret file`, { hint: `${name}_FILE must name a readable file` }));
  }
}

/** Builds every configured channel; a channel missing what it needs is a CONFIG_INVALID naming the key. */
export function notifiersFromConfig(config: JarvisConfig, env: Readonly<Record<string, string | undefined>>): Result<Notifier[], JarvisError> {
  const notifiers: Notifier[] = [];
  for (const [name, channel] of Object.entries(config.monitor.notify.channels)) {
    const key = `monitor.notify.channels.${name}`;
    const need = (value: unknown, field: string): JarvisError | undefined =>
      value === undefined ? jarvisError('CONFIG_INVALID', `${key}.${field} is required for a ${channel.type} channel`, { hint: `${key}.${field}` }) : undefined;
    const token = secret(env, channelSecretVar(name, channel.type === 'webhook' ? 'SECRET' : 'TOKEN'));
    if (!token.ok) return token;
    switch (channel.type) {
      case 'ntfy': {
        const problem = need(channel.url, 'url') ?? need(channel.topic, 'topic');
        if (problem) return err(problem);
        notifiers.push(ntfyNotifier({ channel: name, url: channel.url!, topic: channel.topic!, token: token.value }));
        break;
      }
      case 'gotify': {
        const problem =
          need(channel.url, 'url') ??
          (token.value
            ? undefined
            : jarvisError('CONFIG_INVALID', `${key}: the Gotify app token is missing`, {
                hint: `set ${channelSecretVar(name, 'TOKEN')} or ${channelSecretVar(name, 'TOKEN')}_FILE`,
              }));
        if (problem) return err(problem);
        notifiers.push(gotifyNotifier({ channel: name, url: channel.url!, appToken: token.value! }));
        break;
      }
      case 'webhook': {
        const problem = need(channel.url, 'url');
        if (problem) return err(problem);
        notifiers.push(webhookNotifier({ channel: name, url: channel.url!, secret: token.value }));
        break;
      }
      case 'email': {
        const problem = need(channel.smtpHost, 'smtpHost') ?? need(channel.from, 'from') ?? need(channel.to, 'to');
        if (problem) return err(problem);
        const user = secret(env, channelSecretVar(name, 'USER'));
        const password = secret(env, channelSecretVar(name, 'PASSWORD'));
        if (!user.ok) return user;
        if (!password.ok) return password;
        // SMTP AUTH needs both; neither is a relay without auth. One alone is a config mistake.
        if ((user.value === undefined) !== (password.value === undefined)) {
          const missing = channelSecretVar(name, user.value === undefined ? 'USER' : 'PASSWORD');
          return err(
            jarvisError('CONFIG_INVALID', `${key}: ${missing} is missing (SMTP login needs both the user and the password)`, {
              hint: `set ${missing} or ${missing}_FILE, or neither of the two for an SMTP relay without login`,
            }),
          );
        }
        notifiers.push(
          emailNotifier({
            channel: name,
            host: channel.smtpHost!,
            port: channel.smtpPort ?? (channel.secure ? 465 : 587),
            secure: channel.secure ?? false,
            from: channel.from!,
            to: channel.to!,
            user: user.value,
            password: password.value,
          }),
        );
        break;
      }
    }
  }
  return ok(notifiers);
}

export function openAlertStore(dataDir: string): Result<{ store: SqliteAlertStore; close(): void }, JarvisError> {
  try {
    const database = openDatabase(join(dataDir, 'alerts.db'));
    return ok({ store: new SqliteAlertStore(database), close: () => database.close() });
  } catch (cause) {
    return err(jarvisError('STORAGE_UNAVAILABLE', 'cannot open the alert database', { hint: 'check that paths.dataDir is writable', cause }));
  }
}
