import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadConfig } from '../../src/config/index.ts';

const ROOT = resolve(import.meta.dirname, '../..');
type Service = { restart?: string; volumes?: string[]; environment?: Record<string, string>; secrets?: string[]; ports?: string[]; image?: string };
const compose = parse(readFileSync(resolve(ROOT, 'deploy/docker-compose.yml'), 'utf8')) as {
  services: Record<string, Service>;
  secrets: Record<string, unknown>;
  volumes: Record<string, unknown>;
};
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

describe('deploy/docker-compose.yml: the Docker socket proxy allows exactly what Jarvis calls', () => {
  type ProxyService = Service & { command?: string[]; networks?: string[]; cap_drop?: string[]; read_only?: boolean };
  const proxy = compose.services['docker-proxy'] as ProxyService;
  const flags = (proxy.command ?? []).map((flag) => /^-([a-zA-Z]+)=?(.*)$/.exec(flag)!).map((match) => ({ name: match[1]!, value: match[2]! }));
  /** The proxy anchors every pattern with ^...$ (Go regexp); these patterns are also valid JS regexps. */
  const allow = new Map<string, RegExp[]>();
  for (const flag of flags.filter(
    (entry) => entry.name.startsWith('allow') && entry.name !== 'allowfrom' && entry.name !== 'allowbindmountfrom' && entry.name !== 'allowhealthcheck',
  )) {
    const method = flag.name.slice('allow'.length).toUpperCase();
    allow.set(method, [...(allow.get(method) ?? []), new RegExp(`^${flag.value}$`)]);
  }
  const allowed = (method: string, path: string): boolean => (allow.get(method) ?? []).some((pattern) => pattern.test(path));

  it('is an allow-list proxy pinned to an exact release, never :latest', () => {
    expect(proxy.image).toMatch(/^wollomatic\/socket-proxy(:\d+\.\d+\.\d+|@sha256:[0-9a-f]{64})$/);
    expect([...allow.keys()].sort()).toEqual(['GET', 'POST']);
  });

  it("lets through every Docker API call Jarvis's adapter makes (docs/docker-proxy.md), with or without the /v1.NN prefix", () => {
    const calls: [string, string][] = [
      ['GET', '/version'],
      ['GET', '/_ping'],
      ['GET', '/containers/json'],
      ['GET', '/containers/jarvis/json'],
      ['GET', '/containers/3f2a9c/logs'],
      ['POST', '/containers/jarvis/start'],
      ['POST', '/containers/jarvis/stop'],
      ['POST', '/containers/jarvis-docker-proxy/restart'],
    ];
    for (const [method, path] of calls) {
      expect(allowed(method, path), `${method} ${path}`).toBe(true);
      expect(allowed(method, `/v1.45${path}`), `${method} /v1.45${path}`).toBe(true);
    }
  });

  it('refuses everything else: create, exec, update, delete, archive/export, images, volumes, networks, system, swarm', () => {
    const refused: [string, string][] = [
      ['POST', '/containers/create'],
      ['POST', '/containers/jarvis/exec'],
      ['POST', '/exec/abc/start'],
      ['POST', '/containers/jarvis/update'],
      ['POST', '/containers/jarvis/rename'],
      ['POST', '/containers/jarvis/kill'],
      ['POST', '/containers/prune'],
      ['DELETE', '/containers/jarvis'],
      ['PUT', '/containers/jarvis/archive'],
      ['GET', '/containers/jarvis/archive'],
      ['GET', '/containers/jarvis/export'],
      ['POST', '/containers/jarvis/attach'],
      ['POST', '/images/create'],
      ['POST', '/build'],
      ['GET', '/images/json'],
      ['POST', '/volumes/create'],
      ['POST', '/networks/create'],
      ['GET', '/info'],
      ['GET', '/events'],
      ['POST', '/swarm/init'],
      ['GET', '/secrets'],
      ['POST', '/plugins/pull'],
      ['POST', '/commit'],
      ['GET', '/containers/jarvis/json/../../images/json'],
      ['POST', '/v1.45/containers/create'],
      ['HEAD', '/_ping'],
    ];
    for (const [method, path] of refused) expect(allowed(method, path), `${method} ${path}`).toBe(false);
  });

  it('is reachable only from jarvis, on an internal network, never published, with no capabilities', () => {
    expect(flags.find((flag) => flag.name === 'allowfrom')?.value).toBe('jarvis');
    expect(proxy.ports).toBeUndefined();
    expect(proxy.networks).toEqual(['docker-proxynet']);
    const networks = (compose as unknown as { networks: Record<string, { internal?: boolean } | null> }).networks;
    expect(networks['docker-proxynet']?.internal).toBe(true);
    expect(proxy.cap_drop).toEqual(['ALL']);
    expect(proxy.read_only).toBe(true);
  });

  it('runs the proxy as 65534 in the docker group (GID a required variable its header sets), so it can open docker.sock', () => {
    // wollomatic/socket-proxy's image is USER 65534:65534 and exits 2 when it cannot open the socket
    // (root:docker 0660); its README's compose example sets user: "65534:<docker gid>".
    const user = (proxy as ProxyService & { user?: string }).user;
    expect(user).toMatch(/^65534:\$\{DOCKER_GID:\?[^}]+\}$/);
    const text = readFileSync(resolve(ROOT, 'deploy/docker-compose.yml'), 'utf8');
    expect(text).toMatch(/^#.*DOCKER_GID=\$\(getent group docker \| cut -d: -f3\)/m);
  });

  it("its header makes the secret files readable by the image's user (uid 1000): a bind mount keeps host owner and mode", () => {
    const dockerfile = readFileSync(resolve(ROOT, 'deploy/Dockerfile'), 'utf8');
    expect([...dockerfile.matchAll(/^USER\s+(\S+)/gm)].at(-1)?.[1]).toBe('node'); // uid 1000 in the node images
    const text = readFileSync(resolve(ROOT, 'deploy/docker-compose.yml'), 'utf8');
    expect(text).toMatch(/^#.*chown 1000:1000 deploy\/secrets\/\*/m);
    expect(text).toMatch(/^#.*chmod 600 deploy\/secrets\/\*/m);
  });

  it('its header steps create every secret file the services read', () => {
    const text = readFileSync(resolve(ROOT, 'deploy/docker-compose.yml'), 'utf8');
    const header = text
      .split('\n')
      .filter((line) => line.startsWith('#'))
      .join('\n');
    for (const [name, secret] of Object.entries(compose.secrets as Record<string, { file: string }>)) {
      const file = secret.file.replace(/^\.\//, 'deploy/');
      expect(header, `${name}: ${file}`).toMatch(new RegExp(`>\\s*${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}\\b`));
    }
  });
});

describe('deploy/Dockerfile and .dockerignore: a clean image', () => {
  const dockerfile = readFileSync(resolve(ROOT, 'deploy/Dockerfile'), 'utf8');
  const ignore = readFileSync(resolve(ROOT, '.dockerignore'), 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'));

  it('builds on a current Node LTS (22 or newer) in every stage, runs as a non-root user, checks /health', () => {
    const bases = [...dockerfile.matchAll(/^FROM\s+(\S+)/gm)].map((match) => match[1]!);
    expect(bases.length).toBeGreaterThanOrEqual(2);
    for (const base of bases) expect(Number(/^node:(\d+)/.exec(base)?.[1] ?? 0)).toBeGreaterThanOrEqual(22);
    const user = [...dockerfile.matchAll(/^USER\s+(\S+)/gm)].at(-1)?.[1];
    expect(user).toBeDefined();
    expect(['root', '0']).not.toContain(user);
    expect(dockerfile).toMatch(/^HEALTHCHECK .*\n?.*\/health/m);
    expect(dockerfile).toMatch(/vite build/);
  });

  it('never copies the whole context, and the context excludes secrets, data and host dependencies', () => {
    expect(dockerfile).not.toMatch(/^COPY\s+\.\s+\./m);
    for (const entry of ['node_modules', 'data', 'deploy/secrets', '**/admin-password', '.git', '.env']) expect(ignore).toContain(entry);
  });
});
