import { describe, expect, it } from 'vitest';
import { configIssues, formatConfigError, loadConfig, type LoadConfigInput } from '../../src/config/index.ts';
import { SEED_TOPOLOGY } from '../../src/core/domain/topology.ts';

const FINGERPRINT = Array.from({ length: 32 }, (_, index) => index.toString(16).padStart(2, '0').toUpperCase()).join(':');

function load(yaml: string | undefined, extra: Partial<LoadConfigInput> = {}) {
  const argv = yaml === undefined ? (extra.argv ?? []) : ['--config', 'jarvis.yaml', ...(extra.argv ?? [])];
  return loadConfig({ cwd: '/srv/jarvis', env: {}, ...extra, argv, readFile: extra.readFile ?? (() => yaml ?? '') });
}

function firstIssue(yaml: string | undefined, extra: Partial<LoadConfigInput> = {}) {
  const result = load(yaml, extra);
  if (result.ok) throw new Error('expected the config to be rejected');
  expect(result.error.code).toBe('CONFIG_INVALID');
  return { issue: configIssues(result.error)[0]!, text: formatConfigError(result.error), issues: configIssues(result.error) };
}

describe('loadConfig: defaults', () => {
  it('with no file and no env yields the seed topology on the embedded simulator', () => {
    const result = load(undefined);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const { config } = result.value;
    expect(config.pve.url).toBeUndefined();
    expect(config.topology).toEqual(SEED_TOPOLOGY);
    expect(config.server).toMatchObject({ host: '127.0.0.1', port: 8080, maxWsClients: 20 });
    expect(config.paths).toEqual({ dataDir: '/srv/jarvis/data', auditDb: '/srv/jarvis/data/audit/audit.db' });
    expect(config.poll).toEqual({ intervalMs: 10_000, staleAfterMs: 30_000, storageThreshold: 0.85 });
    expect(config.timeouts).toEqual({ pveMs: 10_000, sshMs: 15_000, dockerMs: 10_000, taskMs: 120_000 });
  });

  it('an empty file means all defaults', () => {
    const result = load('');
    expect(result.ok && result.value.config.topology).toEqual(SEED_TOPOLOGY);
  });

  it('returns a deeply frozen config', () => {
    const result = load(undefined);
    if (!result.ok) throw new Error('unexpected');
    expect(Object.isFrozen(result.value.config)).toBe(true);
    expect(Object.isFrozen(result.value.config.topology.nodes[0])).toBe(true);
    expect(Object.isFrozen(result.value.config.server.allowedOrigins)).toBe(true);
  });

  it('derives the protected set from topology.self when protected is absent', () => {
    const yaml = `
topology:
  clusterName: lab
  nodes: [{ name: n1, address: 10.0.0.1, role: management-host }, { name: n2 }, { name: n3 }]
  self: { vmid: 250, vmName: ops, node: n1, address: 10.0.0.9 }
`;
    const result = load(yaml);
    if (!result.ok) throw new Error(formatConfigError(result.error));
    expect(result.value.config.topology.protected).toEqual({
      nodes: ['n1'],
      guests: [250],
      dockerHosts: ['docker@250'],
      containers: ['docker@250/jarvis'],
      networkAddresses: ['10.0.0.9', '10.0.0.1'],
    });
    expect(result.value.config.topology.dockerHosts).toEqual({ 'docker@250': 250 });
  });

  it('maps maintenance windows to days and minutes', () => {
    const result = load('safety:\n  maintenanceWindows:\n    - { days: [sat, 0], start: "02:30", end: "04:00" }\n');
    if (!result.ok) throw new Error(formatConfigError(result.error));
    expect(result.value.config.topology.maintenanceWindows).toEqual([{ days: [6, 0], startMinute: 150, endMinute: 240 }]);
  });
});

