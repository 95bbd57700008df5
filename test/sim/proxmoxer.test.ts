import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../../src/sim/index.ts';

const run = promisify(execFile);
// Debian's python3 with python3-proxmoxer 1.2.0 (not the pyenv python on PATH).
const PYTHON = '/usr/bin/python3';

describe('simulator fidelity: an independent client (python3-proxmoxer) drives it', () => {
  let sim: RunningSimulator;
  beforeAll(async () => {
    sim = await startSimulator({ authDelayMs: 0, taskDurationMs: 100, metricsIntervalMs: 0 });
  });
  afterAll(async () => {
    await sim.close();
  });

  it('authenticates with a token and a ticket, reads, starts VMs and follows their tasks', async () => {
    expect(existsSync(PYTHON)).toBe(true);
    const [user, tokenName] = sim.tokenId.split('!') as [string, string];
    const { stdout } = await run(PYTHON, [join(import.meta.dirname, 'proxmoxer_check.py')], {
      env: {
        PATH: '/usr/bin:/bin',
        SIM_HOST: new URL(sim.url).host,
        SIM_TOKEN_USER: user,
        SIM_TOKEN_NAME: tokenName,
        SIM_TOKEN_VALUE: sim.tokenSecret,
        SIM_USER: sim.username,
        SIM_PASSWORD: sim.password,
        SIM_NODE: 'agent1',
        SIM_STOPPED_VMID: '109',
        SIM_RUNNING_VMID: '103',
        SIM_ADMIN_URL: sim.adminUrl,
      },
      timeout: 60_000,
    });
    const result = JSON.parse(stdout);
    expect(result.token_nodes).toEqual(['Home', 'agent', 'agent1', 'pve']);
    expect(result.token_resource_types).toEqual(['lxc', 'node', 'qemu', 'storage']);
    expect(result.token_vm_count).toBe(20);
    expect(result.token_node_status_keys).toEqual(expect.arrayContaining(['cpu', 'memory', 'loadavg', 'uptime', 'rootfs', 'cpuinfo']));
    expect(result.token_loadavg.every((value: unknown) => typeof value === 'string')).toBe(true);
    expect(result.ticket_nodes).toEqual(result.token_nodes);
    expect(result.ticket_resource_count).toBeGreaterThan(20);
    expect(result.ticket_node_uptime_positive).toBe(true);
    expect(result.start_upid).toMatch(/^UPID:agent1:[0-9A-F]{8}:[0-9A-F]{8}:[0-9A-F]{8}:qmstart:109:root@pam:$/);
    expect(result.start_task).toMatchObject({ status: 'stopped', exitstatus: 'OK', type: 'qmstart', id: '109', node: 'agent1' });
    expect(result.started_vm_status).toBe('running');
    expect(result.running_start_task).toMatchObject({ status: 'stopped', exitstatus: 'VM 103 already running', user: 'jarvis@pve', tokenid: 'monitor' });
    expect(result.running_start_log_last).toBe('TASK ERROR: VM 103 already running');
    expect(result.missing_vm_error).toContain("Configuration file 'nodes/agent1/qemu-server/999999.conf' does not exist");
    expect(result.offline_node_error).toBe("595 Errors during connection establishment, proxy handshake: Connection refused - b''");
    expect(result.offline_node_in_resources).toEqual(['offline']);
    expect(result.bad_password_error).toBe('AuthenticationError');
  });
});
