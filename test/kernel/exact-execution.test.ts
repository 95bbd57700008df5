/**
 * Issue 8, exact execution: the runner acts on exactly the target the kernel resolved (node, VMID,
 * type) from the one snapshot it decided on, and refuses — audited — when the live identity
 * changed in between; it never re-resolves.
 */
import { describe, expect, it } from 'vitest';
import type { ActionRunner } from '../../src/app/actions/action-runner.ts';
import type { LiveIdentity } from '../../src/app/actions/live-identity.ts';
import { guestPowerRunner, pveServiceRunner } from '../../src/app/actions/pve-runners.ts';
import { dockerActionRunner, shellRemediationRunner } from '../../src/app/tools/action-runners.ts';
import type { Action } from '../../src/core/domain/action.ts';
import { ok } from '../../src/core/errors.ts';
import type { GuestActuator, ServiceActuator } from '../../src/core/ports/cluster.ts';
import type { DockerApi } from '../../src/core/ports/docker.ts';
import type { ShellRunner } from '../../src/core/ports/shell.ts';
import { makeHarness } from './harness.ts';
import { act, NOW, TOPOLOGY, USER } from './fixtures.ts';

function fakeActuator(calls: string[]): GuestActuator {
  return {
    doPowerAction: async (node, type, vmid, action) => {
      calls.push(`${action} ${type}/${vmid}@${node}`);
      return ok({ upid: `UPID:${node}:1`, node });
    },
    waitForTask: async (task) =>
      ok({ upid: task.upid, node: task.node, type: 'qmstart', id: '1', user: 'root@pam', starttime: 1, status: 'stopped', exitstatus: 'OK', succeeded: true }),
  };
}

describe('exact execution', () => {
  it('runs on the resolved node/VMID/type with one live identity read, never a snapshot re-read', async () => {
    const calls: string[] = [];
    let snapshotReads = 0;
    const live: string[] = [];
    const runner = guestPowerRunner(
      fakeActuator(calls),
      async () => {
        snapshotReads += 1;
        return undefined;
      },
      {
        liveGuest: async (node, type, vmid) => {
          live.push(`${type}/${vmid}@${node}`);
          return { name: 'db01', status: 'stopped' };
        },
      },
    );
    const h = makeHarness({ wrapRunner: () => runner });
    const outcome = await h.executor.propose(act('guest.start', { type: 'guest', vmid: 102 }, {}, USER));
    expect(outcome.status).toBe('needs-confirmation'); // guest.start is red
    if (outcome.status !== 'needs-confirmation') return;
    const approved = await h.executor.approve(outcome.approval.id, { id: 'second-admin', role: 'admin', kind: 'user' });
    expect(approved.status).toBe('done');
    expect(calls).toEqual(['start qemu/102@agent']);
    expect(live).toEqual(['qemu/102@agent']);
    expect(snapshotReads).toBe(0);
  });

  it('refuses, and audits, when the guest was renamed or moved after the decision', async () => {
    for (const liveAnswer of [{ name: 'evil-twin', status: 'stopped' }, undefined]) {
      const calls: string[] = [];
      const runner = guestPowerRunner(fakeActuator(calls), async () => undefined, { liveGuest: async () => liveAnswer });
      const h = makeHarness({ wrapRunner: () => runner });
      const proposed = await h.executor.propose(act('guest.start', { type: 'guest', vmid: 102 }, {}, USER));
      if (proposed.status !== 'needs-confirmation') throw new Error('expected a ticket');
      const approved = await h.executor.approve(proposed.approval.id, { id: 'second-admin', role: 'admin', kind: 'user' });
      expect(approved.status).toBe('denied');
      expect(approved.status === 'denied' && approved.reasons[0]).toMatch(/identity changed since the decision.*refused, not re-resolved/);
      expect(calls).toEqual([]);
      const rows = await h.audit.list({ afterSeq: 0, limit: 50 });
      expect(rows.ok && rows.value.some((row) => row.kind === 'result' && /error: DENIED identity changed/.test(row.result ?? ''))).toBe(true);
    }
  });
});

/** Runs `action` through the executor over `runner`, approving a red/tainted one as a second human. */
async function runThrough(runner: ActionRunner, action: Action) {
  const h = makeHarness({ wrapRunner: () => runner });
  const proposed = await h.executor.propose(action);
  const outcome =
    proposed.status === 'needs-confirmation' ? await h.executor.approve(proposed.approval.id, { id: 'second-admin', role: 'admin', kind: 'user' }) : proposed;
  const rows = await h.audit.list({ afterSeq: 0, limit: 50 });
  return { outcome, rows: rows.ok ? rows.value : [] };
}