describe('loadConfig: precedence flag > env > file > default', () => {
  const yaml = 'server:\n  port: 9000\n  host: 0.0.0.0\n';
  it('file beats default', () => {
    const result = load(yaml);
    expect(result.ok && result.value.config.server.port).toBe(9000);
  });
  it('env beats file', () => {
    const result = load(yaml, { env: { JARVIS_SERVER_PORT: '9100' } });
    expect(result.ok && result.value.config.server.port).toBe(9100);
  });
  it('flag beats env, and non-config arguments are returned to the command', () => {
    const result = load(yaml, { env: { JARVIS_SERVER_PORT: '9100' }, argv: ['--port=9200', '--json'] });
    expect(result.ok && result.value.config.server.port).toBe(9200);
    expect(result.ok && result.value.rest).toEqual(['--json']);
  });
  it('JARVIS_CONFIG names the file when --config is absent', () => {
    const result = loadConfig({ env: { JARVIS_CONFIG: 'x.yaml' }, cwd: '/srv', readFile: () => yaml });
    expect(result.ok && result.value.config.source.file).toBe('/srv/x.yaml');
    expect(result.ok && result.value.config.server.port).toBe(9000);
  });
});

describe('loadConfig: warnings', () => {
  it('warns about an unknown JARVIS_* variable (a typo) but not about known ones', () => {
    const result = load(undefined, { env: { JARVIS_SERVER_PROT: '1', JARVIS_SERVER_PORT: '9000', JARVIS_URL: 'http://x', JARVIS_ADMIN_PASSWORD_FILE: '' } });
    expect(result.ok && result.value.warnings).toEqual([
      'unknown environment variable JARVIS_SERVER_PROT is ignored (docs/configuration.md lists the JARVIS_* variables)',
    ]);
  });
});

describe('loadConfig: poll interval against a real cluster', () => {
  it('warns when polling a real cluster faster than pvestatd refreshes, but not the simulator', () => {
    const real = `pve:\n  url: https://10.0.0.2:8006\n  tokenId: jarvis@pve!monitor\npoll:\n  intervalMs: 2000\n`;
    const result = load(real, { env: { JARVIS_PVE_TOKEN_SECRET: 's' } });
    expect(result.ok && result.value.warnings.some((warning) => warning.startsWith('poll.intervalMs 2000'))).toBe(true);
    const simulated = load('poll:\n  intervalMs: 2000\n');
    expect(simulated.ok && simulated.value.warnings).toEqual([]);
  });
});

describe('loadConfig: secrets come only from env or files', () => {
  const realCluster = `pve:\n  url: https://10.0.0.2:8006\n  tokenId: jarvis@pve!monitor\n  fingerprint: ${FINGERPRINT}\n`;
  it('reads the token secret from the env var', () => {
    const result = load(realCluster, { env: { JARVIS_PVE_TOKEN_SECRET: 's3cret' } });
    expect(result.ok && result.value.config.secrets.pveTokenSecret).toBe('s3cret');
  });
  it('reads the token secret through _FILE indirection, trimming the newline', () => {
    const files: Record<string, string> = { '/srv/jarvis/jarvis.yaml': realCluster, '/run/secrets/pve': 'from-file\n' };
    const result = load(realCluster, {
      env: { JARVIS_PVE_TOKEN_SECRET_FILE: '/run/secrets/pve' },
      readFile: (path) => {
        const text = files[path];
        if (text === undefined) throw Object.assign(new Error('nope'), { code: 'ENOENT' });
        return text;
      },
    });
    expect(result.ok && result.value.config.secrets.pveTokenSecret).toBe('from-file');
  });
  it('never serialises secrets', () => {
    const result = load(realCluster, { env: { JARVIS_PVE_TOKEN_SECRET: 'topsecret-value' } });
    expect(result.ok && JSON.stringify(result.value.config)).not.toContain('topsecret-value');
  });
  it('requires the token secret when a real cluster is configured', () => {
    const { issue } = firstIssue(realCluster);
    expect(issue.key).toBe('JARVIS_PVE_TOKEN_SECRET');
    expect(issue.expected).toContain('JARVIS_PVE_TOKEN_SECRET_FILE');
  });
  it('reports an unreadable secret file by its env var', () => {
    const { issue } = firstIssue(undefined, {
      env: { JARVIS_ADMIN_PASSWORD_FILE: '/missing' },
      readFile: () => {
        throw Object.assign(new Error('x'), { code: 'ENOENT' });
      },
    });
    expect(issue).toMatchObject({ key: 'JARVIS_ADMIN_PASSWORD_FILE', value: '/missing' });
    expect(issue.expected).toContain('ENOENT');
  });
  it('names a secret file it may not read and the fix (a compose secret keeps the host owner; the image runs as uid 1000)', () => {
    const { issue, text } = firstIssue(undefined, {
      env: { JARVIS_PVE_TOKEN_SECRET_FILE: '/run/secrets/pve_token_secret' },
      readFile: () => {
        throw Object.assign(new Error('x'), { code: 'EACCES' });
      },
    });
    expect(issue).toMatchObject({ key: 'JARVIS_PVE_TOKEN_SECRET_FILE', value: '/run/secrets/pve_token_secret' });
    expect(text).toContain('JARVIS_PVE_TOKEN_SECRET_FILE: got "/run/secrets/pve_token_secret"');
    expect(text).toContain('(EACCES)');
    expect(text).toContain('chown 1000:1000 /run/secrets/pve_token_secret && chmod 600 /run/secrets/pve_token_secret');
  });
});

