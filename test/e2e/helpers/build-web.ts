/**
 * Builds web/dist once per run when it is missing or older than the dashboard sources
 * (the lead's global setup does not build it). Returns the absolute path of web/dist.
 */
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
    const sources = Math.max(newest(join(root, 'web/src')), statSync(join(root, 'web/index.html')).mtimeMs);
    if (existsSync(index) && statSync(index).mtimeMs >= sources) return webRoot;
    const { build } = await import('vite');
    await build({ configFile: join(root, 'web/vite.config.ts'), logLevel: 'warn' });
    return webRoot;
  })();
  return building;
}
