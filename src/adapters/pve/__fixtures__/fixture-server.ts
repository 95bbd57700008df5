/**
 * A tiny HTTPS server answering the PVE paths the client uses with the composed fixtures beside
 * this file, for the contract suite when (or where) the simulator is not used. It speaks PVE's wire
 * conventions (envelope, reason-phrase errors, 0/1 booleans, UPIDs, token + ticket/CSRF auth) and
 * understands the simulator's fault vocabulary subset: node-offline, quorum-loss, http-error, hang,
 * malformed. It records every request it receives (headers included) so tests can prove that
 * nothing was sent. Test support only: never imported by production code.
 */
import { readFileSync } from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';

const load = (name: string): { data: unknown; total?: number } => JSON.parse(readFileSync(new URL(`./${name}.json`, import.meta.url), 'utf8'));

export type FixtureFault =
  | { kind: 'node-offline'; node: string }
  | { kind: 'quorum-loss' }
  | { kind: 'http-error'; path: string; status?: number; message?: string }
  | { kind: 'hang'; path: string }
  | { kind: 'malformed'; path: string };

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly authorization?: string | undefined;
  readonly cookie?: string | undefined;
  readonly csrf?: string | undefined;
  readonly body: string;
}

export interface FixtureServer {
  readonly url: string;
  readonly tokenId: string;
  readonly tokenSecret: string;
  /** Read-only token: every non-GET gets 403. */
  readonly auditTokenId: string;
  readonly auditTokenSecret: string;
  readonly username: string;
  readonly password: string;
  readonly requests: RecordedRequest[];
  fault(fault: FixtureFault): void;
  clearFaults(): void;
  /** Makes every ticket issued so far invalid (simulates expiry). */
  expireTickets(): void;
  close(): Promise<void>;
}

type Reply = { status: number; reason?: string; body?: unknown; raw?: string };
interface GuestState {
  entry: Record<string, unknown>;
}
interface Task {
  upid: string;
  node: string;
  polls: number;
  exitstatus: string;
  onDone?: () => void;
  log: string[];
}

