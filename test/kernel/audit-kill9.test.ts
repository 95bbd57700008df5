/**
 * Issue 8, write-ahead audit under kill -9: a real Jarvis in a child process serves a stream of
 * MCP tool calls (reads, and act calls refused for bad input), each carrying a unique marker; the
 * child is SIGKILLed mid-stream. Every call the client saw answered has its audit row, and the
 * chain still verifies (`jarvis audit verify`).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { SqliteAuditLog } from '../../src/adapters/sqlite/sqlite-audit-log.ts';
import { SqliteAuthStore } from '../../src/adapters/sqlite/auth-store.ts';
import { AuthService } from '../../src/app/auth/auth-service.ts';
import { run as auditCommand } from '../../src/cli/commands/audit.ts';

const dir = mkdtempSync(join(tmpdir(), 'jarvis-kill9-'));
const dataDir = join(dir, 'data');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Starts the child; resolves with its URL once it listens. */
function startChild(): Promise<{ child: ReturnType<typeof spawn>; url: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'jarvis-server.child.ts'), dir], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return new Promise((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const line = stdout.split('\n').find((candidate) => candidate.startsWith('{'));
      if (line) resolve({ child, url: (JSON.parse(line) as { url: string }).url });
    });
    child.on('exit', (code, signal) => reject(new Error(`jarvis child exited before listening (${code ?? signal}): ${stderr.slice(-2000)}`)));
  });
}

describe('write-ahead audit under kill -9', () => {
  it('every call the client saw answered has its audit row; the chain verifies', async () => {
    const { child, url } = await startChild();
    const store = SqliteAuthStore.open(join(dataDir, 'auth.db'));
    const token = new AuthService(store, { now: () => Date.now() }).createToken('operator', 'kill9-client').token;
    store.close();
    const client = new Client({ name: 'kill9-test', version: '1.0.0' });
    await client.connect(new StreamableHTTPClientTransport(new URL(`${url}/mcp`), { requestInit: { headers: { authorization: `Bearer ${token}` } } }));

    const answered: { marker: string; kind: 'read' | 'refused' }[] = [];
    let killed = false;
    let next = 0;
    const worker = async (): Promise<void> => {
      while (!killed) {
        const index = next++;
        const refused = index % 2 === 1;
        const marker = `mark-${index}`;
        let result: unknown;
        try {
          result = refused
            ? await client.callTool({ name: 'manage_vm', arguments: { vmid: marker, action: 'stop' } })
            : await client.callTool({ name: 'search_logs', arguments: { node: 'pve', text: marker, minutes: 5 } });
        } catch {
          return; // the server died under this call: the client saw no answer
        }
        expect(JSON.stringify(result).includes('INVALID_INPUT')).toBe(refused);
        answered.push({ marker, kind: refused ? 'refused' : 'read' });
        if (answered.length >= 40 && !killed) {
          killed = true;
          child.kill('SIGKILL');
        }
      }
    };
    const exited = new Promise((resolve) => child.on('exit', resolve));
    await Promise.all([worker(), worker(), worker(), worker()]);
    await exited;
    await client.close().catch(() => undefined);
    expect(killed).toBe(true);
    expect(answered.filter((call) => call.kind === 'read').length).toBeGreaterThanOrEqual(10);
    expect(answered.filter((call) => call.kind === 'refused').length).toBeGreaterThanOrEqual(10);

    const log = SqliteAuditLog.open(join(dataDir, 'audit', 'audit.db'));
    if (!log.ok) throw new Error(log.error.message);
    const rows = await log.value.list();
    log.value.close();
    if (!rows.ok) throw new Error(rows.error.message);
    const markerOf = (row: (typeof rows.value)[number]): string | undefined => {
      const params = row.params as Record<string, unknown> | undefined;
      const value = row.tool === 'search_logs' ? params?.text : row.tool === 'manage_vm' ? params?.vmid : undefined;
      return typeof value === 'string' ? value : undefined;
    };
    const audited = new Map(
      rows.value.flatMap((row) => {
        const marker = markerOf(row);
        return marker ? [[marker, row] as const] : [];
      }),
    );
    const missing = answered.filter((call) => !audited.has(call.marker));
    expect(missing).toEqual([]);
    for (const call of answered) {
      const row = audited.get(call.marker)!;
      if (call.kind === 'read') expect(row).toMatchObject({ kind: 'read', tool: 'search_logs' });
      else expect(row).toMatchObject({ kind: 'call', tool: 'manage_vm', result: 'error: INVALID_INPUT' });
    }

    const writes: string[] = [];
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      writes.push(String(chunk));
      return true;
    });
    let code: number;
    try {
      code = await auditCommand(['verify', '--db', join(dataDir, 'audit', 'audit.db'), '--data-dir', dataDir]);
    } finally {
      spy.mockRestore();
    }
    expect(writes.join('')).toContain('audit log OK');
    expect(code).toBe(0);
  }, 60_000);
});
