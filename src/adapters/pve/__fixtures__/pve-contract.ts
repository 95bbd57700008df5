/**
 * The PVE client contract: one suite, run against every PVE endpoint we have (the fixture server
 * and the embedded simulator). Targets differ only in how they are started and how faults are
 * injected; the identifiers the tests act on are discovered through the client itself.
 * Test support only (imports vitest).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClusterSnapshot } from '../../../core/domain/cluster.ts';
import type { JarvisError, Result } from '../../../core/errors.ts';
import type { Logger } from '../../../core/ports/logger.ts';
import { PveClusterApi } from '../pve-cluster-api.ts';
import { PveHttpClient, type PveAuth, type PveClientOptions, type PveRequestEvent } from '../pve-http-client.ts';
import type { FixtureFault } from './fixture-server.ts';

export interface PveTarget {
  readonly url: string;
  readonly fingerprint: string;
  readonly tokenId: string;
  readonly tokenSecret: string;
  /** A token that may read but not act (403 on power actions). */
  readonly auditTokenId: string;
  readonly auditTokenSecret: string;
  readonly username: string;
  readonly password: string;
  fault(fault: FixtureFault): Promise<void>;
  clearFaults(): Promise<void>;
  close(): Promise<void>;
}

export interface Harness {
  readonly target: PveTarget;
  /** A PveClusterApi with token auth and the right pin; `events` records every HTTP request. */
  api(overrides?: Partial<PveClientOptions>): { api: PveClusterApi; events: PveRequestEvent[] };
}

/** Unwraps a Result in a test, failing with the error's code and message. */
export function must<T>(result: Result<T, JarvisError>): T {
  if (!result.ok) throw new Error(`expected ok, got ${result.error.code}: ${result.error.message}`);
  return result.value;
}

export function mustFail<T>(result: Result<T, JarvisError>): JarvisError {
  if (result.ok) throw new Error(`expected an error, got ${JSON.stringify(result.value).slice(0, 200)}`);
  return result.error;
}

export function recordingLogger(): Logger & { warnings: string[] } {
  const warnings: string[] = [];
  return { warnings, debug: () => undefined, info: () => undefined, error: () => undefined, warn: (_fields, message) => void warnings.push(message) };
}

export function makeHarness(target: PveTarget): Harness {
  return {
    target,
    api(overrides = {}) {
      const events: PveRequestEvent[] = [];
      const auth: PveAuth = { kind: 'token', tokenId: target.tokenId, tokenSecret: target.tokenSecret };
      const client = new PveHttpClient({ baseUrl: target.url, auth, fingerprint: target.fingerprint, onRequest: (event) => events.push(event), ...overrides });
      return { api: new PveClusterApi(client), events };
    },
  };
}

interface Known {
  node: string;
  runningQemu: number;
  stoppedQemu: number;
  runningLxc: { node: string; vmid: number };
  otherNode: string;
}

function discover(snapshot: ClusterSnapshot): Known {
  const usable = snapshot.guests.filter((g) => !g.template && g.lock === undefined && g.vmid !== 103);
  const running = usable.find((g) => g.type === 'qemu' && g.status === 'running')!;
  const stopped = usable.find((g) => g.type === 'qemu' && g.status === 'stopped')!;
  const lxc = usable.find((g) => g.type === 'lxc' && g.status === 'running')!;
  const node = running.node;
  const otherNode =
    snapshot.nodes.find((n) => n.name !== node && n.status === 'online' && n.name !== stopped.node && n.name !== lxc.node)?.name ??
    snapshot.nodes.find((n) => n.name !== node)!.name;
  return { node, runningQemu: running.vmid, stoppedQemu: stopped.vmid, runningLxc: { node: lxc.node, vmid: lxc.vmid }, otherNode };
}

