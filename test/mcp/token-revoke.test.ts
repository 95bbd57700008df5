import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SqliteAuthStore } from '../../src/adapters/sqlite/auth-store.ts';
import { AuthService } from '../../src/app/auth/auth-service.ts';
import { run } from '../../src/cli/commands/token.ts';

afterEach(() => vi.restoreAllMocks());

async function quiet(args: string[]): Promise<number> {
  vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  try {
    return await run(args);
  } finally {
    vi.restoreAllMocks();
  }
}

describe('jarvis token revoke (an MCP client token)', () => {
  it('revokes the named id whether the options come before or after it; the token then stops authenticating', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'jarvis-token-revoke-'));
    try {
      const store = SqliteAuthStore.open(join(dir, 'auth.db'));
      const auth = new AuthService(store, { now: () => Date.now() });
      const first = auth.createToken('operator', 'claude-desktop');
      const second = auth.createToken('viewer', 'claude-code');
      store.close();
      expect(await quiet(['revoke', '--data-dir', dir, first.id])).toBe(0);
      expect(await quiet(['revoke', second.id, '--data-dir', dir])).toBe(0);
      expect(await quiet(['revoke', '--data-dir', dir])).toBe(2);
      const reopened = SqliteAuthStore.open(join(dir, 'auth.db'));
      const check = new AuthService(reopened, { now: () => Date.now() });
      expect(check.authenticateToken(first.token)).toBeUndefined();
      expect(check.authenticateToken(second.token)).toBeUndefined();
      reopened.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
