import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../../core/ports/logger.ts';

/**
 * Makes sure the dashboard bundle exists so `npm start` works on a fresh clone: when
 * `web/dist/index.html` is missing and `web/vite.config.ts` exists, builds it with Vite's JS API
 * (same as `npm run build:web`). Returns the web root, or undefined when there is no dashboard
 * (the API still runs; the failure is logged, never fatal).
 */
export async function ensureWebBundle(repoRoot: string, logger: Logger): Promise<string | undefined> {
  const webRoot = join(repoRoot, 'web', 'dist');
  if (existsSync(join(webRoot, 'index.html'))) return webRoot;
  const configFile = join(repoRoot, 'web', 'vite.config.ts');
  if (!existsSync(configFile)) {
    logger.warn({ configFile }, 'no dashboard in this build (web/vite.config.ts missing): serving the API only');
    return undefined;
  }
  logger.info({ configFile }, 'building the dashboard (web/dist missing; first start)');
  try {
    const vite = await import('vite');
    await vite.build({ configFile, logLevel: 'warn' });
  } catch (error) {
    logger.error({ error: (error as Error).message.split('\n')[0] }, 'dashboard build failed: serving the API only (run `npm run build:web` to see why)');
    return undefined;
  }
  return existsSync(join(webRoot, 'index.html')) ? webRoot : undefined;
}