const glob = (pattern: string, path: string): boolean =>
  new RegExp(
    `^${pattern
      .split('*')
      .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
  ).test(path);

/** Starts the server on 127.0.0.1 with the given key and certificate (PEM). */
export async function startFixtureServer(tls: { keyPem: string; certPem: string }): Promise<FixtureServer> {
  const tokenId = 'jarvis@pve!fixture';
  const tokenSecret = '0f1e2d3c-4b5a-4978-8796-a5b4c3d2e1f0';
  const auditTokenId = 'jarvis@pve!audit';
  const auditTokenSecret = '1f1e2d3c-4b5a-4978-8796-a5b4c3d2e1f0';
  const username = 'jarvis@pve';
  const password = 'fixture-password';
  const requests: RecordedRequest[] = [];
  let faults: FixtureFault[] = [];
  const tickets = new Map<string, string>();
  let ticketSerial = 0;
  let taskSerial = 0;
  const tasks = new Map<string, Task>();
  const resources = load('cluster-resources').data as Record<string, unknown>[];
  const guests = new Map<number, GuestState>(
    resources.filter((r) => r.type === 'qemu' || r.type === 'lxc').map((r) => [r.vmid as number, { entry: { ...r } }]),
  );
  const quorate = (): boolean => !faults.some((f) => f.kind === 'quorum-loss');

  const issueTicket = (): { ticket: string; csrf: string } => {
    ticketSerial += 1;
    const ticket = `PVE:${username}:${(0x6744c1a0 + ticketSerial).toString(16).toUpperCase()}::c2lnbmF0dXJl+/=${ticketSerial}`;
    const csrf = `${(0x6744c1a0 + ticketSerial).toString(16).toUpperCase()}:csrf${ticketSerial}`;
    tickets.set(ticket, csrf);
    return { ticket, csrf };
  };

  const startTask = (node: string, type: string, id: string, exitstatus: string, onDone?: () => void): Reply => {
    taskSerial += 1;
    const upid = `UPID:${node}:${(0xa1b00 + taskSerial).toString(16).toUpperCase().padStart(8, '0')}:01A2BFC4:674425F0:${type}:${id}:${username}:`;
    tasks.set(upid, { upid, node, polls: 0, exitstatus, onDone, log: [`${type} ${id}`, exitstatus === 'OK' ? 'TASK OK' : `TASK ERROR: ${exitstatus}`] });
    return { status: 200, body: { data: upid } };
  };

  const guestOn = (node: string, type: string, vmid: number): GuestState | Reply => {
    const guest = guests.get(vmid);
    if (!guest || guest.entry.node !== node || guest.entry.type !== type) {
      const dir = type === 'qemu' ? 'qemu-server' : 'lxc';
      return { status: 500, reason: `Configuration file 'nodes/${node}/${dir}/${vmid}.conf' does not exist` };
    }
    return guest;
  };
  const listEntry = (e: Record<string, unknown>) => ({
    vmid: e.vmid,
    name: e.name,
    status: e.status,
    uptime: e.uptime,
    cpus: e.maxcpu,
    cpu: e.cpu,
    maxmem: e.maxmem,
    mem: e.mem,
    maxdisk: e.maxdisk,
    disk: e.disk,
    tags: e.tags,
    lock: e.lock,
    template: e.template,
  });

  const route = (method: string, path: string, form: URLSearchParams): Reply => {
    if (method === 'GET' && path === '/version') return { status: 200, body: load('version') };
    if (method === 'GET' && path === '/cluster/status') {
      const body = load('cluster-status') as { data: Record<string, unknown>[] };
      for (const entry of body.data) {
        if (entry.type === 'cluster') entry.quorate = quorate() ? 1 : 0;
        if (faults.some((f) => f.kind === 'node-offline' && f.node === entry.name)) entry.online = 0;
      }
      return { status: 200, body };
    }
    if (method === 'GET' && path === '/cluster/resources') {
      const offline = (node: unknown) => faults.some((f) => f.kind === 'node-offline' && f.node === node);
      const data = resources
        .map((r) => (r.type === 'qemu' || r.type === 'lxc' ? guests.get(r.vmid as number)!.entry : r))
        .map((r) => (r.type === 'node' && offline(r.node) ? { id: r.id, type: 'node', node: r.node, status: 'offline', maxcpu: r.maxcpu } : r));
      return { status: 200, body: { data } };
    }
    if (method === 'GET' && path === '/cluster/tasks') return { status: 200, body: load('cluster-tasks') };
    if (method === 'GET' && path === '/cluster/log') return { status: 200, body: load('cluster-log') };
    const match = /^\/nodes\/([^/]+)(\/.*)?$/.exec(path);
    if (!match) return { status: 501, reason: `Method '${method} ${path}' not implemented` };
    const node = decodeURIComponent(match[1]!);
    const rest = match[2] ?? '';
    if (faults.some((f) => f.kind === 'node-offline' && f.node === node)) return { status: 595, reason: 'Connection refused', raw: '' };
    let m: RegExpExecArray | null;
    if (method === 'GET' && rest === '/status') return { status: 200, body: load('node-status') };
    if (method === 'GET' && /\/rrddata$/.test(rest)) return { status: 200, body: load('rrddata') };
    if (method === 'GET' && (m = /^\/(qemu|lxc)$/.exec(rest))) {
      return {
        status: 200,
        body: {
          data: [...guests.values()]
            .map((g) => g.entry)
            .filter((e) => e.node === node && e.type === m![1])
            .map(listEntry),
        },
      };
    }
    if ((m = /^\/(qemu|lxc)\/(\d+)\/(status\/current|config|status\/(start|stop|shutdown|reboot))$/.exec(rest))) {
      const [, type, vmidText, what, action] = m;
      const guest = guestOn(node, type!, Number(vmidText));
      if ('status' in guest) return guest;
      const e = guest.entry;
      if (method === 'GET' && what === 'status/current')
        return { status: 200, body: { data: { ...listEntry(e), qmpstatus: e.status, ha: { managed: e.hastate ? 1 : 0 }, agent: 1 } } };
      if (method === 'GET' && what === 'config')
        return type === 'qemu' && e.vmid === 103
          ? { status: 200, body: load('qemu-config') }
          : { status: 200, body: { data: { name: e.name, memory: String(Number(e.maxmem) / 1048576), cores: e.maxcpu, digest: 'ab12' } } };
      if (method === 'POST' && action) {
        const running = e.status === 'running';
        const prefix = type === 'qemu' ? 'qm' : 'vz';
        if (action === 'start' && !quorate()) return { status: 500, reason: 'cluster not ready - no quorum?' };
        if (action === 'start' && running && type === 'lxc') return { status: 500, reason: `CT ${e.vmid} already running` };
        if (action === 'reboot' && !running) return { status: 500, reason: `VM ${e.vmid} not running` };
        const fails = action === 'start' && running ? `VM ${e.vmid} already running` : 'OK';
        const next = action === 'start' || action === 'reboot' ? 'running' : 'stopped';
        return startTask(node, `${prefix}${action}`, String(e.vmid), fails, () => {
          if (fails === 'OK') Object.assign(e, next === 'running' ? { status: 'running', uptime: 1, mem: 1048576 } : { status: 'stopped', uptime: 0, mem: 0 });
        });
      }
    }
    if (method === 'GET' && rest === '/storage') return { status: 200, body: load('storage-list') };
    if (method === 'GET' && (m = /^\/storage\/([^/]+)\/status$/.exec(rest))) {
      const found = (load('storage-list').data as Record<string, unknown>[]).find((s) => s.storage === decodeURIComponent(m![1]!));
      return found
        ? { status: 200, body: { data: { ...found, storage: undefined, used_fraction: undefined } } }
        : { status: 400, reason: 'Parameter verification failed.', body: { data: null, errors: { storage: 'No such storage.\n' } } };
    }
    if (method === 'GET' && rest === '/services') return { status: 200, body: load('services') };
    if ((m = /^\/services\/([^/]+)\/(state|start|stop|restart|reload)$/.exec(rest))) {
      const service = (load('services').data as Record<string, unknown>[]).find((s) => s.service === m![1]);
      if (!service)
        return {
          status: 400,
          reason: 'Parameter verification failed.',
          body: { data: null, errors: { service: `value '${m[1]}' does not have a value in the enumeration 'pveproxy, pve-ha-lrm, sshd'\n` } },
        };
      if (method === 'GET' && m[2] === 'state') return { status: 200, body: { data: service } };
      if (method === 'POST' && m[2] !== 'state') return startTask(node, `srv${m[2]}`, m[1]!, 'OK');
    }
    if (method === 'GET' && rest === '/syslog') return { status: 200, body: load('syslog') };
    if (method === 'GET' && rest === '/journal') return { status: 200, body: load('journal') };
    if ((m = /^\/tasks\/([^/]+)\/(status|log)$/.exec(rest))) {
      const task = tasks.get(decodeURIComponent(m[1]!));
      if (!task) return { status: 400, reason: 'Parameter verification failed.', body: { data: null, errors: { upid: 'no such task' } } };
      if (m[2] === 'log') return { status: 200, body: { total: task.log.length, data: task.log.map((t, i) => ({ n: i + 1, t })) } };
      task.polls += 1;
      const stopped = task.polls >= 2;
      if (stopped && task.onDone) {
        task.onDone();
        task.onDone = undefined;
      }
      const [, , pid, pstart, starttime, type, id, user] = task.upid.split(':');
      return {
        status: 200,
        body: {
          data: {
            upid: task.upid,
            node: task.node,
            pid: parseInt(pid!, 16),
            pstart: parseInt(pstart!, 16),
            starttime: parseInt(starttime!, 16),
            type,
            id,
            user,
            status: stopped ? 'stopped' : 'running',
            ...(stopped ? { exitstatus: task.exitstatus } : {}),
          },
        },
      };
    }
    void form;
    return { status: 501, reason: `Method '${method} /nodes/${node}${rest}' not implemented` };
  };

  const server = https.createServer({ key: tls.keyPem, cert: tls.certPem, keepAlive: true }, (request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const url = new URL(request.url ?? '/', 'https://127.0.0.1');
      const path = url.pathname.replace(/^\/api2\/json/, '');
      const method = request.method ?? 'GET';
      const headerOf = (name: string) => (typeof request.headers[name] === 'string' ? request.headers[name] : undefined);
      requests.push({ method, path, authorization: headerOf('authorization'), cookie: headerOf('cookie'), csrf: headerOf('csrfpreventiontoken'), body });
      const send = (reply: Reply): void => {
        const text = reply.raw ?? JSON.stringify(reply.body ?? { data: null });
        response.writeHead(reply.status, reply.reason ?? (reply.status === 200 ? 'OK' : 'Error'), { 'content-type': 'application/json;charset=UTF-8' });
        response.end(text);
      };
      const form = new URLSearchParams(body);
      if (method === 'POST' && path === '/access/ticket') {
        if (faults.some((f) => f.kind === 'hang' && glob(f.path, path))) return;
        const failure = faults.find((f) => f.kind === 'http-error' && glob(f.path, path));
        if (failure && failure.kind === 'http-error') return send({ status: failure.status ?? 500, reason: failure.message ?? 'Internal Server Error' });
        const user = form.get('username');
        const secret = form.get('password') ?? '';
        if (user !== username || (secret !== password && !tickets.has(secret))) return send({ status: 401, reason: 'authentication failure' });
        const { ticket, csrf } = issueTicket();
        return send({ status: 200, body: { data: { username, ticket, CSRFPreventionToken: csrf, cap: {} } } });
      }
      const auth = headerOf('authorization');
      const cookie = /PVEAuthCookie=([^;]+)/.exec(headerOf('cookie') ?? '');
      const ticket = cookie ? decodeURIComponent(cookie[1]!) : undefined;
      if (auth !== undefined) {
        if (auth === `PVEAPIToken=${auditTokenId}=${auditTokenSecret}`) {
          if (method !== 'GET') return send({ status: 403, reason: 'Permission check failed (/vms, VM.PowerMgmt)' });
        } else if (auth !== `PVEAPIToken=${tokenId}=${tokenSecret}`) return send({ status: 401, reason: 'Authentication failed!' });
      } else if (ticket !== undefined) {
        if (!tickets.has(ticket)) return send({ status: 401, reason: 'Authentication failed!' });
        if (method !== 'GET' && headerOf('csrfpreventiontoken') !== tickets.get(ticket))
          return send({ status: 401, reason: 'Permission denied - invalid csrf token' });
      } else return send({ status: 401, reason: 'No ticket' });
      for (const fault of faults) {
        if (fault.kind === 'hang' && glob(fault.path, path)) return;
        if (fault.kind === 'malformed' && glob(fault.path, path)) return send({ status: 200, raw: '{"data":[{"truncated' });
        if (fault.kind === 'http-error' && glob(fault.path, path))
          return send({ status: fault.status ?? 500, reason: fault.message ?? 'Internal Server Error' });
      }
      send(route(method, path, form));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `https://127.0.0.1:${port}`,
    tokenId,
    tokenSecret,
    auditTokenId,
    auditTokenSecret,
    username,
    password,
    requests,
    fault: (fault) => {
      faults.push(fault);
    },
    clearFaults: () => {
      faults = [];
    },
    expireTickets: () => tickets.clear(),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
