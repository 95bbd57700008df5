import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ensureWebBundle } from '../../src/cli/compose/ensure-web-bundle.ts';
import { silentLogger } from '../../src/core/ports/logger.ts';

let root: string | undefined;
afterEach(() => {
  if (root) rmSync(root, { recursive: true, force: true });
});

describe('ensureWebBundle (npm start on a fresh clone)', () => {
  it('builds web/dist with Vite when it is missing, and reuses it afterwards', async () => {
    root = mkdtempSync(join(tmpdir(), 'jarvis-web-'));
    mkdirSync(join(root, 'web'));
    writeFileSync(join(root, 'package.json'), '{"type":"module"}\n');
    writeFileSync(join(root, 'web', 'index.html'), '<!doctype html><title>t</title><p>hello</p>\n');
    writeFileSync(
      join(root, 'web', 'vite.config.ts'),
      `export default { root: ${JSON.stringify(join(root, 'web'))}, logLevel: 'silent', build: { outDir: 'dist', emptyOutDir: true } };\n`,
    );
    const built = await ensureWebBundle(root, silentLogger);
    expect(built).toBe(join(root, 'web', 'dist'));
    const first = statSync(join(root, 'web', 'dist', 'index.html')).mtimeMs;
    expect(await ensureWebBundle(root, silentLogger)).toBe(built);
    expect(statSync(join(root, 'web', 'dist', 'index.html')).mtimeMs).toBe(first);
  });

  it('serves the API only (undefined) when the build has no dashboard config', async () => {
    root = mkdtempSync(join(tmpdir(), 'jarvis-web-'));
    expect(await ensureWebBundle(root, silentLogger)).toBeUndefined();
    expect(existsSync(join(root, 'web'))).toBe(false);
  });
});
