/**
 * deploy/jarvis.service (running without Docker): parsed as systemd reads it, and held to what
 * docs/operations.md promises: a non-root user, no privilege escalation, a read-only system with
 * only the data dir writable, secrets from an env file and never inline.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

type Unit = Record<string, Record<string, string[]>>;

/** systemd's unit syntax: [Section], Key=Value (repeatable, in order), # and ; comments, trailing-backslash continuation. */
function parseUnit(text: string): Unit {
  const unit: Unit = {};
  let section: Record<string, string[]> | undefined;
  const lines = text.replace(/\\\n/g, ' ').split('\n');
  for (const raw of lines) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const header = /^\[(.+)\]$/.exec(line);
    if (header) {
      section = unit[header[1]!] ??= {};
      continue;
    }
    const eq = line.indexOf('=');
    if (!section || eq < 1) throw new Error(`not a unit line: ${line}`);
    const key = line.slice(0, eq).trim();
    (section[key] ??= []).push(line.slice(eq + 1).trim());
  }
  return unit;
}

const unit = parseUnit(readFileSync(new URL('../../deploy/jarvis.service', import.meta.url), 'utf8'));
const service = unit.Service ?? {};
const last = (key: string): string | undefined => service[key]?.at(-1);
const environment = (): Record<string, string> =>
  Object.fromEntries(
    (service.Environment ?? []).flatMap((value) => value.split(/\s+/)).map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]),
  );

describe('deploy/jarvis.service', () => {
  it('runs `jarvis start` as a non-root user without privilege escalation or capabilities', () => {
    expect(last('User')).toMatch(/^[a-z_][a-z0-9_-]*$/);
    expect(['root', '0']).not.toContain(last('User'));
    expect(last('NoNewPrivileges')).toBe('yes');
    expect(last('CapabilityBoundingSet')).toBe('');
    expect(last('ExecStart')).toMatch(/\bbin\/jarvis\.js start$/);
    expect(unit.Install?.WantedBy).toEqual(['multi-user.target']);
  });

  it('makes the system read-only with ProtectSystem=strict and only the data dir writable', () => {
    expect(last('ProtectSystem')).toBe('strict');
    const dataDir = environment().JARVIS_DATA_DIR;
    expect(dataDir).toBeDefined();
    const writable = [
      ...(service.ReadWritePaths ?? []).flatMap((value) => value.split(/\s+/)),
      ...(service.StateDirectory ?? []).map((name) => `/var/lib/${name}`),
    ];
    expect(writable.some((path) => dataDir === path || dataDir!.startsWith(`${path}/`))).toBe(true);
    // Nothing else is writable: every writable path is the data dir (or inside it).
    for (const path of writable) expect(path === dataDir || path.startsWith(`${dataDir}/`), path).toBe(true);
  });

  it('reads secrets from an env file, never inline', () => {
    expect(last('EnvironmentFile')).toMatch(/^-?\/.+/);
    for (const name of Object.keys(environment())) expect(name).not.toMatch(/SECRET|PASSWORD|TOKEN|API_KEY/);
    expect(environment().JARVIS_CONFIG).toMatch(/\.ya?ml$/);
  });

  it('does not restart in a loop on a config error (exit 2)', () => {
    expect(last('Restart')).toBe('on-failure');
    expect(service.RestartPreventExitStatus?.join(' ').split(/\s+/)).toContain('2');
  });

  it('installs (header and docs/operations.md) with the dev dependencies the dashboard build needs, pruning them after', () => {
    // Vite is a dev dependency: `npm ci --omit=dev && npm run build:web` ends in `vite: not found`.
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { devDependencies: Record<string, string> };
    expect(pkg.devDependencies).toHaveProperty('vite');
    const steps = 'npm ci && npm run build:web && npm prune --omit=dev';
    expect(readFileSync(new URL('../../deploy/jarvis.service', import.meta.url), 'utf8')).toContain(steps);
    const operations = readFileSync(new URL('../../docs/operations.md', import.meta.url), 'utf8');
    expect(operations.replace(/\s+/g, ' ')).toContain(steps);
    expect(operations).not.toContain('npm ci --omit=dev &&');
  });
});
