import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SqliteAuthStore } from '../../src/adapters/sqlite/auth-store.ts';
import { AuthService } from '../../src/app/auth/auth-service.ts';
import { run } from '../../src/cli/commands/token.ts';

const root = resolve(import.meta.dirname, '../..');

/** Runs the command in-process, capturing stdout/stderr. */
async function token(args: string[], dataDir: string): Promise<{ status: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => ((stdout += String(chunk)), true));
  const error = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => ((stderr += String(chunk)), true));
  try {
    return { status: await run([...args, '--data-dir', dataDir]), stdout, stderr };
  } finally {
    out.mockRestore();
    error.mockRestore();
  }
}

afterEach(() => vi.restoreAllMocks());

describe('jarvis token', () => {
  it('prints a token from the real CLI process that authenticates with its role', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'jarvis-token-'));
    const created = spawnSync(
      process.execPath,
      [join(root, 'bin/jarvis.js'), 'token', 'create', '--role', 'operator', '--name', 'claude-desktop', '--data-dir', dataDir],
      {
        encoding: 'utf8',
        env: { ...process.env, JARVIS_CONFIG: '' },
      },
    );
    expect(created.status, created.stderr).toBe(0);
    const secret = created.stdout.trim();
    expect(secret).toMatch(/^jv_[A-Za-z0-9_-]{43}$/);
    expect(created.stderr).toMatch(/not shown again/);
    const store = SqliteAuthStore.open(join(dataDir, 'auth.db'));
    expect(new AuthService(store, { now: () => Date.now() }).authenticateToken(secret)).toMatchObject({
      kind: 'token',
      name: 'claude-desktop',
      role: 'operator',
    });
    store.close();
  });

  it('lists tokens without their secret, revokes by id, and refuses bad input', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'jarvis-token-'));
    const created = await token(['create', '--role', 'viewer'], dataDir);
    expect(created.status).toBe(0);
    const secret = created.stdout.trim();
    const id = /token id ([0-9a-f]+)/.exec(created.stderr)?.[1];
    const listed = await token(['list'], dataDir);
    expect(listed.stdout).toContain(`${id}  viewer`);
    expect(listed.stdout).not.toContain(secret);
    expect((await token(['revoke', id!], dataDir)).status).toBe(0);
    const store = SqliteAuthStore.open(join(dataDir, 'auth.db'));
    expect(new AuthService(store, { now: () => Date.now() }).authenticateToken(secret)).toBeUndefined();
    store.close();
    expect((await token(['list'], dataDir)).stdout).toMatch(/revoked/);
    expect((await token(['revoke', 'nope'], dataDir)).status).toBe(1);
    expect((await token(['create', '--role', 'root'], dataDir)).status).toBe(2);
    expect((await token(['frobnicate'], dataDir)).status).toBe(2);
  });
});
