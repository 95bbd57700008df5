/**
 * A scripted stand-in for the Jarvis server that speaks the real wire protocol (src/protocol) and
 * serves the built dashboard: used by the UI e2e suite (deterministic freshness, offline, reconnect
 * and accessibility checks) and by the dashboard benches (to push frames at a high rate).
 * Loopback only. The live e2e suite runs against the real server instead.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import {
  computeSnapshotDelta,
  type AlertDto,
  type ApprovalDto,
  type AuditEntryDto,
  type BackupsDto,
  type ClusterLogEntryDto,
  type EventDto,
  type TaskDto,
  type ServerMessage,
  type SnapshotDto,
  type StateDto,
} from '../../../src/protocol/index.ts';
import { demoSnapshot } from './demo-snapshot.ts';
import { homelabArchives, homelabGuestDetail, homelabSnapshot, homelabTasks } from './homelab-snapshot.ts';

const TYPES: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.svg': 'image/svg+xml',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
};

export interface FakeJarvisOptions {
  readonly webRoot: string;
  readonly port?: number;
  readonly password?: string;
  /** Guests in the demo snapshot (default 4: the seed's interesting cases; more adds plain running VMs). */
  readonly guests?: number;
  /** The simulator's seed homelab (21 guests, shared NFS storage, backup tasks) instead of the demo. */
  readonly homelab?: boolean;
}

/** TIMEFRAMES of PVE rrddata: seconds per slot (70 slots), as the simulator serves them. */
const RRD_STEP: Record<string, number> = { hour: 60, day: 1800, week: 10_800, month: 43_200, year: 604_800 };

export class FakeJarvis {
  snapshot: SnapshotDto;
  seq = 0;
  approvals: ApprovalDto[] = [];
  audit: AuditEntryDto[] = [];
  readonly sockets = new Set<WebSocket>();
  /** WebSocket connections accepted since construction. */
  connections = 0;
  /** Answers POST /api/actions; default: done. */
  actionAnswer: unknown = { status: 'done', noOp: false, summary: 'done' };
  private server: Server | undefined;
  private readonly wss = new WebSocketServer({ noServer: true });
  port = 0;
  /** Session cookie the server accepts; change it to simulate a restart that forgot sessions. */
  cookie = 'fake_session=ok';
  /** When set, upgrades are accepted and at once closed with this code and reason (e.g. 1013). */
  refuseWith: { code: number; reason: string } | undefined;
  /** The emergency stop as reported by /api/state. */
  frozen = false;
  /** Role of the logged-in user as reported by /api/state. */
  role: 'viewer' | 'operator' | 'admin' = 'admin';

  /** PVE tasks reported in GET /api/state (server-side tasks survive a reload). */
  tasks: TaskDto[] = [];
  /** The AI status reported in the state. */
  aiStatus: StateDto['aiStatus'] = 'no-model';
  /** When true, POST /api/actions answers like the trust kernel for a human's red action: needs-confirmation + actionHash. */
  confirmFlow = false;
  /** Confirmations received on POST /api/actions/confirm. */
  readonly confirmations: { ticketId: string; actionHash: string }[] = [];
  /** Users and sessions for the admin page. */
  users: { name: string; role: 'viewer' | 'operator' | 'admin'; createdAt: number }[] = [{ name: 'admin', role: 'admin', createdAt: Date.now() }];
  sessions: { id: string; user: string; role: 'viewer' | 'operator' | 'admin'; createdAt: number; expiresAt: number; current: boolean }[] = [
    { id: '0123456789abcdef', user: 'admin', role: 'admin', createdAt: Date.now(), expiresAt: Date.now() + 3_600_000, current: true },
    { id: 'fedcba9876543210', user: 'admin', role: 'admin', createdAt: Date.now() - 600_000, expiresAt: Date.now() + 3_000_000, current: false },
  ];
  /** GET /api/backups (homelab: archives on the backup storages); undefined = 404 like a server without the catalog. */
  backups: BackupsDto | undefined;
  /** GET /api/cluster-log (PVE's cluster log, newest first); undefined = 404 like a server without it. */
  clusterLog: ClusterLogEntryDto[] | undefined;
  /** GET /api/events (Jarvis's own event feed). */
  events: EventDto[] = [];
  /** GET /api/tasks/log-tail: the log lines of a running task by upid. */
  readonly taskLogs = new Map<string, string[]>();
  /** GET /api/alerts (the monitor's alert store); undefined = 404 like a server without a monitor. */
  alerts: AlertDto[] | undefined;
  private ticketCounter = 0;

