import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../../src/sim/index.ts';
import { admin, newestSyslog, pveRequest, waitTask } from './pve-request.ts';

describe('simulator behaviours of reference §6', () => {
  let sim: RunningSimulator;
  let token: { id: string; secret: string };
  // A manual clock: tasks end and data goes stale only when the test moves time forward.
  const clock = { now: 0 };
  const finish = (node: string, upid: string) => {
    clock.now += 60_000;
    return waitTask(sim.url, token, node, upid);
  };
  const post = (path: string, body?: Record<string, string>) => pveRequest(sim.url, path, { method: 'POST', token, ...(body ? { body } : {}) });
  const get = (path: string) => pveRequest(sim.url, path, { token });
  beforeEach(async () => {
    clock.now = Date.UTC(2026, 10, 25, 8, 0, 0);
    sim = await startSimulator({ authDelayMs: 0, taskDurationMs: 1500, metricsIntervalMs: 0, clock: () => clock.now });
    token = { id: sim.tokenId, secret: sim.tokenSecret };
  });
  afterEach(async () => {
    await sim.close();
  });

  describe('tasks', () => {
    it('starting a running QEMU VM is accepted (200 + UPID) and the task fails "already running"', async () => {
      const response = await post('/nodes/agent1/qemu/103/status/start');
      expect(response.status).toBe(200);
      expect(response.json.data).toMatch(/^UPID:agent1:[0-9A-F]{8}:[0-9A-F]{8}:[0-9A-F]{8}:qmstart:103:jarvis@pve!monitor:$/);
      const task = await finish('agent1', response.json.data);
      expect(task).toMatchObject({ status: 'stopped', exitstatus: 'VM 103 already running' });
      const log = await get(`/nodes/agent1/tasks/${encodeURIComponent(response.json.data)}/log`);
      expect(log.json.data.at(-1).t).toBe('TASK ERROR: VM 103 already running');
    });

    it('starting a running container fails synchronously with 500 "CT 202 already running" and no task', async () => {
      const before = (await get('/nodes/agent1/tasks')).json.total;
      const response = await post('/nodes/agent1/lxc/202/status/start');
      expect(response.status).toBe(500);
      expect(response.reason).toBe('CT 202 already running');
      expect((await get('/nodes/agent1/tasks')).json.total).toBe(before);
    });

    it('a task is running first, then stopped with OK, and the guest state follows', async () => {
      const response = await post('/nodes/agent1/qemu/109/status/start');
      const upid = response.json.data;
      const first = await get(`/nodes/agent1/tasks/${encodeURIComponent(upid)}/status`);
      expect(first.json.data.status).toBe('running');
      expect(first.json.data).not.toHaveProperty('exitstatus');
      expect((await finish('agent1', upid)).exitstatus).toBe('OK');
      expect((await get('/nodes/agent1/qemu/109/status/current')).json.data.status).toBe('running');
      const syslog = await newestSyslog(sim.url, token, 'agent1', 10);
      expect(syslog.some((line: string) => line.includes(`starting task ${upid}`))).toBe(true);
      expect(syslog.some((line: string) => line.includes(`end task ${upid} OK`))).toBe(true);
      const clusterLog = (await get('/cluster/log?max=20')).json.data.map((entry: any) => entry.msg);
      expect(clusterLog).toContain(`<jarvis@pve!monitor> end task ${upid} OK`);
    });

    it('stopping a stopped VM is a task that ends OK', async () => {
      const response = await post('/nodes/agent/qemu/104/status/stop');
      expect((await finish('agent', response.json.data)).exitstatus).toBe('OK');
    });

    it('shutdown and stop take a running guest down; reboot of a stopped VM is 500 "VM 104 not running"', async () => {
      const shutdown = await post('/nodes/pve/qemu/102/status/shutdown');
      expect((await finish('pve', shutdown.json.data)).exitstatus).toBe('OK');
      expect((await get('/nodes/pve/qemu/102/status/current')).json.data).toMatchObject({ status: 'stopped', mem: 0, cpu: 0 });
      const stopCt = await post('/nodes/pve/lxc/200/status/stop');
      expect((await finish('pve', stopCt.json.data)).exitstatus).toBe('OK');
      const reboot = await post('/nodes/agent/qemu/104/status/reboot');
      expect(reboot.status).toBe(500);
      expect(reboot.reason).toBe('VM 104 not running');
    });

    it('stopping a VM locked for backup fails in the task with "VM is locked (backup)"', async () => {
      const response = await post('/nodes/pve/qemu/108/status/stop');
      expect(response.status).toBe(200);
      expect((await finish('pve', response.json.data)).exitstatus).toBe('VM is locked (backup)');
      expect((await get('/nodes/pve/qemu/108/status/current')).json.data.status).toBe('running');
    });

    it('starting a locked stopped VM fails in the task; skiplock=1 is for root@pam only and then stops a locked VM', async () => {
      await admin(sim.adminUrl, 'POST', '/guests/109', { lock: 'snapshot' });
      const start = await post('/nodes/agent1/qemu/109/status/start');
      expect(start.status).toBe(200);
      expect((await finish('agent1', start.json.data)).exitstatus).toBe('VM is locked (snapshot)');
      const byToken = await post('/nodes/pve/qemu/108/status/stop', { skiplock: '1' });
      expect(byToken.status).toBe(400);
      expect(byToken.json.errors).toEqual({ skiplock: 'Only root may use this option.' });
      const login = await pveRequest(sim.url, '/access/ticket', { method: 'POST', body: { username: 'root@pam', password: sim.password } });
      const { ticket, CSRFPreventionToken } = login.json.data;
      const asRoot = await pveRequest(sim.url, '/nodes/pve/qemu/108/status/stop', {
        method: 'POST',
        body: { skiplock: '1' },
        headers: { Cookie: `PVEAuthCookie=${encodeURIComponent(ticket)}`, CSRFPreventionToken },
      });
      expect(asRoot.status).toBe(200);
      expect((await finish('pve', asRoot.json.data)).exitstatus).toBe('OK');
      expect((await get('/nodes/pve/qemu/108/status/current')).json.data).toMatchObject({ status: 'stopped', lock: 'backup' });
    });

    it('starting a template fails in the task', async () => {
      const response = await post('/nodes/agent1/qemu/9000/status/start');
      expect((await finish('agent1', response.json.data)).exitstatus).toBe("you can't start a vm if it's a template");
    });

    it('a VMID that is not on the node is a 500 naming the missing config file', async () => {
      const response = await post('/nodes/pve/qemu/103/status/stop');
      expect(response.status).toBe(500);
      expect(response.reason).toBe("Configuration file 'nodes/pve/qemu-server/103.conf' does not exist");
    });

    it('DELETE of a running task stops it: it ends "interrupted by signal" and the guest is unchanged', async () => {
      const start = await post('/nodes/agent1/qemu/109/status/start');
      const upid = start.json.data;
      expect((await pveRequest(sim.url, `/nodes/agent1/tasks/${encodeURIComponent(upid)}`, { method: 'DELETE', token })).status).toBe(200);
      expect((await finish('agent1', upid)).exitstatus).toBe('interrupted by signal');
      expect((await get('/nodes/agent1/qemu/109/status/current')).json.data.status).toBe('stopped');
    });

    it('suspend pauses a VM (qmpstatus paused, shutdown refused), resume runs it again; stopped VMs are refused', async () => {
      const suspend = await post('/nodes/pve/qemu/102/status/suspend');
      expect((await finish('pve', suspend.json.data)).exitstatus).toBe('OK');
      expect((await get('/nodes/pve/qemu/102/status/current')).json.data).toMatchObject({ status: 'running', qmpstatus: 'paused' });
      expect((await get('/cluster/resources?type=vm')).json.data.find((entry: any) => entry.vmid === 102).status).toBe('paused');
      const shutdown = await post('/nodes/pve/qemu/102/status/shutdown');
      expect(shutdown.status).toBe(500);
      expect(shutdown.reason).toBe('VM is paused - cannot shutdown');
      const resume = await post('/nodes/pve/qemu/102/status/resume');
      expect((await finish('pve', resume.json.data)).exitstatus).toBe('OK');
      expect((await get('/nodes/pve/qemu/102/status/current')).json.data.qmpstatus).toBe('running');
      const reset = await post('/nodes/agent/qemu/104/status/reset');
      expect(reset.status).toBe(500);
      expect(reset.reason).toBe('VM 104 not running');
    });

    it('the backup-locked guest has a running vzdump task', async () => {
      const tasks = (await get('/nodes/pve/tasks?source=active')).json.data;
      expect(tasks.find((task: any) => task.type === 'vzdump')).toMatchObject({ id: '108', user: 'root@pam' });
      expect(tasks.find((task: any) => task.type === 'vzdump')).not.toHaveProperty('status');
    });

    it('migrates a stopped VM to another node; a running VM needs online', async () => {
      const refused = await post('/nodes/agent1/qemu/103/migrate', { target: 'pve' });
      expect(refused.reason).toBe("can't migrate running VM without --online");
      const local = await post('/nodes/agent1/qemu/109/migrate', { target: 'agent1' });
      expect(local.json.errors.target).toBe('target is local node.');
      const response = await post('/nodes/agent1/qemu/109/migrate', { target: 'pve' });
      expect((await finish('agent1', response.json.data)).exitstatus).toBe('OK');
      expect((await get('/cluster/resources?type=vm')).json.data.find((entry: any) => entry.vmid === 109).node).toBe('pve');
    });
  });

  describe('node offline', () => {
    it('proxied calls get 595 Connection refused with an empty body; the node is offline in resources at once', async () => {
      expect((await admin(sim.adminUrl, 'POST', '/nodes/agent/offline')).status).toBe(200);
      const status = await get('/nodes/agent/status');
      expect(status.status).toBe(595);
      expect(status.reason).toBe('Connection refused');
      expect(status.text).toBe('');
      expect((await post('/nodes/agent/qemu/101/status/stop')).status).toBe(595);
      const resources = (await get('/cluster/resources')).json.data;
      const node = resources.find((entry: any) => entry.id === 'node/agent');
      expect(node).toMatchObject({ status: 'offline', maxcpu: expect.any(Number), maxmem: expect.any(Number) });
      expect(node).not.toHaveProperty('cpu');
      expect(node).not.toHaveProperty('mem');
      expect(resources.find((entry: any) => entry.id === 'qemu/101')).toMatchObject({ status: 'running', name: 'media-server' });
      const cluster = (await get('/cluster/status')).json.data;
      expect(cluster.find((entry: any) => entry.name === 'agent').online).toBe(0);
      expect(cluster[0].quorate).toBe(1);
      expect((await get('/cluster/resources')).status).toBe(200);
    });

    it('after the stale horizon its guests are unknown with only id/vmid/node/type/status (+tags)', async () => {
      await admin(sim.adminUrl, 'POST', '/faults', { kind: 'node-offline', node: 'agent' });
      clock.now += 299_000;
      expect((await get('/cluster/resources')).json.data.find((entry: any) => entry.id === 'qemu/101').status).toBe('running');
      clock.now += 2_000;
      const resources = (await get('/cluster/resources')).json.data;
      expect(resources.find((entry: any) => entry.id === 'qemu/101')).toEqual({
        id: 'qemu/101',
        vmid: 101,
        node: 'agent',
        type: 'qemu',
        status: 'unknown',
        tags: 'media',
      });
      expect(resources.find((entry: any) => entry.id === 'node/agent')).toEqual({ id: 'node/agent', type: 'node', node: 'agent', status: 'offline' });
      expect(resources.find((entry: any) => entry.id === 'storage/agent/local-lvm').status).toBe('unknown');
      await admin(sim.adminUrl, 'POST', '/nodes/agent/online');
      expect((await get('/nodes/agent/status')).status).toBe(200);
      expect((await get('/cluster/resources')).json.data.find((entry: any) => entry.id === 'qemu/101').status).toBe('running');
    });
  });

  describe('status daemon silent', () => {
    it('a node whose pvestatd has been failed longer than the horizon is unknown, its guests too, but it still answers', async () => {
      await admin(sim.adminUrl, 'POST', '/faults', { kind: 'service-failed', node: 'agent', service: 'pvestatd' });
      expect((await get('/cluster/resources?type=node')).json.data.find((entry: any) => entry.node === 'agent').status).toBe('online');
      clock.now += 301_000;
      const resources = (await get('/cluster/resources')).json.data;
      expect(resources.find((entry: any) => entry.id === 'node/agent')).toEqual({ id: 'node/agent', type: 'node', node: 'agent', status: 'unknown' });
      expect(resources.find((entry: any) => entry.id === 'qemu/101').status).toBe('unknown');
      expect((await get('/nodes/agent/status')).status).toBe(200);
      expect((await get('/cluster/status')).json.data.find((entry: any) => entry.name === 'agent').online).toBe(1);
    });
  });

  describe('quorum loss', () => {
    it('losing 2 of 4 nodes makes the cluster not quorate; start is refused, stop still works', async () => {
      await admin(sim.adminUrl, 'POST', '/scenario', { name: 'quorum-loss' });
      const cluster = (await get('/cluster/status')).json.data;
      expect(cluster[0].quorate).toBe(0);
      const ha = (await get('/cluster/ha/status/current')).json.data;
      expect(ha[0]).toMatchObject({ quorate: 0, status: "No quorum on node 'Home'!" });
      const start = await post('/nodes/agent1/qemu/109/status/start');
      expect(start.status).toBe(500);
      expect(start.reason).toBe('cluster not ready - no quorum?');
      const ctStart = await post('/nodes/agent1/lxc/206/status/start');
      expect(ctStart.reason).toBe('cluster not ready - no quorum?');
      const migrate = await post('/nodes/agent1/qemu/109/migrate', { target: 'Home' });
      expect(migrate.reason).toBe('cluster not ready - no quorum?');
      const config = await pveRequest(sim.url, '/nodes/agent1/qemu/109/config', { method: 'PUT', token, body: { description: 'x' } });
      expect(config.reason).toBe('cluster not ready - no quorum?');
      const stop = await post('/nodes/agent1/qemu/103/status/stop');
      expect(stop.status).toBe(200);
      expect((await finish('agent1', stop.json.data)).exitstatus).toBe('OK');
      expect((await get('/cluster/resources')).status).toBe(200);
    });

    it('the quorum-loss fault alone flips quorate with every node online, and reset restores it', async () => {
      await admin(sim.adminUrl, 'POST', '/faults', { kind: 'quorum-loss' });
      expect((await get('/cluster/status')).json.data[0].quorate).toBe(0);
      await admin(sim.adminUrl, 'POST', '/reset');
      expect((await get('/cluster/status')).json.data[0].quorate).toBe(1);
    });
  });
});