function live(answers: { online?: boolean; guestThere?: boolean }, seen: string[]): LiveIdentity {
  return {
    nodeOnline: async (node) => {
      seen.push(`online? ${node}`);
      return answers.online ?? true;
    },
    guestOnNode: async (node, vmid) => {
      seen.push(`guest ${vmid} on ${node}?`);
      return answers.guestThere ?? true;
    },
  };
}

const services = (calls: string[]): ServiceActuator => ({
  doServiceAction: async (node, unit, verb) => {
    calls.push(`${verb} ${unit}@${node}`);
    return ok({ upid: `UPID:${node}:2`, node });
  },
});
const shell = (calls: string[]): ShellRunner =>
  ({
    run: async () => {
      throw new Error('not a read');
    },
    doRun: async (node: string, command: { id: string }) => {
      calls.push(`${command.id}@${node}`);
      return ok({ node, commandId: command.id, exitCode: 0, stdout: '', stderr: '', durationMs: 1, truncated: false });
    },
  }) as unknown as ShellRunner;
const docker = (calls: string[]): DockerApi =>
  ({
    doContainerAction: async (host: string, container: string, action: 'start' | 'stop' | 'restart') => {
      calls.push(`${action} ${host}/${container}`);
      return ok({ host, container, action, changed: true, before: 'running', after: 'running' });
    },
  }) as unknown as DockerApi;

describe('exact execution of the non-guest runners (service, SSH remediation, Docker)', () => {
  const cases: Array<{ label: string; action: Action; build: (calls: string[], identity: LiveIdentity) => ActionRunner; ran: string; checked: string }> = [
    {
      label: 'PVE service',
      action: act('service.restart', { type: 'service', node: 'pve', unit: 'pveproxy' }, {}, USER),
      build: (calls, identity) => pveServiceRunner(services(calls), fakeActuator([]), { live: identity }),
      ran: 'restart pveproxy@pve',
      checked: 'online? pve',
    },
    {
      label: 'SSH service restart',
      action: act('service.restart', { type: 'service', node: 'pve', unit: 'pveproxy' }, {}, USER),
      build: (calls, identity) => shellRemediationRunner(shell(calls), { now: () => NOW }, { live: identity }),
      ran: 'service_restart@pve',
      checked: 'online? pve',
    },
    {
      label: 'SSH temp cleanup',
      action: act('cleanup.temp', { type: 'node', node: 'agent' }, { path: '/tmp' }, USER),
      build: (calls, identity) => shellRemediationRunner(shell(calls), { now: () => NOW }, { live: identity }),
      ran: 'clear_temp@agent',
      checked: 'online? agent',
    },
    {
      label: 'Docker container',
      action: act('container.restart', { type: 'container', host: 'docker@105', name: 'nginx' }, {}, USER),
      build: (calls, identity) => dockerActionRunner(docker(calls), { live: identity, dockerHosts: TOPOLOGY.dockerHosts }),
      ran: 'restart docker@105/nginx',
      checked: 'guest 105 on pve?',
    },
  ];

  for (const { label, action, build, ran, checked } of cases) {
    it(`${label}: runs on the resolved target after one live identity read`, async () => {
      const calls: string[] = [];
      const seen: string[] = [];
      const { outcome } = await runThrough(build(calls, live({}, seen)), action);
      expect(outcome.status).toBe('done');
      expect(calls).toEqual([ran]);
      expect(seen).toEqual([checked]);
    });

    it(`${label}: refuses, and audits, when the live identity changed since the decision`, async () => {
      const calls: string[] = [];
      const { outcome, rows } = await runThrough(build(calls, live({ online: false, guestThere: false }, [])), action);
      expect(outcome.status).toBe('denied');
      expect(outcome.status === 'denied' && outcome.reasons[0]).toMatch(/identity changed since the decision.*refused, not re-resolved/);
      expect(calls).toEqual([]);
      expect(rows.some((row) => row.kind === 'result' && /error: DENIED identity changed/.test(row.result ?? ''))).toBe(true);
    });
  }

  it('acts on the node the kernel resolved, not on a node the action names differently', async () => {
    const calls: string[] = [];
    const runner = pveServiceRunner(services(calls), fakeActuator([]), { live: live({}, []) });
    const result = await runner.doRun(act('service.restart', { type: 'service', node: 'pve', unit: 'pveproxy' }, {}, USER), new AbortController().signal, {
      node: 'agent',
    });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error.message).toMatch(/names node pve but the kernel decided on agent/);
    expect(calls).toEqual([]);
  });
});