  constructor(private readonly options: FakeJarvisOptions) {
    this.snapshot = options.homelab ? homelabSnapshot(Date.now()) : demoSnapshot(Date.now(), options.guests ?? 4);
    if (options.homelab) this.tasks = homelabTasks(Date.now());
    if (options.homelab) this.backups = homelabArchives(Date.now());
  }

  /** A pending red ticket as a token (not a human) would leave it: it waits in the approvals queue. */
  proposeAsToken(vmid: number): ApprovalDto {
    const approval = this.redApproval(vmid, 'token:ci-bot', 'guest.stop');
    this.approvals.push(approval);
    this.broadcast([{ type: 'approval-request', payload: approval }]);
    return approval;
  }

  private redApproval(vmid: number, requestedBy: string, action: string): ApprovalDto {
    this.ticketCounter += 1;
    const guest = this.snapshot.guests.find((entry) => entry.vmid === vmid);
    const target = `vm ${vmid}${guest?.name ? ` (${guest.name})` : ''} on ${guest?.node ?? '?'}`;
    return {
      id: `t-${this.ticketCounter}`,
      createdAt: Date.now(),
      expiresAt: Date.now() + 600_000,
      status: 'pending',
      requestedBy,
      action,
      target,
      tier: 'red',
      reasons: ['stopping a running guest is red'],
      blastRadius: { items: [{ kind: 'guest', id: String(vmid), label: target, via: 'direct' }], summary: `${target} and the services it hosts` },
      plan: { steps: [`${action} ${target}`, 'wait for the PVE task'], warnings: [] },
    };
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    const server = createServer((request, response) => void this.handle(request, response));
    server.on('upgrade', (request, socket, head) => {
      if (
        !String(request.headers.cookie ?? '')
          .split(/;\s*/)
          .includes(this.cookie)
      ) {
        socket.destroy();
        return;
      }
      this.wss.handleUpgrade(request, socket, head, (ws) => {
        if (this.refuseWith) {
          ws.close(this.refuseWith.code, this.refuseWith.reason);
          return;
        }
        this.sockets.add(ws);
        this.connections += 1;
        ws.on('close', () => this.sockets.delete(ws));
        ws.send(JSON.stringify({ type: 'snapshot', seq: this.seq, ts: Date.now(), payload: this.state() }));
      });
    });
    await new Promise<void>((resolve) => server.listen(this.options.port ?? this.port, '127.0.0.1', resolve));
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
  }

  /** Closes every socket abruptly and stops listening (the port can be reused by start()). */
  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.terminate();
    this.sockets.clear();
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  state(): StateDto {
    return {
      serverTime: Date.now(),
      seq: this.seq,
      snapshot: this.snapshot,
      data: { fresh: true },
      freeze: { frozen: this.frozen },
      settings: { aiEnabled: true },
      approvalsPending: this.approvals.filter((approval) => approval.status === 'pending').length,
      user: { name: this.role, role: this.role },
      tasks: this.tasks,
      ...(this.aiStatus ? { aiStatus: this.aiStatus } : {}),
      self: { container: 'jarvis', dockerHost: 'docker@103', vmid: 103, vmName: 'management', node: 'agent1' },
    };
  }

  /** Sends messages as one frame (a `batch` when several) to every client; returns its seq. */
  broadcast(messages: readonly ServerMessage[]): number {
    this.seq += 1;
    const ts = Date.now();
    const frame = messages.length === 1 ? { ...messages[0]!, seq: this.seq, ts } : { type: 'batch', seq: this.seq, ts, payload: { messages } };
    const text = JSON.stringify(frame);
    for (const socket of this.sockets) socket.send(text);
    return this.seq;
  }

  /** Replaces the snapshot (version + 1, takenAt = now) and broadcasts the delta. */
  update(change: (snapshot: SnapshotDto) => SnapshotDto, takenAt = Date.now()): void {
    const next = { ...change(this.snapshot), version: this.snapshot.version + 1, takenAt };
    const delta = computeSnapshotDelta(this.snapshot, next);
    this.snapshot = next;
    this.broadcast([{ type: 'delta', payload: delta }]);
  }