/** Defines the contract suite for one target. */
export function pveContract(name: string, start: () => Promise<PveTarget>): void {
  describe(`PVE client contract: ${name}`, () => {
    let h: Harness;
    let known: Known;
    let snapshot: ClusterSnapshot;
    beforeAll(async () => {
      h = makeHarness(await start());
      snapshot = must(await h.api().api.readSnapshot());
      known = discover(snapshot);
    });
    afterAll(async () => h?.target.close());

    it('reads the version', async () => {
      const version = must(await h.api().api.version());
      expect(version.version).toMatch(/^\d+\.\d+/);
      expect(version.release).toMatch(/^\d+\.\d+$/);
    });

    it('reads a full snapshot in exactly two HTTP calls and bumps its version', async () => {
      const { api, events } = h.api();
      const first = must(await api.readSnapshot());
      expect(events.map((e) => e.path).sort()).toEqual(['/cluster/resources', '/cluster/status']);
      const second = must(await api.readSnapshot());
      expect(events).toHaveLength(4);
      expect(second.version).toBe(first.version + 1);
      expect(first.quorum.quorate).toBe(true);
      expect(first.quorum.votesTotal).toBe(first.nodes.length);
      expect(first.quorum.votesNeeded).toBe(Math.floor(first.nodes.length / 2) + 1);
      expect(first.quorum.votesOnline).toBe(first.nodes.filter((n) => n.status === 'online').length);
      expect(first.guests.length).toBeGreaterThan(0);
    });

    it('maps unknown figures to undefined: QEMU disk, memory of stopped guests', () => {
      expect(snapshot.guests.filter((g) => g.type === 'qemu').every((g) => g.disk === undefined)).toBe(true);
      expect(snapshot.guests.filter((g) => g.status === 'stopped').every((g) => g.mem === undefined)).toBe(true);
      expect(snapshot.guests.filter((g) => g.status === 'running').every((g) => typeof g.mem === 'number')).toBe(true);
    });

    it('reads cluster status and resources separately', async () => {
      const { api } = h.api();
      const status = must(await api.clusterStatus());
      expect(status.members.length).toBe(snapshot.nodes.length);
      const resources = must(await api.clusterResources());
      expect(resources.guests.length).toBe(snapshot.guests.length);
    });

    it('reads node status with numeric load averages', async () => {
      const status = must(await h.api().api.nodeStatus(known.node));
      expect(status.node).toBe(known.node);
      expect(status.loadavg.every((value) => typeof value === 'number')).toBe(true);
      expect(status.memory.total).toBeGreaterThan(0);
    });

    it('reads rrd data for a node, a guest and a storage', async () => {
      const { api } = h.api();
      const nodeSeries = must(await api.rrdData({ kind: 'node', node: known.node }, 'hour'));
      expect(nodeSeries.length).toBeGreaterThan(0);
      expect(typeof nodeSeries[0]!.time).toBe('number');
      expect(Object.values(nodeSeries[0]!.values).every((v) => typeof v === 'number')).toBe(true);
      must(await api.rrdData({ kind: 'guest', node: known.node, type: 'qemu', vmid: known.runningQemu }, 'hour'));
      const storage = snapshot.storage.find((s) => s.node === known.node)!;
      must(await api.rrdData({ kind: 'storage', node: known.node, storage: storage.storage }, 'day'));
    });

    it('lists the qemu and lxc guests of a node, sorted by vmid', async () => {
      const list = must(await h.api().api.listGuests(known.node));
      expect(list.map((g) => g.vmid)).toContain(known.runningQemu);
      expect(list.map((g) => g.vmid)).toEqual([...list.map((g) => g.vmid)].sort((a, b) => a - b));
    });

    it('reads guest status and config', async () => {
      const { api } = h.api();
      const status = must(await api.guestStatus(known.node, 'qemu', known.runningQemu));
      expect(status).toMatchObject({ vmid: known.runningQemu, type: 'qemu', status: 'running' });
      const config = must(await api.guestConfig(known.node, 'qemu', known.runningQemu));
      expect(Object.values(config).every((v) => typeof v === 'string' || typeof v === 'number')).toBe(true);
      expect(Object.keys(config).length).toBeGreaterThan(0);
      const container = must(await api.guestStatus(known.runningLxc.node, 'lxc', known.runningLxc.vmid));
      expect(container).toMatchObject({ vmid: known.runningLxc.vmid, type: 'lxc', status: 'running' });
      must(await api.guestConfig(known.runningLxc.node, 'lxc', known.runningLxc.vmid));
    });

    it('reads storage, services, logs and tasks', async () => {
      const { api } = h.api();
      const storage = must(await api.storageStatus(known.node));
      expect(storage.length).toBeGreaterThan(0);
      const one = must(await api.storageStatusOne(known.node, storage[0]!.storage));
      expect(one.storage).toBe(storage[0]!.storage);
      const services = must(await api.services(known.node));
      expect(services.length).toBeGreaterThan(0);
      const state = must(await api.serviceState(known.node, services[0]!.service));
      expect(state.service).toBe(services[0]!.service);
      const syslog = must(await api.syslog(known.node, { limit: 10 }));
      expect(syslog.total).toBeGreaterThanOrEqual(syslog.lines.length);
      expect(Array.isArray(must(await api.journal(known.node, 5)))).toBe(true);
      expect(Array.isArray(must(await api.clusterTasks()))).toBe(true);
      expect(Array.isArray(must(await api.clusterLog(20)))).toBe(true);
    });

    it('starts a stopped VM, returns its UPID and waits for the task to end OK', async () => {
      const { api } = h.api();
      const task = must(await api.doPowerAction(snapshot.guests.find((g) => g.vmid === known.stoppedQemu)!.node, 'qemu', known.stoppedQemu, 'start'));
      expect(task.upid).toMatch(/^UPID:[^:]+:[0-9A-F]{8}:/);
      const done = must(await api.waitForTask(task, { pollMs: 50, deadlineMs: 20_000 }));
      expect(done).toMatchObject({ status: 'stopped', exitstatus: 'OK', succeeded: true });
      const log = must(await api.taskLog(task));
      expect(log.lines.at(-1)?.t).toBe('TASK OK');
    });

    it('reports starting a running VM as a task that ended with an error (succeeded=false)', async () => {
      const { api } = h.api();
      const task = must(await api.doPowerAction(known.node, 'qemu', known.runningQemu, 'start'));
      const done = must(await api.waitForTask(task, { pollMs: 50, deadlineMs: 20_000 }));
      expect(done.succeeded).toBe(false);
      expect(done.exitstatus).toContain('already running');
    });

    it('reboots, shuts down and stops a VM through tasks; reboot of a stopped VM is PVE_ERROR "not running"', async () => {
      const { api } = h.api();
      const node = snapshot.guests.find((g) => g.vmid === known.stoppedQemu)!.node;
      const vmid = known.stoppedQemu;
      const runTask = async (action: 'start' | 'stop' | 'shutdown' | 'reboot') => {
        const task = must(await api.doPowerAction(node, 'qemu', vmid, action));
        expect(task).toMatchObject({
          node,
          upid: expect.stringMatching(new RegExp(`^UPID:${node}:[0-9A-F]{8}:[0-9A-F]{8}:[0-9A-F]{8}:qm${action}:${vmid}:[^:]+:$`)),
        });
        return must(await api.waitForTask(task, { pollMs: 50, deadlineMs: 20_000 }));
      };
      if (must(await api.guestStatus(node, 'qemu', vmid)).status !== 'running') expect((await runTask('start')).succeeded).toBe(true);
      expect(await runTask('reboot')).toMatchObject({ status: 'stopped', exitstatus: 'OK', succeeded: true });
      expect(must(await api.guestStatus(node, 'qemu', vmid)).status).toBe('running');
      expect(await runTask('shutdown')).toMatchObject({ exitstatus: 'OK', succeeded: true });
      expect(must(await api.guestStatus(node, 'qemu', vmid)).status).toBe('stopped');
      expect(await runTask('stop')).toMatchObject({ exitstatus: 'OK', succeeded: true });
      const error = mustFail(await api.doPowerAction(node, 'qemu', vmid, 'reboot'));
      expect(error).toMatchObject({ code: 'PVE_ERROR', message: `VM ${vmid} not running` });
    });

    it('restarts a node service and returns its UPID', async () => {
      const { api } = h.api();
      const services = must(await api.services(known.node));
      const task = must(await api.doServiceAction(known.node, services.find((s) => s.service === 'sshd')?.service ?? services[0]!.service, 'restart'));
      expect(must(await api.waitForTask(task, { pollMs: 50, deadlineMs: 20_000 })).status).toBe('stopped');
    });

    describe('errors', () => {
      it('PVE_AUTH for a wrong token secret', async () => {
        const { api } = h.api({ auth: { kind: 'token', tokenId: h.target.tokenId, tokenSecret: '00000000-0000-4000-8000-000000000000' } });
        expect(mustFail(await api.version()).code).toBe('PVE_AUTH');
      });

      it('PVE_NOT_FOUND for a guest that does not exist', async () => {
        const error = mustFail(await h.api().api.guestStatus(known.node, 'qemu', 99_999));
        expect(error.code).toBe('PVE_NOT_FOUND');
      });

      it('PVE_BAD_REQUEST with PVE parameter errors for an unknown storage', async () => {
        const error = mustFail(await h.api().api.storageStatusOne(known.node, 'no-such-storage'));
        expect(error.code).toBe('PVE_BAD_REQUEST');
        expect(Object.keys(error.details?.errors as object)).toContain('storage');
      });

      it("PVE_ERROR with PVE's text when starting a running container", async () => {
        const error = mustFail(await h.api().api.doPowerAction(known.runningLxc.node, 'lxc', known.runningLxc.vmid, 'start'));
        expect(error.code).toBe('PVE_ERROR');
        expect(error.message).toBe(`CT ${known.runningLxc.vmid} already running`);
      });

      it('PVE_PERMISSION when a read-only token tries a power action', async () => {
        const { api } = h.api({ auth: { kind: 'token', tokenId: h.target.auditTokenId, tokenSecret: h.target.auditTokenSecret } });
        must(await api.version());
        const error = mustFail(await api.doPowerAction(known.node, 'qemu', known.runningQemu, 'shutdown'));
        expect(error.code).toBe('PVE_PERMISSION');
        expect(error.message).toContain('VM.PowerMgmt');
      });

      describe('with faults', () => {
        it('PVE_PERMISSION for a 403', async () => {
          await h.target.fault({ kind: 'http-error', path: '/nodes/*/status', status: 403, message: 'Permission check failed (/nodes/x, Sys.Audit)' });
          try {
            const error = mustFail(await h.api().api.nodeStatus(known.node));
            expect(error.code).toBe('PVE_PERMISSION');
            expect(error.message).toContain('Sys.Audit');
          } finally {
            await h.target.clearFaults();
          }
        });

        it("PVE_ERROR with the server's text for a 5xx: 503 is retryable, 500 is not", async () => {
          await h.target.fault({ kind: 'http-error', path: '/cluster/log', status: 503, message: 'service unavailable - try later' });
          await h.target.fault({ kind: 'http-error', path: '/cluster/tasks', status: 500, message: 'got unexpected control message' });
          try {
            const { api } = h.api();
            expect(mustFail(await api.clusterLog(5))).toMatchObject({
              code: 'PVE_ERROR',
              message: 'service unavailable - try later',
              retryable: true,
              details: { status: 503 },
            });
            expect(mustFail(await api.clusterTasks())).toMatchObject({
              code: 'PVE_ERROR',
              message: 'got unexpected control message',
              retryable: false,
              details: { status: 500 },
            });
          } finally {
            await h.target.clearFaults();
          }
        });

        it('PVE_TIMEOUT when an endpoint hangs, not before the deadline', async () => {
          await h.target.fault({ kind: 'hang', path: '/version' });
          try {
            const started = performance.now();
            const error = mustFail(await h.api({ timeoutMs: 300 }).api.version());
            expect(error.code).toBe('PVE_TIMEOUT');
            expect(error.details?.timeoutMs).toBe(300);
            expect(performance.now() - started).toBeGreaterThanOrEqual(290);
          } finally {
            await h.target.clearFaults();
          }
        });

        it('a per-call timeout overrides the client default', async () => {
          await h.target.fault({ kind: 'hang', path: '/cluster/log' });
          try {
            const error = mustFail(await h.api({ timeoutMs: 10_000 }).api.clusterLog(5, { timeoutMs: 200 }));
            expect(error).toMatchObject({ code: 'PVE_TIMEOUT', retryable: true, details: { timeoutMs: 200 } });
          } finally {
            await h.target.clearFaults();
          }
        });

        it('TASK_TIMEOUT when task status polls keep hanging until the deadline', async () => {
          const { api } = h.api();
          const task = must(await api.doServiceAction(known.node, 'sshd', 'reload'));
          await h.target.fault({ kind: 'hang', path: '/nodes/*/tasks/*' });
          try {
            const error = mustFail(await api.waitForTask(task, { deadlineMs: 600, timeoutMs: 150, pollMs: 50 }));
            expect(error).toMatchObject({ code: 'TASK_TIMEOUT', details: { upid: task.upid, lastError: 'PVE_TIMEOUT' } });
          } finally {
            await h.target.clearFaults();
          }
        });

        it('PVE_BAD_RESPONSE for a malformed body', async () => {
          await h.target.fault({ kind: 'malformed', path: '/cluster/tasks' });
          try {
            expect(mustFail(await h.api().api.clusterTasks()).code).toBe('PVE_BAD_RESPONSE');
          } finally {
            await h.target.clearFaults();
          }
        });

        it('PVE_NODE_UNREACHABLE (595) for an offline node while the snapshot still reads', async () => {
          await h.target.fault({ kind: 'node-offline', node: known.otherNode });
          try {
            const error = mustFail(await h.api().api.nodeStatus(known.otherNode));
            expect(error.code).toBe('PVE_NODE_UNREACHABLE');
            expect(error.details?.status).toBe(595);
            const after = must(await h.api().api.readSnapshot());
            expect(after.nodes.find((n) => n.name === known.otherNode)?.status).toBe('offline');
            expect(after.nodes.find((n) => n.name === known.otherNode)?.cpu).toBeUndefined();
            expect(after.quorum.votesOnline).toBe(after.quorum.votesTotal - 1);
          } finally {
            await h.target.clearFaults();
          }
        });

        it('PVE_NO_QUORUM when starting a guest without quorum, and quorate=false in the snapshot', async () => {
          await h.target.fault({ kind: 'quorum-loss' });
          try {
            const { api } = h.api();
            expect(must(await api.readSnapshot()).quorum.quorate).toBe(false);
            // PVE checks quorum synchronously before anything else on start (pve-api.md §5.11).
            const error = mustFail(await api.doPowerAction(known.node, 'qemu', known.runningQemu, 'start'));
            expect(error.code).toBe('PVE_NO_QUORUM');
          } finally {
            await h.target.clearFaults();
          }
        });
      });
    });

    describe('TLS pinning', () => {
      it('accepts the right fingerprint in any case and without colons', async () => {
        const bare = h.target.fingerprint.replace(/:/g, '').toLowerCase();
        must(await h.api({ fingerprint: bare }).api.version());
      });

      it('refuses a wrong fingerprint with TLS_FINGERPRINT_MISMATCH (not retryable)', async () => {
        const error = mustFail(await h.api({ fingerprint: 'AB:'.repeat(31) + 'AB' }).api.version());
        expect(error.code).toBe('TLS_FINGERPRINT_MISMATCH');
        expect(error.retryable).toBe(false);
      });

      it('refuses the self-signed certificate when neither a pin nor insecure is configured', async () => {
        const error = mustFail(await h.api({ fingerprint: undefined }).api.version());
        expect(error.code).toBe('TLS_FINGERPRINT_MISMATCH');
      });

      it('accepts any certificate with insecure: true and logs a warning', async () => {
        const logger = recordingLogger();
        must(await h.api({ fingerprint: undefined, insecure: true, logger }).api.version());
        expect(logger.warnings.join('\n')).toMatch(/DISABLED/);
      });
    });

    describe('ticket auth', () => {
      it('logs in with username/password, reads, and sends CSRF on writes', async () => {
        const { api, events } = h.api({ auth: { kind: 'ticket', username: h.target.username, password: h.target.password } });
        must(await api.version());
        expect(events.map((e) => e.purpose ?? e.path)).toEqual(['login', '/version']);
        const services = must(await api.services(known.node));
        const task = must(await api.doServiceAction(known.node, services[0]!.service, 'reload'));
        expect(task.node).toBe(known.node);
      });

      it('renews the ticket after an hour by posting it as the password, and keeps working', async () => {
        let now = 0;
        const { api, events } = h.api({ auth: { kind: 'ticket', username: h.target.username, password: h.target.password }, now: () => now });
        must(await api.version());
        now += 61 * 60 * 1000;
        must(await api.version());
        expect(events.map((e) => e.purpose ?? e.path)).toEqual(['login', '/version', 'renew', '/version']);
        expect(events[2]!.status).toBe(200);
      });

      it('PVE_TIMEOUT when the login itself hangs (the deadline covers the ticket request)', async () => {
        await h.target.fault({ kind: 'hang', path: '/access/ticket' });
        try {
          const { api } = h.api({ auth: { kind: 'ticket', username: h.target.username, password: h.target.password }, timeoutMs: 300 });
          expect(mustFail(await api.version())).toMatchObject({ code: 'PVE_TIMEOUT' });
        } finally {
          await h.target.clearFaults();
        }
      });

      it('PVE_AUTH for a wrong password', async () => {
        const { api } = h.api({ auth: { kind: 'ticket', username: h.target.username, password: 'wrong' } });
        expect(mustFail(await api.version()).code).toBe('PVE_AUTH');
      });
    });
  });
}
