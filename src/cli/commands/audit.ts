/**
 * `jarvis audit verify [--db PATH]`: re-verifies the audit hash chain and its head; prints one
 * verdict line (and each problem), exit 0 when intact, 1 when tampered/truncated/unreadable.
 * `jarvis audit tail [-n N] [--db PATH]`: prints the last N records as JSON lines.
 * Without --db the path comes from config (paths.auditDb, default <dataDir>/audit/audit.db).
 */
import { existsSync } from 'node:fs';
import { SqliteAuditLog } from '../../adapters/sqlite/sqlite-audit-log.ts';
import { integerOption, loadCommandConfig, parseCommandArgs } from '../compose/command-args.ts';

export async function run(args: string[]): Promise<number> {
  const parsed = parseCommandArgs('audit', args);
  if (!parsed.ok) {
    process.stderr.write(`${parsed.error}\n`);
    return 2;
  }
  const [sub] = parsed.value.positionals;
  if (sub !== 'verify' && sub !== 'tail') {
    process.stderr.write(
      `jarvis audit: ${sub === undefined ? 'missing subcommand' : `unknown subcommand '${sub}'`}: verify or tail (see \`jarvis audit --help\`)\n`,
    );
    return 2;
  }
  const count = integerOption('n', parsed.value.string('n'), { min: 1, max: 1_000_000 });
  if (!count.ok) {
    process.stderr.write(`jarvis audit: ${count.error}\n`);
    return 2;
  }
  const loaded = loadCommandConfig(parsed.value);
  if (!loaded) return 2;
  const path = parsed.value.string('db') ?? loaded.config.paths.auditDb;
  if (!existsSync(path)) {
    process.stdout.write(`audit log FAIL: no audit database at ${path} (set paths.auditDb or pass --db)\n`);
    return 1;
  }
  const opened = SqliteAuditLog.open(path);
  if (!opened.ok) {
    process.stdout.write(`audit log FAIL: ${opened.error.message}\n`);
    return 1;
  }
  const log = opened.value;
  try {
    if (sub === 'tail') {
      const head = await log.head();
      const limit = count.value ?? 20;
      const rows = await log.list({ afterSeq: head.ok ? Math.max(0, head.value.count - limit) : 0 });
      if (!rows.ok) {
        process.stderr.write(`jarvis audit: ${rows.error.message}\n`);
        return 1;
      }
      for (const row of rows.value) process.stdout.write(`${JSON.stringify(row)}\n`);
      return 0;
    }
    const verdict = await log.verify();
    if (!verdict.ok) {
      process.stdout.write(`audit log FAIL: ${verdict.error.message}\n`);
      return 1;
    }
    if (verdict.value.ok) {
      process.stdout.write(`audit log OK: ${verdict.value.checked} records, hash chain and head intact (${path})\n`);
      return 0;
    }
    process.stdout.write(`audit log TAMPERED: ${verdict.value.problems.length} problem(s) in ${verdict.value.checked} records (${path})\n`);
    for (const problem of verdict.value.problems.slice(0, 50)) process.stdout.write(`  - ${problem}\n`);
    return 1;
  } finally {
    log.close();
  }
}
