import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectCluster, type ClusterEndpoint } from '../../src/cli/compose/connect-cluster.ts';
import { runDoctorChecks } from '../../src/cli/compose/doctor-checks.ts';
import { aclSubject, checkDangerousPrivileges, checkPermissionMap } from '../../src/cli/compose/doctor-privileges.ts';
import { doctorExitCode, type CheckResult } from '../../src/cli/compose/doctor-report.ts';
import { SEED_TOPOLOGY } from '../../src/core/domain/topology.ts';
import { silentLogger } from '../../src/core/ports/logger.ts';
import { startSimulator, type RunningSimulator } from '../../src/sim/index.ts';

let sim: RunningSimulator;

function endpoint(overrides: Partial<ClusterEndpoint> = {}): ClusterEndpoint {
  return {
    url: sim.url,
    auth: { kind: 'token', tokenId: sim.tokenId, tokenSecret: sim.tokenSecret },
    fingerprint: sim.fingerprint,
    insecure: false,
    simulated: true,
    ...overrides,
  };
}

async function doctor(target: ClusterEndpoint = endpoint(), topology = SEED_TOPOLOGY): Promise<CheckResult[]> {
  const connection = connectCluster(target, { timeoutMs: 2_000, logger: silentLogger });
  if (!connection.ok) throw new Error(connection.error.message);
  try {
    return await runDoctorChecks({
      cluster: connection.value.api,
      permissions: connection.value.permissions,
      topology,
      url: target.url,
      credential: target.auth.kind === 'token' ? `token ${target.auth.tokenId}` : 'ticket root@pam',
      tls: { fingerprint: target.fingerprint, insecure: target.insecure },
    });
  } finally {
    connection.value.close();
  }
}

const verdict = (results: CheckResult[], name: string) => results.find((result) => result.name === name)?.verdict;

