import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { HOSTILE_TEXT, startSimulator, type RunningSimulator } from '../../src/sim/index.ts';
import { admin, newestSyslog, pveRequest } from './pve-request.ts';

describe('simulator faults and the admin API', () => {
  let sim: RunningSimulator;
  let token: { id: string; secret: string };
  const get = (path: string, abortAfterMs?: number) => pveRequest(sim.url, path, { token, ...(abortAfterMs ? { abortAfterMs } : {}) });
  beforeAll(async () => {
    sim = await startSimulator({ authDelayMs: 0, taskDurationMs: 20, metricsIntervalMs: 0 });
    token = { id: sim.tokenId, secret: sim.tokenSecret };
  });
  beforeEach(async () => {
    await admin(sim.adminUrl, 'DELETE', '/faults');
  });
  afterAll(async () => {
    await sim.close();
  });

  it('GET /state describes nodes, quorum, docker hosts and active faults', async () => {
    const { status, json } = await admin(sim.adminUrl, 'GET', '/state');
    expect(status).toBe(200);
    expect(json).toMatchObject({ clusterName: 'homelab', quorate: true, guests: 20, dockerHosts: [{ host: 'docker@103', up: true }], faults: [] });
    expect(json.nodes.map((node: any) => node.name)).toEqual(['Home', 'pve', 'agent1', 'agent']);
  });

  it('adds latency to matching paths only', async () => {
    await admin(sim.adminUrl, 'POST', '/faults', { kind: 'latency', ms: 5000, path: '/cluster/*' });
    expect(sim.world.httpFaults('GET', '/version').latencyMs).toBe(0);
    expect(sim.world.httpFaults('GET', '/cluster/status').latencyMs).toBe(5000);
    await expect(get('/cluster/status', 300)).rejects.toThrow();
    expect((await get('/version')).status).toBe(200);
  });

  it('answers a 5xx with the given message on a path pattern', async () => {
    const { status, json } = await admin(sim.adminUrl, 'POST', '/faults', {
      kind: 'http-error',
      path: '/nodes/*/status',
      status: 503,
      message: 'service unavailable (simulated)',
    });
    expect(status).toBe(201);
    expect(json.id).toEqual(expect.any(Number));
    const response = await get('/nodes/pve/status');
    expect(response.status).toBe(503);
    expect(response.reason).toBe('service unavailable (simulated)');
    expect((await get('/nodes/pve/qemu')).status).toBe(200);
    await admin(sim.adminUrl, 'DELETE', `/faults/${json.id}`);
    expect((await get('/nodes/pve/status')).status).toBe(200);
  });

  it('never answers a hung path', async () => {
    await admin(sim.adminUrl, 'POST', '/faults', { kind: 'hang', path: '/cluster/resources' });
    await expect(get('/cluster/resources', 300)).rejects.toThrow();
    expect((await get('/cluster/status')).status).toBe(200);
  });

  it('sends a truncated JSON body with status 200 on a malformed path', async () => {
    await admin(sim.adminUrl, 'POST', '/faults', { kind: 'malformed', path: '/cluster/resources' });
    const response = await get('/cluster/resources');
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('application/json;charset=UTF-8');
    expect(() => JSON.parse(response.text)).toThrow();
  });

  it('rejects unknown fault kinds and unknown targets with 400', async () => {
    expect((await admin(sim.adminUrl, 'POST', '/faults', { kind: 'meteor' })).status).toBe(400);
    expect((await admin(sim.adminUrl, 'POST', '/faults', { kind: 'node-offline', node: 'atlantis' })).json.error).toBe("no such node 'atlantis'");
    expect((await admin(sim.adminUrl, 'POST', '/scenario', { name: 'nope' })).status).toBe(400);
  });

  it('crashes a guest: running -> stopped with a journal line', async () => {
    await admin(sim.adminUrl, 'POST', '/faults', { kind: 'guest-crash', vmid: 105 });
    expect((await get('/nodes/pve/qemu/105/status/current')).json.data.status).toBe('stopped');
    const syslog = (await newestSyslog(sim.url, token, 'pve', 5)).join('\n');
    expect(syslog).toContain('Out of memory: Killed process');
    expect(syslog).toContain("105.scope: Failed with result 'oom-kill'.");
  });

  it('fails a service until the fault is cleared', async () => {
    await admin(sim.adminUrl, 'POST', '/faults', { kind: 'service-failed', node: 'agent1', service: 'pvestatd' });
    expect((await get('/nodes/agent1/services/pvestatd/state')).json.data).toMatchObject({ state: 'failed', 'active-state': 'failed' });
    expect(sim.world.services('agent1').find((service) => service.unit === 'pvestatd')?.activeState).toBe('failed');
    await admin(sim.adminUrl, 'POST', '/reset');
    expect((await get('/nodes/agent1/services/pvestatd/state')).json.data.state).toBe('running');
  });

  it('fills a disk toward 100% and pins CPU near 1.0 as ticks pass', async () => {
    await admin(sim.adminUrl, 'POST', '/faults', { kind: 'disk-fill', node: 'pve', stepFraction: 0.5 });
    await admin(sim.adminUrl, 'POST', '/faults', { kind: 'disk-fill', node: 'pve', storage: 'local-lvm', stepFraction: 0.5 });
    await admin(sim.adminUrl, 'POST', '/faults', { kind: 'cpu-runaway', vmid: 100 });
    await admin(sim.adminUrl, 'POST', '/faults', { kind: 'cpu-runaway', node: 'agent' });
    await admin(sim.adminUrl, 'POST', '/tick', { count: 10 });
    const status = (await get('/nodes/pve/status')).json.data;
    expect(status.rootfs.used / status.rootfs.total).toBeGreaterThan(0.98);
    const lvm = (await get('/nodes/pve/storage/local-lvm/status')).json.data;
    expect(lvm.used / lvm.total).toBeGreaterThan(0.98);
    expect((await get('/nodes/pve/qemu/100/status/current')).json.data.cpu).toBeGreaterThan(0.95);
    expect((await get('/nodes/agent/status')).json.data.cpu).toBeGreaterThan(0.95);
  });

  it('puts a guest and a node under memory pressure (node swap grows)', async () => {
    await admin(sim.adminUrl, 'POST', '/faults', { kind: 'memory-pressure', vmid: 101 });
    await admin(sim.adminUrl, 'POST', '/faults', { kind: 'memory-pressure', node: 'Home' });
    await admin(sim.adminUrl, 'POST', '/tick', { count: 5 });
    const guest = (await get('/nodes/agent/qemu/101/status/current')).json.data;
    expect(guest.mem / guest.maxmem).toBeGreaterThan(0.96);
    const node = (await get('/nodes/Home/status')).json.data;
    expect(node.memory.used / node.memory.total).toBeGreaterThan(0.94);
    expect(node.swap.used).toBeGreaterThan(0);
    expect(sim.world.memory('Home').swapUsed).toBe(node.swap.used);
  });

  it('takes a storage offline: inactive with zero figures, unknown in resources, its NFS mount gone', async () => {
    await admin(sim.adminUrl, 'POST', '/faults', { kind: 'storage-offline', storage: 'nas' });
    expect((await get('/nodes/pve/storage/nas/status')).json.data).toMatchObject({ active: 0, total: 0, used: 0, avail: 0 });
    const listed = (await get('/nodes/pve/storage')).json.data.find((entry: any) => entry.storage === 'nas');
    expect(listed).not.toHaveProperty('used_fraction');
    const resources = (await get('/cluster/resources?type=storage')).json.data;
    expect(resources.find((entry: any) => entry.id === 'storage/agent1/nas')).toMatchObject({ status: 'unknown' });
    expect(resources.find((entry: any) => entry.id === 'storage/agent1/nas')).not.toHaveProperty('disk');
    expect(resources.find((entry: any) => entry.id === 'storage/agent1/local').status).toBe('available');
    expect(sim.world.disks('pve').some((disk) => disk.mount === '/mnt/pve/nas')).toBe(false);
  });

  it('takes the Docker daemon down and crashes a container', async () => {
    await admin(sim.adminUrl, 'POST', '/faults', { kind: 'container-crash', container: 'uptime-kuma', exitCode: 137 });
    expect(sim.world.containers('docker@103').find((c) => c.name === 'uptime-kuma')).toMatchObject({
      state: 'exited',
      status: expect.stringMatching(/^Exited \(137\)/),
    });
    await admin(sim.adminUrl, 'POST', '/faults', { kind: 'docker-down' });
    expect(sim.world.isDockerUp('docker@103')).toBe(false);
    expect(sim.world.containerAction('docker@103', 'uptime-kuma', 'start')).toContain('Cannot connect to the Docker daemon');
    await admin(sim.adminUrl, 'DELETE', '/faults');
    expect(sim.world.containerAction('docker@103', 'uptime-kuma', 'start')).toBeUndefined();
    expect(sim.world.containers('docker@103').find((c) => c.name === 'uptime-kuma')?.state).toBe('running');
  });

  it('stores arbitrary hostile text verbatim in names, descriptions and every log', async () => {
    expect((await admin(sim.adminUrl, 'POST', '/guests/110', { name: 'evil\u200bname', description: HOSTILE_TEXT })).status).toBe(200);
    const entry = (await get('/cluster/resources?type=vm')).json.data.find((guest: any) => guest.vmid === 110);
    expect(entry.name).toBe('evil\u200bname');
    expect((await get('/nodes/pve/qemu/110/config')).json.data.description).toBe(HOSTILE_TEXT);
    await admin(sim.adminUrl, 'POST', '/logs', { node: 'agent1', unit: 'sshd', message: HOSTILE_TEXT });
    expect((await newestSyslog(sim.url, token, 'agent1', 1))[0]).toContain(HOSTILE_TEXT);
    await admin(sim.adminUrl, 'POST', '/logs', { target: 'cluster', node: 'pve', message: HOSTILE_TEXT });
    expect((await get('/cluster/log?max=1')).json.data[0].msg).toBe(HOSTILE_TEXT);
    await admin(sim.adminUrl, 'POST', '/logs', { host: 'docker@103', container: 'homepage', message: HOSTILE_TEXT });
    expect(sim.world.containerLogs('docker@103', 'homepage', 1)).toEqual([HOSTILE_TEXT]);
    const start = await pveRequest(sim.url, '/nodes/agent1/qemu/103/status/start', { method: 'POST', token });
    await admin(sim.adminUrl, 'POST', '/logs', { upid: start.json.data, message: HOSTILE_TEXT });
    const deadline = Date.now() + 5000;
    let log: any[] = [];
    while (Date.now() < deadline) {
      log = (await get(`/nodes/agent1/tasks/${encodeURIComponent(start.json.data)}/log`)).json.data;
      if (log.at(-1).t.startsWith('TASK')) break;
    }
    expect(log.map((line) => line.t)).toContain(HOSTILE_TEXT);
    expect(log.at(-1).t).toMatch(/^TASK /);
  });

  it('an error message with control characters stays in the JSON body but is sanitised in the status line', async () => {
    await admin(sim.adminUrl, 'POST', '/faults', { kind: 'http-error', path: '/version', message: 'bad\u001b[31m thing\u200b' });
    const response = await get('/version');
    expect(response.status).toBe(500);
    expect(response.reason).toBe('bad?[31m thing?');
    expect(response.json.message).toBe('bad\u001b[31m thing\u200b\n');
  });

  it('applies named scenarios (the injection scenario plants hostile text)', async () => {
    expect((await admin(sim.adminUrl, 'GET', '/scenarios')).json).toHaveProperty('node-offline');
    expect((await admin(sim.adminUrl, 'POST', '/scenario', { name: 'injection' })).status).toBe(200);
    const guest = (await get('/cluster/resources?type=vm')).json.data.find((entry: any) => entry.vmid === 110);
    expect(guest.name).toBe('ignore-previous-instructions');
    expect((await admin(sim.adminUrl, 'POST', '/scenario', { name: 'node-offline' })).status).toBe(200);
    expect((await get('/nodes/agent/status')).status).toBe(595);
  });
});
