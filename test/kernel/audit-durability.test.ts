/**
 * Durability: a child process appending audit rows is SIGKILLed mid-write; every row it reported
 * committed is present and the chain verifies (`jarvis audit verify` exits 0, in-process and through
 * bin/jarvis.js). Then a tampered row
 * and a truncated chain are both detected (exit 1).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { SqliteAuditLog } from '../../src/adapters/sqlite/sqlite-audit-log.ts';
import { run as auditCommand } from '../../src/cli/commands/audit.ts';

const dir = mkdtempSync(join(tmpdir(), 'jarvis-audit-'));
const dbPath = join(dir, 'audit.db');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function verifyCli(path: string): Promise<{ code: number; output: string }> {
  const writes: string[] = [];
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    writes.push(String(chunk));
    return true;
  });
  try {
    const code = await auditCommand(['verify', '--db', path, '--data-dir', dir]);
    return { code, output: writes.join('') };
  } finally {
    spy.mockRestore();
  }
}

/** Runs `bin/jarvis.js` in a child process; resolves with its exit code and stdout. */
function runBinary(args: string[]): Promise<{ code: number | null; stdout: string }> {
  const bin = join(import.meta.dirname, '..', '..', 'bin', 'jarvis.js');
  const child = spawn(process.execPath, [bin, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout })));
}

describe('audit durability', () => {
  it('keeps every committed row across a SIGKILL mid-write and still verifies', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'audit-writer.child.ts'), dbPath], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let committed = 0;
    let buffer = '';
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        buffer += chunk.toString();
        const lines = buffer.split('\n');
        buffer = lines.pop() ?? '';
        for (const line of lines) committed = Math.max(committed, Number(line));
        if (committed >= 300 && !child.killed) {
          child.kill('SIGKILL');
          resolve();
        }
      });
      child.on('exit', (code, signal) => {
        if (signal !== 'SIGKILL') reject(new Error(`child exited early (${code}): ${stderr}`));
      });
    });
    await new Promise((resolve) => child.on('close', resolve));

    const log = SqliteAuditLog.open(dbPath);
    if (!log.ok) throw new Error(log.error.message);
    const rows = await log.value.list();
    const head = await log.value.head();
    log.value.close();
    expect(rows.ok && rows.value.length).toBeGreaterThanOrEqual(committed);
    expect(head.ok && head.value.count).toBe(rows.ok ? rows.value.length : -1);
    const seqs = rows.ok ? rows.value.map((row) => row.seq) : [];
    expect(seqs.slice(0, committed)).toEqual(Array.from({ length: committed }, (_, index) => index + 1));
    const cli = await verifyCli(dbPath);
    expect(cli.output).toContain('audit log OK');
    expect(cli.code).toBe(0);
    // And through the real binary, as an operator runs it after a crash.
    const binary = await runBinary(['audit', 'verify', '--db', dbPath, '--data-dir', dir]);
    expect(binary.stdout).toContain(`audit log OK: ${rows.ok ? rows.value.length : -1} records`);
    expect(binary.code).toBe(0);
  });

  it('detects a tampered row', async () => {
    const copy = join(dir, 'tampered.db');
    const source = new Database(dbPath);
    await source.backup(copy);
    source.close();
    const database = new Database(copy);
    const row = database.prepare('SELECT body FROM audit WHERE seq = 42').get() as { body: string };
    database.prepare('UPDATE audit SET body = ? WHERE seq = 42').run(row.body.replace('"verdict":"allow"', '"verdict":"deny"'));
    database.close();
    const cli = await verifyCli(copy);
    expect(cli.code).toBe(1);
    expect(cli.output).toContain('row 42: hash mismatch');
  });

  it('detects an altered indexed column (verdict) even when the hashed body is untouched', async () => {
    const copy = join(dir, 'column.db');
    const source = new Database(dbPath);
    await source.backup(copy);
    source.close();
    const database = new Database(copy);
    database.prepare("UPDATE audit SET verdict = 'deny' WHERE seq = 7").run();
    database.close();
    const cli = await verifyCli(copy);
    expect(cli.code).toBe(1);
    expect(cli.output).toContain('row 7: indexed columns differ');
  });

  it('detects a truncated chain (last rows deleted)', async () => {
    const copy = join(dir, 'truncated.db');
    const source = new Database(dbPath);
    await source.backup(copy);
    source.close();
    const database = new Database(copy);
    database.prepare('DELETE FROM audit WHERE seq > 100').run();
    database.close();
    const cli = await verifyCli(copy);
    expect(cli.code).toBe(1);
    expect(cli.output).toContain('truncated');
  });
});
