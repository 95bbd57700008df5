/**
 * Builds web/dist once per run when it is missing or older than the dashboard sources
 * (test/global-setup.ts calls it once before the workers start). Returns the absolute path of web/dist.
 * The build runs in a child process with NODE_ENV=production: inside vitest NODE_ENV is `test`,
 * which would otherwise produce React's development build.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '../../..');
const webRoot = join(root, 'web/dist');

function newest(dir: string): number {
  let latest = 0;
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    const stat = statSync(path);
    latest = Math.max(latest, stat.isDirectory() ? newest(path) : stat.mtimeMs);
  }
  return latest;
}

let building: Promise<string> | undefined;

export function ensureWebBuild(): Promise<string> {
  building ??= (async () => {
    const index = join(webRoot, 'index.html');
    const sources = Math.max(newest(join(root, 'web/src')), statSync(join(root, 'web/index.html')).mtimeMs, newest(join(root, 'src/protocol')));
    if (existsSync(index) && statSync(index).mtimeMs >= sources) return webRoot;
    const vite = join(root, 'node_modules/vite/bin/vite.js');
    await new Promise<void>((done, fail) => {
      const child = spawn(process.execPath, [vite, 'build', '--config', join(root, 'web/vite.config.ts'), '--logLevel', 'warn'], {
        cwd: root,
        env: { ...process.env, NODE_ENV: 'production' },
        stdio: ['ignore', 'inherit', 'inherit'],
      });
      child.on('error', fail);
      child.on('exit', (code) => (code === 0 ? done() : fail(new Error(`vite build exited with ${code}`))));
    });
    return webRoot;
  })();
  return building;
}
