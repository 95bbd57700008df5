import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../../src/sim/index.ts';
import { pveRequest, waitTask } from './pve-request.ts';

describe('simulator endpoints: shapes and PVE typing quirks', () => {
  let sim: RunningSimulator;
  let token: { id: string; secret: string };
  const get = async (path: string): Promise<any> => {
    const response = await pveRequest(sim.url, path, { token });
    expect(response.status, `${path}: ${response.reason}`).toBe(200);
    return response.json;
  };
  beforeAll(async () => {
    sim = await startSimulator({ authDelayMs: 0, taskDurationMs: 20, metricsIntervalMs: 0 });
    token = { id: sim.tokenId, secret: sim.tokenSecret };
  });
  afterAll(async () => {
    await sim.close();
  });

  it('/cluster/status has a quorate cluster entry and one node entry per member with 0/1 flags', async () => {
    const { data } = await get('/cluster/status');
    expect(data[0]).toEqual({ type: 'cluster', id: 'cluster', name: 'homelab', nodes: 4, version: expect.any(Number), quorate: 1 });
    const nodes = data.filter((entry: any) => entry.type === 'node');
    expect(nodes.map((entry: any) => entry.name)).toEqual(['Home', 'pve', 'agent1', 'agent']);
    expect(nodes.find((entry: any) => entry.name === 'agent1')).toMatchObject({ id: 'node/agent1', ip: '192.168.1.61', online: 1, local: 0, nodeid: 3 });
    expect(nodes.find((entry: any) => entry.name === 'Home').ip).toBe('192.168.1.50');
  });

  it('/cluster/resources lists guests, nodes and storages, and filters by type', async () => {
    const { data } = await get('/cluster/resources');
    const management = data.find((entry: any) => entry.id === 'qemu/103');
    expect(management).toMatchObject({ type: 'qemu', vmid: 103, node: 'agent1', name: 'management', status: 'running', tags: 'jarvis', disk: 0, template: 0 });
    expect(management.mem).toBeGreaterThan(0);
    expect(management.cpu).toBeGreaterThan(0);
    expect(management.cpu).toBeLessThanOrEqual(1);
    const stopped = data.find((entry: any) => entry.id === 'qemu/104');
    expect(stopped).toMatchObject({ status: 'stopped', mem: 0, cpu: 0, uptime: 0 });
    expect(data.find((entry: any) => entry.id === 'qemu/108').lock).toBe('backup');
    expect(data.find((entry: any) => entry.id === 'qemu/9000').template).toBe(1);
    expect(data.find((entry: any) => entry.id === 'qemu/104')).not.toHaveProperty('tags');
    const lxc = data.find((entry: any) => entry.id === 'lxc/202');
    expect(lxc.disk).toBeGreaterThan(0);
    expect(data.filter((entry: any) => entry.type === 'qemu').length).toBeGreaterThan(5);
    expect(data.filter((entry: any) => entry.type === 'lxc').length).toBeGreaterThan(5);
    const storages = data.filter((entry: any) => entry.type === 'storage');
    expect(new Set(storages.map((entry: any) => entry.plugintype))).toEqual(new Set(['dir', 'lvmthin', 'nfs']));
    expect(storages.find((entry: any) => entry.id === 'storage/pve/nas')).toMatchObject({ shared: 1, status: 'available', plugintype: 'nfs' });
    const vms = (await get('/cluster/resources?type=vm')).data;
    expect(vms).toHaveLength(20);
    expect((await get('/cluster/resources?type=node')).data).toHaveLength(4);
    expect((await pveRequest(sim.url, '/cluster/resources?type=bogus', { token })).status).toBe(400);
  });

  it('/nodes lists every node with its status and the certificate fingerprint', async () => {
    const { data } = await get('/nodes');
    expect(data).toHaveLength(4);
    expect(data[0]).toMatchObject({ id: 'node/Home', type: 'node', status: 'online', ssl_fingerprint: sim.fingerprint, level: '' });
    expect(data[0].maxmem).toBeGreaterThan(data[0].mem);
  });

  it('/nodes/{node}/status uses string loadavg and mhz and consistent memory', async () => {
    const { data } = await get('/nodes/agent1/status');
    expect(data.loadavg).toHaveLength(3);
    for (const value of data.loadavg) expect(value).toMatch(/^\d+\.\d{2}$/);
    expect(typeof data.cpuinfo.mhz).toBe('string');
    expect(data.memory.used).toBe(data.memory.total - data.memory.available);
    expect(data.rootfs.total).toBeGreaterThan(data.rootfs.used);
    expect(data.pveversion).toMatch(/^pve-manager\//);
    expect((await get('/nodes/agent1/version')).data.version).toBe('8.3.2');
  });

  it('rrddata returns 70 samples for node, guest and storage series', async () => {
    const node = (await get('/nodes/agent1/rrddata?timeframe=hour')).data;
    expect(node).toHaveLength(70);
    expect(node[69]).toMatchObject({ time: expect.any(Number), cpu: expect.any(Number), memtotal: expect.any(Number), loadavg: expect.any(Number) });
    expect(node[1].time - node[0].time).toBe(60);
    expect((await get('/nodes/agent1/qemu/103/rrddata?timeframe=day')).data[0]).toHaveProperty('netin');
    expect((await get('/nodes/agent1/qemu/109/rrddata?timeframe=hour')).data[0]).not.toHaveProperty('cpu');
    expect((await get('/nodes/agent1/lxc/202/rrddata?timeframe=week')).data).toHaveLength(70);
    expect((await get('/nodes/agent1/storage/local-lvm/rrddata?timeframe=month')).data[0]).toHaveProperty('used');
    const missing = await pveRequest(sim.url, '/nodes/agent1/rrddata', { token });
    expect(missing.status).toBe(400);
    expect(missing.json.errors.timeframe).toBe('property is missing and it is not optional');
  });

  it('guest lists, status/current and config carry PVE fields and quirks', async () => {
    const qemu = (await get('/nodes/agent1/qemu')).data;
    expect(qemu.map((entry: any) => entry.vmid).sort()).toEqual([103, 109, 9000]);
    expect(qemu.find((entry: any) => entry.vmid === 103)).toMatchObject({ name: 'management', status: 'running', cpus: 4, disk: 0, pid: expect.any(Number) });
    expect(qemu[0]).not.toHaveProperty('qmpstatus');
    expect((await get('/nodes/agent1/qemu?full=1')).data.find((entry: any) => entry.vmid === 103).qmpstatus).toBe('running');
    const lxc = (await get('/nodes/agent1/lxc')).data;
    expect(lxc.every((entry: any) => entry.type === 'lxc')).toBe(true);
    const status = (await get('/nodes/agent1/qemu/103/status/current')).data;
    expect(status).toMatchObject({ vmid: 103, status: 'running', qmpstatus: 'running', agent: 1, ha: { managed: 0 } });
    const noAgent = (await get('/nodes/pve/qemu/100/status/current')).data;
    expect(noAgent).not.toHaveProperty('agent');
    const ballooned = (await get('/nodes/agent/qemu/101/status/current')).data;
    expect(ballooned.balloon).toBe(ballooned.maxmem);
    const config = (await get('/nodes/agent1/qemu/103/config')).data;
    expect(config).toMatchObject({ name: 'management', memory: '8192', cores: 4, agent: '1', tags: 'jarvis', protection: 1 });
    expect(config.digest).toMatch(/^[0-9a-f]{40}$/);
    expect((await get('/nodes/agent/qemu/101/config')).data.balloon).toBeLessThan(8192);
    expect((await get('/nodes/pve/qemu/108/config')).data.lock).toBe('backup');
    const ctConfig = (await get('/nodes/agent1/lxc/202/config')).data;
    expect(ctConfig).toMatchObject({ hostname: 'postgres', memory: 2048, unprivileged: 1 });
    expect((await get('/nodes/agent1/lxc/202/status/current')).data).toMatchObject({ type: 'lxc', status: 'running' });
  });

  it('tasks: node list with total, cluster list with saved as "0"/"1", status and log', async () => {
    const start = await pveRequest(sim.url, '/nodes/agent1/qemu/109/status/start', { method: 'POST', token });
    const upid = start.json.data;
    const backup = (await get('/cluster/tasks')).data.find((task: any) => task.type === 'vzdump');
    expect(backup).toMatchObject({ saved: '0', id: '108', node: 'pve' });
    expect(backup).not.toHaveProperty('endtime');
    expect(backup).not.toHaveProperty('status');
    await waitTask(sim.url, token, 'agent1', upid);
    const list = await get('/nodes/agent1/tasks?vmid=109');
    expect(list.total).toBeGreaterThanOrEqual(1);
    expect(list.data[0]).toMatchObject({ upid, type: 'qmstart', id: '109', user: 'jarvis@pve', tokenid: 'monitor', status: 'OK', endtime: expect.any(Number) });
    const cluster = (await get('/cluster/tasks')).data.find((task: any) => task.upid === upid);
    expect(cluster.saved).toBe('1');
    const log = await get(`/nodes/agent1/tasks/${encodeURIComponent(upid)}/log`);
    expect(log.data.at(-1)).toEqual({ n: log.total, t: 'TASK OK' });
    const raw = await pveRequest(sim.url, `/nodes/agent1/tasks/${upid}/status`, { token });
    expect(raw.json.data.exitstatus).toBe('OK');
    const unknown = await pveRequest(
      sim.url,
      `/nodes/agent1/tasks/${encodeURIComponent('UPID:agent1:00000001:00000001:00000001:qmstart:1:root@pam:')}/status`,
      { token },
    );
    expect(unknown.status).toBe(400);
    expect(unknown.json.errors.upid).toBe('no such task');
    const garbage = await pveRequest(sim.url, '/nodes/agent1/tasks/nonsense/status', { token });
    expect(garbage.json.errors.upid).toBe('unable to parse worker upid');
  });

  it('storage list and status report totals; unknown storage is a 400', async () => {
    const list = (await get('/nodes/pve/storage')).data;
    expect(list.map((entry: any) => entry.storage).sort()).toEqual(['local', 'local-lvm', 'nas']);
    const local = list.find((entry: any) => entry.storage === 'local');
    expect(local).toMatchObject({ type: 'dir', enabled: 1, active: 1, shared: 0 });
    expect(local.used_fraction).toBeCloseTo(local.used / local.total, 5);
    const status = (await get('/nodes/pve/storage/nas/status')).data;
    expect(status).toMatchObject({ type: 'nfs', shared: 1 });
    expect(status).not.toHaveProperty('storage');
    expect((await pveRequest(sim.url, '/nodes/pve/storage/nope/status', { token })).json.errors.storage).toBe('No such storage.');
  });

  it('services: list, state, and actions returning a UPID; stopping an essential service fails in the task', async () => {
    const list = (await get('/nodes/agent1/services')).data;
    expect(list.find((entry: any) => entry.service === 'pveproxy')).toEqual({
      service: 'pveproxy',
      name: 'pveproxy',
      desc: 'PVE API Proxy Server',
      state: 'running',
      'active-state': 'active',
      'unit-state': 'enabled',
    });
    expect(list.some((entry: any) => entry.service === 'llama-server')).toBe(false);
    expect((await get('/nodes/agent1/services/chrony/state')).data.state).toBe('running');
    const restart = await pveRequest(sim.url, '/nodes/agent1/services/chrony/restart', { method: 'POST', token });
    expect((await waitTask(sim.url, token, 'agent1', restart.json.data)).exitstatus).toBe('OK');
    const stop = await pveRequest(sim.url, '/nodes/agent1/services/pveproxy/stop', { method: 'POST', token });
    expect((await waitTask(sim.url, token, 'agent1', stop.json.data)).exitstatus).toBe(
      "invalid service cmd 'pveproxy stop': refusing to stop essential service!",
    );
    const cron = await pveRequest(sim.url, '/nodes/agent1/services/cron/stop', { method: 'POST', token });
    await waitTask(sim.url, token, 'agent1', cron.json.data);
    expect((await get('/nodes/agent1/services/cron/state')).data).toMatchObject({ state: 'dead', 'active-state': 'inactive' });
  });

  it("syslog pages journal lines from the oldest (like PVE's dump_journal) with total; journal frames lines with cursors", async () => {
    const syslog = await get('/nodes/agent1/syslog?limit=5');
    expect(syslog.data).toHaveLength(5);
    expect(syslog.total).toBeGreaterThan(5);
    expect(syslog.data[0].t).toMatch(/^[A-Z][a-z]{2} \d{2} \d{2}:\d{2}:\d{2} agent1 \S+: /);
    expect(syslog.data.map((line: any) => line.n)).toEqual([1, 2, 3, 4, 5]);
    expect((await get('/nodes/agent1/syslog')).data).toHaveLength(Math.min(50, syslog.total));
    const newest = await get(`/nodes/agent1/syslog?start=${syslog.total - 2}&limit=2`);
    expect(newest.data.map((line: any) => line.n)).toEqual([syslog.total - 1, syslog.total]);
    const empty = await get('/nodes/agent1/syslog?since=2099-01-01');
    expect(empty).toMatchObject({ total: 1, data: [{ n: 1, t: 'no content' }] });
    const ssh = await get('/nodes/agent1/syslog?service=sshd&limit=500');
    expect(ssh.data.every((line: any) => line.t.includes('sshd') || line.t.includes('ssh'))).toBe(true);
    const journal = (await get('/nodes/agent1/journal?lastentries=3')).data;
    expect(journal).toHaveLength(5);
    expect(journal[0]).toMatch(/^s=/);
  });

  it('cluster log is newest first and HA status starts with the quorum entry', async () => {
    const log = (await get('/cluster/log?max=5')).data;
    expect(log.length).toBeGreaterThan(0);
    expect(log[0]).toMatchObject({ id: expect.stringMatching(/^\d+:\w+$/), pri: expect.any(Number), tag: 'pvedaemon', msg: expect.any(String) });
    if (log.length > 1) expect(log[0].time).toBeGreaterThanOrEqual(log[1].time);
    const ha = (await get('/cluster/ha/status/current')).data;
    expect(ha[0]).toMatchObject({ id: 'quorum', type: 'quorum', quorate: 1, status: 'OK' });
    expect(ha.filter((entry: any) => entry.type === 'lrm')).toHaveLength(4);
  });

  it('/nodes/{node}/disks/list reports the NVMe disk with SMART health', async () => {
    const { data } = await get('/nodes/agent1/disks/list');
    expect(data[0]).toMatchObject({ devpath: '/dev/nvme0n1', type: 'nvme', health: 'PASSED', gpt: 1, used: 'LVM' });
  });

  it('an unknown node name fails before proxying with a 500', async () => {
    const response = await pveRequest(sim.url, '/nodes/atlantis/status', { token });
    expect(response.status).toBe(500);
    expect(response.reason).toContain("hostname lookup 'atlantis' failed");
  });
});
