import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/index.ts';
import { notifiersFromConfig } from './monitor-from-config.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function configWith(channels: string) {
  const dir = mkdtempSync(join(tmpdir(), 'jarvis-notifiers-'));
  dirs.push(dir);
  const loaded = loadConfig({
    argv: ['--config', 'jarvis.yaml'],
    env: { JARVIS_DATA_DIR: join(dir, 'data') },
    cwd: dir,
    readFile: () => `monitor:\n  notify:\n    channels:\n${channels}`,
  });
  if (!loaded.ok) throw new Error(loaded.error.message);
  return { config: loaded.value.config, dir };
}

describe('notifiersFromConfig', () => {
  it('builds every configured channel, reading secrets from JARVIS_NOTIFY_<NAME>_* and from *_FILE', () => {
    const { config, dir } = configWith(
      [
        '      phone: { type: ntfy, url: "https://ntfy.example", topic: jarvis }',
        '      home-gotify: { type: gotify, url: "https://gotify.example" }',
        '      hook: { type: webhook, url: "https://hooks.example/x" }',
        '      mail: { type: email, smtpHost: smtp.example, from: "j@example.org", to: ["me@example.org"] }',
        '',
      ].join('\n'),
    );
    const tokenFile = join(dir, 'gotify-token');
    writeFileSync(tokenFile, 'app-token\n');
    const built = notifiersFromConfig(config, {
      JARVIS_NOTIFY_PHONE_TOKEN: 'tk',
      JARVIS_NOTIFY_HOME_GOTIFY_TOKEN_FILE: tokenFile,
      JARVIS_NOTIFY_HOOK_SECRET: 's',
      JARVIS_NOTIFY_MAIL_USER: 'u',
      JARVIS_NOTIFY_MAIL_PASSWORD: 'p',
    });
    expect(built.ok && built.value.map((notifier) => [notifier.channel, notifier.type])).toEqual([
      ['phone', 'ntfy'],
      ['home-gotify', 'gotify'],
      ['hook', 'webhook'],
      ['mail', 'email'],
    ]);
  });

  it('a Gotify channel without its app token is a CONFIG_INVALID naming the key and the variable', () => {
    const { config } = configWith('      home-gotify: { type: gotify, url: "https://gotify.example" }\n');
    const built = notifiersFromConfig(config, {});
    expect(built.ok).toBe(false);
    if (built.ok) return;
    expect(built.error.code).toBe('CONFIG_INVALID');
    expect(built.error.message).toContain('monitor.notify.channels.home-gotify');
    expect(built.error.hint).toContain('JARVIS_NOTIFY_HOME_GOTIFY_TOKEN');
  });

  it('an email channel with a password but no user is a CONFIG_INVALID naming JARVIS_NOTIFY_<NAME>_USER; neither is a relay', () => {
    const { config } = configWith('      mail: { type: email, smtpHost: smtp.example, from: "j@example.org", to: ["me@example.org"] }\n');
    const built = notifiersFromConfig(config, { JARVIS_NOTIFY_MAIL_PASSWORD: 'p' });
    expect(built.ok).toBe(false);
    if (built.ok) return;
    expect(built.error.code).toBe('CONFIG_INVALID');
    expect(built.error.message).toContain('monitor.notify.channels.mail');
    expect(built.error.message).toContain('JARVIS_NOTIFY_MAIL_USER');
    expect(notifiersFromConfig(config, {}).ok).toBe(true);
  });

  it('an unreadable *_FILE and a secret set both directly and as a file are CONFIG_INVALID naming the variable', () => {
    const { config } = configWith('      phone: { type: ntfy, url: "https://ntfy.example", topic: jarvis }\n');
    const unreadable = notifiersFromConfig(config, { JARVIS_NOTIFY_PHONE_TOKEN_FILE: '/nonexistent/token' });
    expect(!unreadable.ok && unreadable.error.message).toContain('JARVIS_NOTIFY_PHONE_TOKEN_FILE');
    const both = notifiersFromConfig(config, { JARVIS_NOTIFY_PHONE_TOKEN: 'a', JARVIS_NOTIFY_PHONE_TOKEN_FILE: '/x' });
    expect(!both.ok && both.error.message).toContain('JARVIS_NOTIFY_PHONE_TOKEN');
  });

  it('a channel missing a required field names the dotted key', () => {
    const { config } = configWith('      phone: { type: ntfy, url: "https://ntfy.example" }\n');
    const built = notifiersFromConfig(config, {});
    expect(!built.ok && built.error.message).toContain('monitor.notify.channels.phone.topic');
  });
});
