/**
 * Vite config for the dashboard. Build: `npm run build:web` (= `vite build --config web/vite.config.ts`)
 * writes web/dist, which the Jarvis server serves at `/`. Dev: `vite --config web/vite.config.ts`
 * proxies /api and /ws to a running server (JARVIS_DEV_TARGET, default http://127.0.0.1:8080).
 */
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Plugin } from 'vite';

const here = import.meta.dirname;
const target = process.env.JARVIS_DEV_TARGET ?? 'http://127.0.0.1:8080';

/** The bundled fonts are OFL-1.1, which asks that the licence travel with them: web/dist/licenses/. */
function fontLicences(): Plugin {
  const fonts = ['rajdhani', 'share-tech-mono'];
  return {
    name: 'jarvis-font-licences',
    generateBundle() {
      for (const font of fonts) {
        const source = readFileSync(resolve(here, `../node_modules/@fontsource/${font}/LICENSE`), 'utf8');
        this.emitFile({ type: 'asset', fileName: `licenses/${font}-OFL.txt`, source });
      }
    },
  };
}

export default defineConfig(({ command }) => ({
  root: here,
  // A build is always a production bundle, even when NODE_ENV is `test` (a build triggered from
  // inside vitest, e.g. by `jarvis start` in a test) — React's dev build is slower and double-mounts.
  ...(command === 'build' ? { define: { 'process.env.NODE_ENV': JSON.stringify('production') } } : {}),
  base: '/',
  plugins: [react(), fontLicences()],
  build: {
    outDir: resolve(here, 'dist'),
    emptyOutDir: true,
    sourcemap: false,
  },
  server: {
    host: '127.0.0.1',
    proxy: {
      '/api': target,
      '/ws': { target: target.replace(/^http/, 'ws'), ws: true },
    },
  },
}));
