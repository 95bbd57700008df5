#!/usr/bin/env node
// Runs the whole vitest suite and prints the plain closing line CI reads: "N passed, N failed, N skipped".
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { summarize } from './test-summary.mjs';

const outDir = mkdtempSync(join(tmpdir(), 'jarvis-vitest-'));
const outFile = join(outDir, 'result.json');
const args = ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${outFile}`, ...process.argv.slice(2)];
const run = spawnSync('npx', args, { stdio: 'inherit' });
let code = run.status ?? 1;
try {
  const report = JSON.parse(readFileSync(outFile, 'utf8'));
  const summary = summarize(report);
  for (const failure of summary.loadFailures) console.error(`test file failed to load: ${failure}`);
  console.log(summary.line);
  if (report.numTotalTests === 0 || summary.failed > 0) code = code || 1;
} catch (error) {
  console.log(`0 passed, 1 failed`);
  console.error(`could not read the vitest report: ${error.message}`);
  code = code || 1;
} finally {
  rmSync(outDir, { recursive: true, force: true });
}
process.exit(code);
