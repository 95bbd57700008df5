import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AuthService } from './auth-service.ts';
import { bootstrapAdmin } from './bootstrap-admin.ts';
import { MemoryAuthStore } from '../../../test/doubles/memory-auth-store.ts';

const clock = { now: () => 1_000 };
const service = (store = new MemoryAuthStore()) => new AuthService(store, clock, { scrypt: { N: 1024, r: 8, p: 1 } });

describe('bootstrapAdmin', () => {
  it('generates a password on first start, writes it 0600, and it logs in', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'jarvis-admin-'));
    const file = join(dir, 'secrets', 'admin-password');
    const store = new MemoryAuthStore();
    const auth = service(store);
    const first = await bootstrapAdmin(auth, { passwordFile: file });
    expect(first.generatedPassword).toMatch(/^[A-Za-z0-9_-]{24}$/);
    expect(readFileSync(file, 'utf8').trim()).toBe(first.generatedPassword);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect((await auth.login('admin', first.generatedPassword!, '127.0.0.1')).ok).toBe(true);
    // Second start: nothing generated, nothing printed.
    const second = await bootstrapAdmin(service(store), { passwordFile: file });
    expect(second.generatedPassword).toBeUndefined();
  });

  it('uses a given password (env/file) and never writes a file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'jarvis-admin-'));
    const file = join(dir, 'admin-password');
    const auth = service();
    const result = await bootstrapAdmin(auth, { password: 'from-env', passwordFile: file });
    expect(result.generatedPassword).toBeUndefined();
    expect(() => statSync(file)).toThrow();
    expect((await auth.login('admin', 'from-env', '127.0.0.1')).ok).toBe(true);
  });

  it('reuses the password file when the store lost the admin', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'jarvis-admin-'));
    const file = join(dir, 'admin-password');
    writeFileSync(file, 'kept-secret\n', { mode: 0o600 });
    const auth = service();
    expect((await bootstrapAdmin(auth, { passwordFile: file })).generatedPassword).toBeUndefined();
    expect((await auth.login('admin', 'kept-secret', '127.0.0.1')).ok).toBe(true);
  });
});
