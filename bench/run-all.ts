/**
 * `npm run bench [name...]`: runs the benchmarks one after another in child processes (so one
 * bench's heap and sockets never skew the next) and forwards their tables. Benchmarks are run on
 * demand, never by `npm test`; their numbers are recorded in docs/benchmarks.md with the machine.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const all = readdirSync(here)
  .filter((name) => name.endsWith('.bench.ts'))
  .sort();
const wanted = process.argv.slice(2);
const selected = wanted.length === 0 ? all : all.filter((name) => wanted.some((word) => name.includes(word)));
if (selected.length === 0) {
  console.error(`no benchmark matches ${wanted.join(' ')}; available: ${all.join(', ')}`);
  process.exit(2);
}
let failed = 0;
for (const name of selected) {
  console.log(`\n=== ${name} ===`);
  const run = spawnSync(process.execPath, ['--import', 'tsx', '--expose-gc', join(here, name)], { stdio: 'inherit' });
  if (run.status !== 0) {
    failed += 1;
    console.error(`${name} exited with ${run.status ?? run.signal}`);
  }
}
process.exit(failed === 0 ? 0 : 1);