describe('jarvis doctor checks against the simulator', () => {
  beforeAll(async () => {
    sim = await startSimulator({ seed: 1, authDelayMs: 0, metricsIntervalMs: 0 });
  });
  afterAll(async () => {
    await sim?.close();
  });

  const operator = () => endpoint({ auth: { kind: 'token', tokenId: sim.operatorTokenId, tokenSecret: sim.operatorTokenSecret } });

  it('passes on the healthy seed cluster with the least-privilege token (exit 0), including the VM 103 protection flag', async () => {
    const results = await doctor(operator());
    expect(results.map((result) => result.name)).toEqual([
      'PVE reachable',
      'TLS fingerprint',
      'credential',
      'privileges',
      'dangerous privileges',
      'self privileges',
      'quorum',
      'management VM',
      'VM protection',
    ]);
    expect(verdict(results, 'privileges')).toBe('OK');
    expect(verdict(results, 'dangerous privileges')).toBe('OK');
    expect(verdict(results, 'self privileges')).toBe('OK');
    expect(verdict(results, 'quorum')).toBe('OK');
    expect(verdict(results, 'management VM')).toBe('OK');
    expect(verdict(results, 'VM protection')).toBe('OK');
    expect(doctorExitCode(results)).toBe(0);
  });

  it('fails the TLS check on a wrong fingerprint and stops there', async () => {
    const wrong = sim.fingerprint.replace(/^[0-9A-F]{2}/, (pair) => (pair === '00' ? '11' : '00'));
    const results = await doctor(endpoint({ fingerprint: wrong }));
    expect(results.map((result) => [result.name, result.verdict])).toEqual([
      ['PVE reachable', 'OK'],
      ['TLS fingerprint', 'FAIL'],
    ]);
    expect(results[1]?.hint).toContain('pve.fingerprint');
    expect(doctorExitCode(results)).toBe(1);
  });

  it('warns when TLS verification is disabled', async () => {
    const results = await doctor(endpoint({ fingerprint: undefined, insecure: true }));
    expect(verdict(results, 'TLS fingerprint')).toBe('WARN');
  });

  it('fails the credential check on a wrong token secret', async () => {
    const results = await doctor(endpoint({ auth: { kind: 'token', tokenId: sim.tokenId, tokenSecret: '00000000-0000-0000-0000-000000000000' } }));
    expect(verdict(results, 'credential')).toBe('FAIL');
    expect(doctorExitCode(results)).toBe(1);
  });

  it('fails reachability when nothing listens', async () => {
    const results = await doctor(endpoint({ url: 'https://127.0.0.1:1' }));
    expect(results).toHaveLength(1);
    expect(results[0]).toMatchObject({ name: 'PVE reachable', verdict: 'FAIL' });
  });

  it('warns when a node is offline and fails when quorum is lost', async () => {
    sim.world.applyFault({ kind: 'node-offline', node: 'agent' });
    try {
      expect(verdict(await doctor(), 'quorum')).toBe('WARN');
      sim.world.applyFault({ kind: 'quorum-loss' });
      const results = await doctor();
      expect(verdict(results, 'quorum')).toBe('FAIL');
      expect(doctorExitCode(results)).toBe(1);
    } finally {
      sim.world.clearFaults();
    }
  });

  it('fails when the configured management VM is not the one in the cluster', async () => {
    const topology = { ...SEED_TOPOLOGY, self: { ...SEED_TOPOLOGY.self, vmName: 'web01' } };
    const results = await doctor(endpoint(), topology);
    expect(results.find((result) => result.name === 'management VM')).toMatchObject({ verdict: 'FAIL', detail: "VM 103 is 'management', config says 'web01'" });
  });

  it('with the audit-only token, reads still work (privileges WARN, not FAIL; nothing dangerous)', async () => {
    const results = await doctor(endpoint({ auth: { kind: 'token', tokenId: sim.auditTokenId, tokenSecret: sim.auditTokenSecret } }));
    expect(verdict(results, 'privileges')).toBe('WARN');
    expect(verdict(results, 'dangerous privileges')).toBe('OK');
    expect(verdict(results, 'self privileges')).toBe('OK');
    expect(doctorExitCode(results)).toBe(0);
  });

  it('with the over-privileged full token, FAILs dangerous privileges and power over VM 103 / agent1, with the exact fix', async () => {
    const results = await doctor(endpoint());
    const dangerous = results.find((result) => result.name === 'dangerous privileges');
    expect(dangerous?.verdict).toBe('FAIL');
    for (const privilege of ['Sys.PowerMgmt', 'Sys.Console', 'Permissions.Modify', 'Sys.Modify', 'User.Modify', 'VM.Allocate'])
      expect(dangerous?.detail).toContain(privilege);
    expect(dangerous?.detail).toContain('on /');
    expect(dangerous?.hint).toContain(`pveum acl modify /vms --tokens '${sim.tokenId}' --roles JarvisOperator`);
    const self = results.find((result) => result.name === 'self privileges');
    expect(self?.verdict).toBe('FAIL');
    expect(self?.detail).toContain('VM.PowerMgmt, VM.Migrate');
    expect(self?.detail).toContain('on /vms/103');
    expect(self?.detail).toContain('Sys.Modify, Sys.PowerMgmt, Sys.Console on /nodes/agent1');
    expect(self?.hint).toContain(`pveum acl modify /vms/103 --tokens '${sim.tokenId}' --roles JarvisGuestAudit`);
    expect(self?.hint).toContain(`pveum acl modify /nodes/agent1 --tokens '${sim.tokenId}' --roles JarvisNodeAudit`);
    expect(doctorExitCode(results)).toBe(1);
  });
});

describe('SSH and Docker checks', () => {
  it("are OK against the simulator's sshd and Engine API, and report a stopped Docker daemon", async () => {
    const { simulatedSideChannels } = await import('../../src/cli/compose/side-channels.ts');
    const { runSideChecks } = await import('../../src/cli/compose/doctor-side-checks.ts');
    const { loadConfig } = await import('../../src/config/index.ts');
    const simulator = await startSimulator({ seed: 3, authDelayMs: 0, metricsIntervalMs: 0 });
    const loaded = loadConfig({ env: {}, cwd: '/srv' });
    if (!loaded.ok) throw new Error(loaded.error.message);
    const side = await simulatedSideChannels(simulator, loaded.value.config);
    try {
      const input = {
        shell: side.shell,
        docker: side.docker,
        absent: side.absent,
        topology: SEED_TOPOLOGY,
        nodes: ['Home', 'pve', 'agent1', 'agent'],
        now: Date.now(),
        timeoutMs: 3_000,
      };
      expect((await runSideChecks(input)).map((result) => [result.name, result.verdict])).toEqual([
        ['SSH', 'OK'],
        ['Docker', 'OK'],
      ]);
      simulator.world.applyFault({ kind: 'docker-down', host: 'docker@103' });
      const docker = (await runSideChecks(input))[1]!;
      expect(docker.verdict).not.toBe('OK');
      expect(docker.hint).toContain('docker.hosts');
      const none = await runSideChecks({ ...input, shell: undefined, docker: undefined, absent: { ssh: 'not configured', docker: 'not configured' } });
      expect(none.map((result) => result.verdict)).toEqual(['WARN', 'WARN']);
    } finally {
      await side.close();
      await simulator.close();
    }
  });
});

