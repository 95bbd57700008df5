import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../../src/sim/index.ts';
import { pveRequest } from './pve-request.ts';

describe('simulator HTTP conventions and authentication', () => {
  let sim: RunningSimulator;
  let token: { id: string; secret: string };
  beforeAll(async () => {
    sim = await startSimulator({ authDelayMs: 0, taskDurationMs: 20, metricsIntervalMs: 0 });
    token = { id: sim.tokenId, secret: sim.tokenSecret };
  });
  afterAll(async () => {
    await sim.close();
  });

  it('answers with the data envelope, the exact content type and PVE server headers', async () => {
    const response = await pveRequest(sim.url, '/version', { token });
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('application/json;charset=UTF-8');
    expect(response.headers.server).toBe('pve-api-daemon/3.0');
    expect(response.json).toEqual({ data: { version: expect.any(String), release: expect.any(String), repoid: expect.any(String) } });
  });

  it('puts error text in the reason phrase and in message (with trailing newline)', async () => {
    const response = await pveRequest(sim.url, '/nodes/agent1/qemu/4242/status/current', { token });
    expect(response.status).toBe(500);
    expect(response.reason).toBe("Configuration file 'nodes/agent1/qemu-server/4242.conf' does not exist");
    expect(response.json).toEqual({ data: null, message: "Configuration file 'nodes/agent1/qemu-server/4242.conf' does not exist\n" });
  });

  it('answers 501 Method not implemented for unknown paths', async () => {
    const response = await pveRequest(sim.url, '/nodes/agent1/frobnicate', { token });
    expect(response.status).toBe(501);
    expect(response.reason).toBe("Method 'GET /nodes/agent1/frobnicate' not implemented");
  });

  it('returns an errors object on parameter errors (400)', async () => {
    const response = await pveRequest(sim.url, '/nodes/agent1/qemu/abc/status/current', { token });
    expect(response.status).toBe(400);
    expect(response.reason).toBe('Parameter verification failed.');
    expect(response.json.errors).toEqual({ vmid: 'invalid format - value does not look like a valid VM ID' });
  });

  it('refuses requests without credentials with 401 No ticket', async () => {
    const response = await pveRequest(sim.url, '/nodes');
    expect(response.status).toBe(401);
    expect(response.reason).toBe('No ticket');
  });

  it('refuses a wrong token secret with 401', async () => {
    const response = await pveRequest(sim.url, '/nodes', { token: { id: sim.tokenId, secret: '00000000-0000-4000-8000-000000000000' } });
    expect(response.status).toBe(401);
  });

  it('lets the audit-only token read but answers 403 Permission check failed on actions', async () => {
    const audit = { id: sim.auditTokenId, secret: sim.auditTokenSecret };
    expect((await pveRequest(sim.url, '/cluster/resources', { token: audit })).status).toBe(200);
    const response = await pveRequest(sim.url, '/nodes/agent1/qemu/103/status/stop', { method: 'POST', token: audit });
    expect(response.status).toBe(403);
    expect(response.reason).toBe('Permission check failed (/vms/103, VM.PowerMgmt)');
  });

  it("GET /access/permissions lists the caller's privileges (all for the main token, audit ones for the audit token)", async () => {
    const full = (await pveRequest(sim.url, '/access/permissions', { token })).json.data;
    expect(full['/']).toMatchObject({ 'VM.PowerMgmt': 1, 'Sys.Audit': 1, 'Sys.Syslog': 1, 'Datastore.Audit': 1, 'VM.Audit': 1 });
    const audit = (await pveRequest(sim.url, '/access/permissions', { token: { id: sim.auditTokenId, secret: sim.auditTokenSecret } })).json.data;
    expect(audit['/']).toEqual({ 'Sys.Audit': 1, 'Sys.Syslog': 1, 'VM.Audit': 1, 'Datastore.Audit': 1 });
  });

  it('accepts a token on POST without any CSRF header', async () => {
    const response = await pveRequest(sim.url, '/nodes/agent1/qemu/109/status/stop', { method: 'POST', token });
    expect(response.status).toBe(200);
    expect(response.json.data).toMatch(/^UPID:agent1:/);
  });

  it('issues a ticket for form and JSON logins; a bad password is 401 with a JSON body', async () => {
    const form = await pveRequest(sim.url, '/access/ticket', { method: 'POST', body: { username: 'root@pam', password: sim.password } });
    expect(form.status).toBe(200);
    expect(form.json.data).toMatchObject({ username: 'root@pam', clustername: 'homelab', cap: expect.any(Object) });
    expect(form.json.data.ticket).toMatch(/^PVE:root@pam:[0-9A-F]{8}::/);
    expect(form.json.data.CSRFPreventionToken).toMatch(/^[0-9A-F]{8}:[A-Za-z0-9+/]{43}$/);
    const json = await pveRequest(sim.url, '/access/ticket', { method: 'POST', json: { username: 'root', realm: 'pam', password: sim.password } });
    expect(json.json.data.username).toBe('root@pam');
    const bad = await pveRequest(sim.url, '/access/ticket', { method: 'POST', body: { username: 'root@pam', password: 'nope' } });
    expect(bad.status).toBe(401);
    expect(bad.reason).toBe('authentication failure');
    expect(bad.json).toEqual({ data: null, message: 'authentication failure\n' });
  });

  it('accepts the ticket as cookie or header, and requires the CSRF token on writes', async () => {
    const login = await pveRequest(sim.url, '/access/ticket', { method: 'POST', body: { username: 'root@pam', password: sim.password } });
    const { ticket, CSRFPreventionToken } = login.json.data;
    const cookie = { Cookie: `PVEAuthCookie=${encodeURIComponent(ticket)}` };
    expect((await pveRequest(sim.url, '/nodes', { headers: cookie })).status).toBe(200);
    expect((await pveRequest(sim.url, '/nodes', { headers: { Authorization: `PVEAuthCookie=${ticket}` } })).status).toBe(200);
    const noCsrf = await pveRequest(sim.url, '/nodes/agent1/qemu/109/status/stop', { method: 'POST', headers: cookie });
    expect(noCsrf.status).toBe(401);
    expect(noCsrf.reason).toBe('Permission denied - invalid csrf token');
    const withCsrf = await pveRequest(sim.url, '/nodes/agent1/qemu/109/status/stop', { method: 'POST', headers: { ...cookie, CSRFPreventionToken } });
    expect(withCsrf.status).toBe(200);
  });

  it('renews a ticket when the ticket is posted as password; a forged ticket is refused', async () => {
    const login = await pveRequest(sim.url, '/access/ticket', { method: 'POST', body: { username: 'root@pam', password: sim.password } });
    const renewed = await pveRequest(sim.url, '/access/ticket', { method: 'POST', body: { username: 'root@pam', password: login.json.data.ticket } });
    expect(renewed.status).toBe(200);
    expect(renewed.json.data.ticket).toMatch(/^PVE:root@pam:/);
    const forged = `${login.json.data.ticket.slice(0, -4)}AAAA`;
    expect((await pveRequest(sim.url, '/nodes', { headers: { Cookie: `PVEAuthCookie=${encodeURIComponent(forged)}` } })).status).toBe(401);
  });

  it('gzips large bodies when the client accepts gzip', async () => {
    const response = await pveRequest(sim.url, '/cluster/resources', { token, headers: { 'Accept-Encoding': 'gzip' } });
    expect(response.headers['content-encoding']).toBe('gzip');
    expect(response.json.data.length).toBeGreaterThan(20);
  });
});