describe('loadConfig: each kind of invalid config is named by key, value and expectation', () => {
  it('unknown key, with the known keys of that section', () => {
    const { issue, text } = firstIssue('server:\n  prot: 8080\n');
    expect(issue.key).toBe('server.prot');
    expect(issue.expected).toContain('unknown key');
    expect(issue.expected).toContain('port');
    expect(text).toContain('server.prot: unknown key');
  });
  it('unknown top-level section', () => {
    const { issue } = firstIssue('sevrer:\n  port: 1\n');
    expect(issue.key).toBe('sevrer');
    expect(issue.expected).toContain('server');
  });
  it('wrong type (a quoted number)', () => {
    const { issue, text } = firstIssue('server:\n  port: "8080"\n');
    expect(issue).toMatchObject({ key: 'server.port', value: '8080' });
    expect(text).toContain('server.port: got "8080"; expected a TCP port number 0-65535');
  });
  it('bad port (out of range)', () => {
    const { text } = firstIssue('server:\n  port: 70000\n');
    expect(text).toContain('server.port: got 70000; expected a TCP port number 0-65535');
  });
  it('bad URL (plain http for PVE)', () => {
    const { issue } = firstIssue('pve:\n  url: http://10.0.0.2:8006\n  tokenId: jarvis@pve!monitor\n');
    expect(issue).toMatchObject({ key: 'pve.url', value: 'http://10.0.0.2:8006', expected: 'expected an absolute https URL' });
  });
  it('bad fingerprint format', () => {
    const { issue } = firstIssue('pve:\n  fingerprint: "AB:CD:EF"\n');
    expect(issue).toMatchObject({ key: 'pve.fingerprint', value: 'AB:CD:EF' });
    expect(issue.expected).toContain('SHA-256 fingerprint');
  });
  it('secret in the YAML names the key and the env var, and never echoes the value', () => {
    const { issue, text } = firstIssue('pve:\n  tokenSecret: 1234-abcd\n');
    expect(issue.key).toBe('pve.tokenSecret');
    expect(issue.expected).toContain('JARVIS_PVE_TOKEN_SECRET');
    expect(text).not.toContain('1234-abcd');
  });
  it('admin password in the YAML points to JARVIS_ADMIN_PASSWORD', () => {
    const { issue } = firstIssue('server:\n  adminPassword: hunter2\n');
    expect(issue).toMatchObject({ key: 'server.adminPassword' });
    expect(issue.expected).toContain('JARVIS_ADMIN_PASSWORD');
  });
  it('API key in the YAML points to JARVIS_ANTHROPIC_API_KEY', () => {
    const { issue } = firstIssue('llm:\n  cloud:\n    apiKey: sk-ant-xyz\n');
    expect(issue.key).toBe('llm.cloud.apiKey');
    expect(issue.expected).toContain('JARVIS_ANTHROPIC_API_KEY');
  });
  it('bad VMID', () => {
    const { issue } = firstIssue('topology:\n  self:\n    vmid: 42\n');
    expect(issue).toMatchObject({ key: 'topology.self.vmid', value: 42, expected: 'expected a VMID (integer 100-999999999)' });
  });
  it('duplicate node names', () => {
    const { issue } = firstIssue('topology:\n  nodes: [{ name: agent1 }, { name: pve }, { name: pve }]\n');
    expect(issue).toMatchObject({ key: 'topology.nodes[2].name', value: 'pve' });
    expect(issue.expected).toContain('unique');
  });
  it('protected node not in nodes', () => {
    const { issue } = firstIssue('protected:\n  nodes: [agent1, agent9]\n');
    expect(issue).toMatchObject({ key: 'protected.nodes[1]', value: 'agent9' });
    expect(issue.expected).toContain('topology.nodes');
  });
  it('a protected list that leaves out Jarvis itself', () => {
    const { issue } = firstIssue('protected:\n  guests: [104]\n');
    expect(issue.key).toBe('protected.guests');
    expect(issue.expected).toContain('103');
  });
  it('self on a node that is not configured', () => {
    const { issue } = firstIssue('topology:\n  nodes: [{ name: a }, { name: b }]\n');
    expect(issue).toMatchObject({ key: 'topology.self.node', value: 'agent1' });
  });
  it('YAML syntax error with its line', () => {
    const { issue } = firstIssue('server:\n  port: 8080\n   host: [\n');
    expect(issue.key).toBe('/srv/jarvis/jarvis.yaml');
    expect(issue.expected).toMatch(/YAML syntax error at line \d+, column \d+/);
  });
  it('unreadable file', () => {
    const { issue } = firstIssue('x', {
      readFile: () => {
        throw Object.assign(new Error('x'), { code: 'EACCES' });
      },
    });
    expect(issue.expected).toContain('cannot read the config file (EACCES)');
  });
  it('a mounted docker.sock is refused', () => {
    const { issue } = firstIssue('docker:\n  hosts:\n    docker@103: "unix:///var/run/docker.sock"\n');
    expect(issue.key).toBe('docker.hosts.docker@103');
    expect(issue.expected).toContain('docker.sock');
  });
  it('token auth without a token id: names the missing key, not the whole pve section', () => {
    const { issue, text } = firstIssue('pve:\n  url: https://10.0.0.2:8006\n');
    expect(issue.key).toBe('pve.tokenId');
    expect('value' in issue).toBe(false);
    expect(text).toContain('pve.tokenId: missing; required when pve.url is set and pve.auth is "token"');
    expect(text).not.toContain('https://10.0.0.2:8006');
  });
  it('ticket auth without a user name', () => {
    const { issue, text } = firstIssue('pve:\n  url: https://10.0.0.2:8006\n  auth: ticket\n');
    expect(issue.key).toBe('pve.username');
    expect(text).toContain('pve.username: missing; required when pve.auth is "ticket"');
  });
  it('insecure together with a fingerprint pin shows the offending value', () => {
    const { issue, text } = firstIssue(
      `pve:\n  url: https://10.0.0.2:8006\n  tokenId: jarvis@pve!monitor\n  fingerprint: "${FINGERPRINT}"\n  insecure: true\n`,
    );
    expect(issue).toMatchObject({ key: 'pve.insecure', value: true });
    expect(text).toContain('pve.insecure: got true; expected false when pve.fingerprint is set');
  });
  it('an env override that is not a number names the variable', () => {
    const { issue } = firstIssue(undefined, { env: { JARVIS_SERVER_PORT: 'eighty' } });
    expect(issue).toMatchObject({ key: 'JARVIS_SERVER_PORT', value: 'eighty', expected: 'expected a number' });
  });
  it('a config flag without its value', () => {
    const { issue } = firstIssue(undefined, { argv: ['--port'] });
    expect(issue.key).toBe('--port');
  });
  it('a notification outbox limit that is not a positive integer within bounds names monitor.notify.outboxLimit', () => {
    for (const bad of ['0', '2.5', '10001', '"50"']) {
      const { issue, text } = firstIssue(`monitor:\n  notify:\n    outboxLimit: ${bad}\n`);
      expect(issue.key).toBe('monitor.notify.outboxLimit');
      expect(text).toContain('monitor.notify.outboxLimit: got');
      expect(text).toContain('expected an integer 1-10000');
    }
  });
  it('a sequence where a mapping is expected', () => {
    const { issue } = firstIssue('- a\n- b\n');
    expect(issue.key).toBe('(root)');
  });
});
