import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadConfig } from '../../src/config/index.ts';

const ROOT = resolve(import.meta.dirname, '../..');
type Service = { restart?: string; volumes?: string[]; environment?: Record<string, string>; secrets?: string[]; ports?: string[]; image?: string };
const compose = parse(readFileSync(resolve(ROOT, 'deploy/docker-compose.yml'), 'utf8')) as { services: Record<string, Service>; secrets: Record<string, unknown>; volumes: Record<string, unknown> };
const jarvis = compose.services['jarvis']!;

/** Every JARVIS_* name a deploy file sets must be one the config knows (no silent typos). */
function unknownVariables(names: string[]): string[] {
  const env = Object.fromEntries(names.map((name) => [name, name.endsWith('_FILE') ? '' : 'x']));
  const result = loadConfig({ env: { ...env, JARVIS_CONFIG: '' }, argv: [], cwd: '/srv', readFile: () => '' });
  return result.ok ? [...result.value.warnings] : [result.error.message];
}

describe('deploy/docker-compose.yml', () => {
  it('never mounts the Docker socket into jarvis; only the proxy sees it, read-only', () => {
    expect((jarvis.volumes ?? []).some((volume) => volume.includes('docker.sock'))).toBe(false);
    const proxy = compose.services['docker-proxy']!;
    expect(proxy.volumes).toContain('/var/run/docker.sock:/var/run/docker.sock:ro');
    expect(proxy.ports).toBeUndefined();
  });

  it('keeps the audit log on a volume of its own, apart from the data volume', () => {
    expect(jarvis.volumes).toContain('jarvis-audit:/audit');
    expect(jarvis.volumes).toContain('jarvis-data:/data');
    expect(jarvis.environment?.['JARVIS_AUDIT_DB']).toBe('/audit/audit.db');
  });

  it('passes secrets as Docker secrets through *_FILE variables only', () => {
    const environment = jarvis.environment ?? {};
    for (const [name, value] of Object.entries(environment)) {
      if (/SECRET|PASSWORD|API_KEY/.test(name)) {
        expect(name).toMatch(/_FILE$/);
        expect(value).toMatch(/^\/run\/secrets\//);
        expect(compose.secrets).toHaveProperty(value.replace('/run/secrets/', ''));
      }
    }
  });

  it('restarts every service unless stopped', () => {
    for (const service of Object.values(compose.services)) expect(service.restart).toBe('unless-stopped');
  });

  it('sets only JARVIS_* variables the config knows', () => {
    expect(unknownVariables(Object.keys(jarvis.environment ?? {}).filter((name) => name.startsWith('JARVIS_')))).toEqual([]);
  });
});

describe('deploy/Dockerfile', () => {
  it('sets only JARVIS_* variables the config knows, and runs jarvis start', () => {
    const dockerfile = readFileSync(resolve(ROOT, 'deploy/Dockerfile'), 'utf8');
    const names = [...dockerfile.matchAll(/\b(JARVIS_[A-Z0-9_]+)=/g)].map((match) => match[1]!);
    expect(names.length).toBeGreaterThan(0);
    expect(unknownVariables(names)).toEqual([]);
    expect(dockerfile).toContain('CMD ["node", "bin/jarvis.js", "start"]');
  });
});