describe('configured SSH/Docker channels on a real cluster', () => {
  it('are absent with the reason when not configured or when the key file is unreadable', async () => {
    const { configuredSideChannels } = await import('../../src/cli/compose/side-channels.ts');
    const { loadConfig } = await import('../../src/config/index.ts');
    const none = loadConfig({ env: {}, cwd: '/srv' });
    if (!none.ok) throw new Error(none.error.message);
    const empty = await configuredSideChannels(none.value.config, silentLogger);
    expect(empty.shell).toBeUndefined();
    expect(empty.docker).toBeUndefined();
    expect(empty.absent.ssh).toContain('ssh.keyFile');
    expect(empty.absent.docker).toContain('docker.hosts');
    const broken = loadConfig({ env: { JARVIS_SSH_KEY_FILE: '/nonexistent/jarvis-test-key' }, cwd: '/srv' });
    if (!broken.ok) throw new Error(broken.error.message);
    const channels = await configuredSideChannels(broken.value.config, silentLogger);
    expect(channels.shell).toBeUndefined();
    expect(channels.absent.ssh).toMatch(/private key/i);
  });
});

describe('privileges from /access/permissions', () => {
  it('fails without the read privileges and warns without VM.PowerMgmt', () => {
    expect(checkPermissionMap({ '/': { 'VM.Audit': 1 } }).verdict).toBe('FAIL');
    expect(checkPermissionMap({ '/': { 'Sys.Audit': 1, 'VM.Audit': 1, 'Datastore.Audit': 1, 'Sys.Syslog': 1 } })).toMatchObject({
      verdict: 'WARN',
      detail: expect.stringContaining('VM.PowerMgmt'),
    });
    expect(checkPermissionMap({ '/': { 'Sys.Audit': 1, 'VM.Audit': 1, 'Datastore.Audit': 1, 'Sys.Syslog': 1, 'VM.PowerMgmt': 1 } }).verdict).toBe('OK');
  });

  it('flags each dangerous privilege on any path, VM.Config.* included; Sys.Modify only tolerated on another node', () => {
    const self = { vmid: 103, node: 'agent1' };
    expect(checkDangerousPrivileges({ '/': { 'Sys.Audit': 1, 'VM.PowerMgmt': 1 } }, aclSubject('token t'), self).verdict).toBe('OK');
    expect(checkDangerousPrivileges({ '/': { 'Sys.PowerMgmt': 0 } }, aclSubject('token t'), self).verdict).toBe('OK');
    for (const privilege of ['Sys.PowerMgmt', 'Sys.Console', 'Permissions.Modify', 'Realm.Allocate', 'VM.Config.Disk', 'Datastore.Allocate']) {
      expect(checkDangerousPrivileges({ '/vms': { [privilege]: 1 } }, aclSubject('token t'), self)).toMatchObject({
        verdict: 'FAIL',
        detail: expect.stringContaining(`${privilege} on /vms`),
      });
    }
    expect(checkDangerousPrivileges({ '/nodes/agent2': { 'Sys.Modify': 1 } }, aclSubject('token t'), self).verdict).toBe('OK');
    expect(checkDangerousPrivileges({ '/nodes/agent1': { 'Sys.Modify': 1 } }, aclSubject('token t'), self).verdict).toBe('FAIL');
    expect(checkDangerousPrivileges({ '/': { 'Sys.Modify': 1 } }, aclSubject('token t'), self).verdict).toBe('FAIL');
  });
});