  /**
   * Approves a pending ticket like the real server: answers `done` with a running task, then
   * broadcasts approval-resolve, task-end (after 300 ms) and the audit row.
   */
  private approve(id: string): unknown {
    const approval = this.approvals.find((entry) => entry.id === id);
    if (!approval) return { status: 'error', error: { code: 'TICKET_INVALID', message: 'no such ticket', retryable: false } };
    const resolved: ApprovalDto = { ...approval, status: 'executed', resolvedBy: 'user:admin', resolvedAt: Date.now() };
    this.approvals = this.approvals.map((entry) => (entry.id === id ? resolved : entry));
    const task: TaskDto = { upid: `UPID:pve:${id}`, node: 'pve', type: 'qmstop', vmid: 101, status: 'running', startedAt: Date.now() };
    this.broadcast([
      { type: 'approval-resolve', payload: resolved },
      { type: 'task-start', payload: task },
    ]);
    setTimeout(() => {
      const row: AuditEntryDto = {
        seq: this.audit.length + 1,
        time: Date.now(),
        actor: 'user:admin',
        action: approval.action,
        target: approval.target,
        tier: approval.tier,
        verdict: 'allow',
        reasons: [],
        ticket: id,
        result: 'done',
        hash: 'h',
        prevHash: 'p',
      };
      this.audit.push(row);
      this.broadcast([
        { type: 'task-end', payload: { ...task, status: 'stopped', exitstatus: 'OK', succeeded: true, endedAt: Date.now() } },
        { type: 'audit-append', payload: row },
      ]);
    }, 300);
    return { status: 'done', noOp: false, summary: `approved: ${approval.action} ${approval.target}`, task };
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = (request.url ?? '/').split('?')[0] ?? '/';
    const authed = String(request.headers.cookie ?? '')
      .split(/;\s*/)
      .includes(this.cookie);
    const json = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      response.writeHead(status, { 'content-type': 'application/json', ...headers });
      response.end(JSON.stringify(body));
    };
    if (path === '/api/login' && request.method === 'POST') {
      const body = await readBody(request);
      if ((JSON.parse(body || '{}') as { password?: string }).password !== (this.options.password ?? 'secret')) {
        return json(401, { ok: false, error: { code: 'UNAUTHENTICATED', message: 'bad credentials', retryable: false } });
      }
      return json(
        200,
        { user: { name: 'admin', role: 'admin' }, expiresAt: Date.now() + 3_600_000 },
        { 'set-cookie': `${this.cookie}; Path=/; HttpOnly; SameSite=Strict` },
      );
    }
    if (path.startsWith('/api/')) {
      if (!authed) return json(401, { ok: false, error: { code: 'UNAUTHENTICATED', message: 'log in', retryable: false } });
      if (path === '/api/state') return json(200, this.state());
      if (path === '/api/session') return json(200, { user: { name: 'admin', role: 'admin' }, expiresAt: Date.now() + 3_600_000 });
      if (path === '/api/approvals') return json(200, { approvals: this.approvals });
      if (path === '/api/events') return json(200, { events: this.events });
      if (path === '/api/cluster-log' && this.clusterLog) return json(200, { entries: this.clusterLog, readAt: Date.now() });
      if (path === '/api/tasks/log-tail') {
        const upid = new URLSearchParams((request.url ?? '').split('?')[1] ?? '').get('upid') ?? '';
        const lines = this.tasks.some((task) => task.upid === upid && task.status === 'running') ? this.taskLogs.get(upid) : undefined;
        if (!lines) return json(404, { ok: false, error: { code: 'NOT_FOUND', message: 'no running task with that upid', retryable: false } });
        return json(200, { upid, total: lines.length, lines: lines.slice(-3), readAt: Date.now() });
      }
      if (path === '/api/history') {
        const query = new URLSearchParams((request.url ?? '').split('?')[1] ?? '');
        const timeframe = query.get('timeframe') ?? 'hour';
        const now = Math.floor(Date.now() / 1000);
        if (timeframe === 'hour') {
          const samples = Array.from({ length: 10 }, (_, index) => ({
            time: now - 600 + index * 60,
            values: { cpu: 0.1 + index / 100, mem: 2 ** 30, maxmem: 2 ** 32 },
          }));
          return json(200, { timeframe: 'hour', samples });
        }
        const step = RRD_STEP[timeframe] ?? 60;
        const samples = Array.from({ length: 70 }, (_, index) => ({
          time: now - (69 - index) * step,
          values: { cpu: 0.3 + 0.25 * Math.sin(index / 5), mem: (0.5 + 0.2 * Math.cos(index / 7)) * 2 ** 32, maxmem: 2 ** 32 },
        }));
        return json(200, { timeframe, samples });
      }
      const detail = /^\/api\/guests\/(\d+)\/detail$/.exec(path);
      if (detail) {
        const found = this.options.homelab ? homelabGuestDetail(Number(detail[1]), Date.now()) : undefined;
        return found
          ? json(200, found)
          : json(404, { ok: false, error: { code: 'NOT_FOUND', message: `no guest ${detail[1]} in the cluster`, retryable: false } });
      }
      if (path === '/api/backups' && this.backups) return json(200, this.backups);
      if (path === '/api/alerts' && this.alerts) return json(200, { alerts: this.alerts.filter((alert) => alert.state !== 'resolved') });
      if (path === '/api/audit') return json(200, { entries: [...this.audit].reverse(), nextBefore: null });
      const approve = /^\/api\/approvals\/([^/]+)\/approve$/.exec(path);
      if (approve && request.method === 'POST') return json(200, this.approve(decodeURIComponent(approve[1]!)));
      const reject = /^\/api\/approvals\/([^/]+)\/reject$/.exec(path);
      if (reject && request.method === 'POST') {
        const id = decodeURIComponent(reject[1]!);
        const found = this.approvals.find((entry) => entry.id === id);
        if (!found) return json(404, { ok: false, error: { code: 'TICKET_INVALID', message: 'no such ticket', retryable: false } });
        const rejected: ApprovalDto = { ...found, status: 'rejected', resolvedBy: 'user:admin', resolvedAt: Date.now() };
        this.approvals = this.approvals.map((entry) => (entry.id === id ? rejected : entry));
        this.broadcast([{ type: 'approval-resolve', payload: rejected }]);
        return json(200, rejected);
      }
      if (path === '/api/actions' && request.method === 'POST' && this.confirmFlow) {
        const body = JSON.parse((await readBody(request)) || '{}') as { kind?: string; vmid?: number };
        const approval = this.redApproval(body.vmid ?? 0, `user:${this.role}`, body.kind ?? 'guest.stop');
        this.approvals.push(approval);
        // like the real server: the ticket is opened on the bus, so every dashboard gets approval-request
        this.broadcast([{ type: 'approval-request', payload: approval }]);
        return json(200, { status: 'needs-confirmation', approval, actionHash: `hash-${approval.id}` });
      }
      if (path === '/api/actions/confirm' && request.method === 'POST') {
        const body = JSON.parse((await readBody(request)) || '{}') as { ticketId: string; actionHash: string };
        this.confirmations.push(body);
        if (body.actionHash !== `hash-${body.ticketId}`) return json(200, { status: 'denied', reasons: ['action hash does not match the ticket'] });
        return json(200, this.approve(body.ticketId));
      }
      if (path === '/api/actions') return json(200, this.actionAnswer);
      if (path === '/api/users' && request.method === 'GET') {
        if (this.role !== 'admin') return json(403, { ok: false, error: { code: 'FORBIDDEN', message: 'admin only', retryable: false } });
        return json(200, { users: this.users, sessions: this.sessions });
      }
      if (path === '/api/users' && request.method === 'POST') {
        const body = JSON.parse((await readBody(request)) || '{}') as { name: string; role: 'viewer' | 'operator' | 'admin'; password: string };
        if (this.users.some((user) => user.name === body.name))
          return json(409, { ok: false, error: { code: 'CONFLICT', message: `user ${body.name} already exists`, retryable: false } });
        this.users.push({ name: body.name, role: body.role, createdAt: Date.now() });
        this.sessions.push({
          id: `${this.users.length}`.padStart(16, 'a'),
          user: body.name,
          role: body.role,
          createdAt: Date.now(),
          expiresAt: Date.now() + 3_600_000,
          current: false,
        });
        return json(200, { name: body.name, role: body.role });
      }
      const userPath = /^\/api\/users\/([^/]+)(\/password)?$/.exec(path);
      if (userPath) {
        const name = decodeURIComponent(userPath[1]!);
        if (userPath[2]) {
          this.sessions = this.sessions.filter((session) => session.user !== name || session.current);
          return json(200, { ok: true });
        }
        this.users = this.users.filter((user) => user.name !== name);
        this.sessions = this.sessions.filter((session) => session.user !== name);
        return json(200, { ok: true });
      }
      const sessionPath = /^\/api\/sessions\/([0-9a-f]+)$/.exec(path);
      if (sessionPath && request.method === 'DELETE') {
        this.sessions = this.sessions.filter((session) => session.id !== sessionPath[1]);
        return json(200, { ok: true });
      }
      return json(404, { ok: false, error: { code: 'NOT_FOUND', message: path, retryable: false } });
    }
    const file = normalize(join(this.options.webRoot, path === '/' ? 'index.html' : path));
    if (!file.startsWith(this.options.webRoot)) return json(403, {});
    try {
      const content = await readFile(file);
      response.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
      response.end(content);
    } catch {
      response.writeHead(200, { 'content-type': 'text/html' });
      response.end(await readFile(join(this.options.webRoot, 'index.html')));
    }
  }
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let text = '';
    request.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
    request.on('end', () => resolve(text));
  });
}
