/**
 * Runs once before the suite, in the main vitest process. Builds the dashboard bundle (web/dist)
 * once, so test files running in parallel workers never race to build it themselves.
 */
import { ensureWebBuild } from './e2e/helpers/build-web.ts';

export default async function setup(): Promise<void> {
  process.env.JARVIS_TEST = '1';
  await ensureWebBuild();
}
