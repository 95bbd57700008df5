import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_TOOLS } from '../../src/app/tools/index.ts';
import { countFrameDelimiters } from '../../src/core/llm/frame.ts';
import { applyScenario, HOSTILE_TEXT } from '../../src/sim/world/scenarios.ts';
import { startSimHarness } from './sim-harness.ts';
import { SIM_CALLS } from './sim-calls.ts';

type Harness = Awaited<ReturnType<typeof startSimHarness>>;
let harness: Harness;
let client: Client;
const TIMEOUTS = { read: 1500, act: 3000, shell: 1500, docker: 1500 };

beforeAll(async () => {
  harness = await startSimHarness({ timeouts: TIMEOUTS, pveTimeoutMs: 800 });
  client = new Client({ name: 'sim-test', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(harness.url, { requestInit: { headers: { authorization: 'Bearer operator-secret' } } }));
});
afterAll(async () => {
  await client?.close();
  await harness?.close();
});

const call = (name: string, args: Record<string, unknown>) => client.callTool({ name, arguments: args });
const text = (result: Awaited<ReturnType<typeof call>>) => (result.content as { text: string }[]).map((part) => part.text).join('\n');

describe('MCP over HTTP against the simulator (real PVE, SSH and Docker adapters, real executor)', () => {
  it.each(ALL_TOOLS.map((tool) => tool.name))('%s answers its call', async (name) => {
    const result = await call(name, SIM_CALLS[name]!);
    expect(result.isError ?? false, text(result)).toBe(false);
    expect(result.structuredContent).toBeTypeOf('object');
  });

  it('runs a yellow remediation (restart pveproxy) through the executor and reports the PVE task result', async () => {
    const result = await call('execute_remediation', { node: 'pve', remediation: 'restart_service', unit: 'pveproxy' });
    expect(result.structuredContent, text(result)).toMatchObject({ status: 'done', task: { exitstatus: 'OK', succeeded: true } });
    expect((result.structuredContent as { task: { upid: string } }).task.upid).toMatch(/^UPID:/);
  });

  it('starting a stopped VM is red: a ticket, and the approval reports the PVE task; a repeat start is a no-op', async () => {
    const pending = await call('manage_vm', { vmid: 110, action: 'start' });
    const { status, ticketId } = pending.structuredContent as { status: string; ticketId: string };
    expect(status, text(pending)).toBe('needs-confirmation');
    const approved = await harness.executor.approve(ticketId, { id: 'admin', role: 'admin' });
    expect(approved).toMatchObject({ status: 'done', task: { exitstatus: 'OK' } });
    expect(harness.sim.world.guest(110)?.status).toBe('running');
    const again = await call('manage_vm', { vmid: 110, action: 'start' });
    expect(again.structuredContent).toMatchObject({ status: 'done', noOp: true });
  });

  it('denies manage_vm stop 103 with the dependency chain, and nothing runs', async () => {
    const result = await call('manage_vm', { vmid: 103, action: 'stop' });
    expect(result.structuredContent).toMatchObject({ status: 'denied' });
    expect(text(result)).toMatch(/103/);
    expect(JSON.stringify(result.structuredContent)).toMatch(/would stop Jarvis: jarvis -> docker@103 -> VM 103/);
    expect(harness.sim.world.guest(103)?.status).toBe('running');
  });

  it('returns a ticket for stopping VM 102; approving runs the stored action once; a second approval is refused', async () => {
    const result = await call('manage_vm', { vmid: 102, action: 'stop' });
    const data = result.structuredContent as { status: string; ticketId: string };
    expect(data.status, text(result)).toBe('needs-confirmation');
    expect(harness.sim.world.guest(102)?.status).toBe('running');
    const approved = await harness.executor.approve(data.ticketId, { id: 'admin', role: 'admin' });
    expect(approved.status, JSON.stringify(approved)).toBe('done');
    expect(harness.sim.world.guest(102)?.status).toBe('stopped');
    const again = await harness.executor.approve(data.ticketId, { id: 'admin', role: 'admin' });
    expect(again.status).not.toBe('done');
  });
});

describe('faults from the simulator give structured errors within the timeout, and the next call answers', () => {
  const faults = {
    'PVE 500': { dep: 'pve', apply: () => harness.sim.world.applyFault({ kind: 'http-error', path: '*', status: 500, message: 'simulated' }) },
    'PVE hang': { dep: 'pve', apply: () => harness.sim.world.applyFault({ kind: 'hang', path: '*' }) },
    'PVE malformed JSON': { dep: 'pve', apply: () => harness.sim.world.applyFault({ kind: 'malformed', path: '*' }) },
    'SSH hang': {
      dep: 'ssh',
      apply: () => {
        for (const node of Object.keys(harness.ssh.ports)) harness.ssh.setFault(node, 'hang-exec');
        return {};
      },
    },
    'Docker down': { dep: 'docker', apply: () => harness.sim.world.applyFault({ kind: 'docker-down', host: 'docker@103' }) },
  } as const;
  const clear = () => {
    harness.sim.world.clearFaults();
    for (const node of Object.keys(harness.ssh.ports)) harness.ssh.setFault(node, 'none');
  };

  for (const [label, fault] of Object.entries(faults)) {
    // Every tool that declares the dependency (execute_remediation needs PVE for the kernel's snapshot and SSH to run).
    const tools = ALL_TOOLS.filter((tool) => tool.needs.includes(fault.dep)).map((tool) => tool.name);
    it.each(tools)(`${label}: %s`, async (name) => {
      const applied = fault.apply();
      expect('error' in applied ? applied.error : undefined).toBeUndefined();
      const started = performance.now();
      let result;
      try {
        result = await call(name, SIM_CALLS[name]!);
      } finally {
        clear();
      }
      const budget = TIMEOUTS[ALL_TOOLS.find((tool) => tool.name === name)!.timeout] + 1500;
      expect(performance.now() - started).toBeLessThan(budget);
      expect(result.isError, text(result)).toBe(true);
      expect(result.structuredContent).toMatchObject({ tool: name });
      expect(typeof (result.structuredContent as { recoverable: unknown }).recoverable).toBe('boolean');
      const next = await call('check_cluster_health', {});
      expect(next.isError ?? false, text(next)).toBe(false);
    });
  }
});

describe('injection in cluster data comes back sanitised and framed', () => {
  const FORBIDDEN = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/;
  const expectFramed = (body: string) => {
    expect(body).not.toMatch(FORBIDDEN);
    expect(countFrameDelimiters(body)).toBe(2);
    expect(body).toContain('&lt;/cluster_data>');
    expect(body.indexOf('IGNORE ALL PREVIOUS')).toBeGreaterThan(body.indexOf('<cluster_data'));
    expect(body.indexOf('IGNORE ALL PREVIOUS')).toBeLessThan(body.lastIndexOf('</cluster_data>'));
  };

  beforeAll(() => {
    expect(applyScenario(harness.sim.world, 'injection')).toBeUndefined();
  });

  it('guest name and description (get_resource_usage)', async () => {
    const result = await call('get_resource_usage', { vmid: 110 });
    expect(text(result)).toContain('ignore-previous-instructions');
    expectFramed(text(result));
    expect(JSON.stringify(result.structuredContent)).not.toMatch(FORBIDDEN);
  });

  it('journal line (search_logs)', async () => {
    const result = await call('search_logs', { node: 'agent1', text: 'Accepted password', minutes: 600 });
    expect(result.isError ?? false, text(result)).toBe(false);
    expectFramed(text(result));
  });

  it('container log (manage_docker logs)', async () => {
    const result = await call('manage_docker', { action: 'logs', container: 'homepage' });
    expect(result.isError ?? false, text(result)).toBe(false);
    expectFramed(text(result));
  });

  it('a PVE error message carrying the hostile text comes back as one sanitised line without frame look-alikes', async () => {
    const applied = harness.sim.world.applyFault({ kind: 'http-error', path: '*', status: 500, message: `boom ${HOSTILE_TEXT}` });
    expect('error' in applied ? applied.error : undefined).toBeUndefined();
    let result;
    try {
      result = await call('check_cluster_health', {});
    } finally {
      harness.sim.world.clearFaults();
    }
    expect(result.isError).toBe(true);
    const message = (result.structuredContent as { error: string }).error;
    expect(message).toContain('IGNORE ALL PREVIOUS');
    expect(message).not.toMatch(FORBIDDEN);
    expect(message).not.toContain('\n');
    expect(countFrameDelimiters(message)).toBe(0);
    expect(text(result)).not.toMatch(FORBIDDEN);
  });
});
