/**
 * Child process for the durability test: appends audit rows to the DB given in argv[2] as fast
 * as it can and prints each committed seq on stdout (one per line) until it is killed.
 */
import { SqliteAuditLog } from '../../src/adapters/sqlite/sqlite-audit-log.ts';

const path = process.argv[2];
if (!path) throw new Error('usage: audit-writer.child.ts DB_PATH');
const opened = SqliteAuditLog.open(path);
if (!opened.ok) throw new Error(opened.error.message);
const log = opened.value;
for (let index = 0; ; index++) {
  const record = log.appendSync({
    kind: 'decision',
    time: 1_795_608_000_000 + index,
    actor: { kind: 'model', modelId: 'qwen' },
    tool: 'durability',
    params: { index, padding: 'x'.repeat(index % 500) },
    verdict: 'allow',
    reasons: [`row ${index}`],
  });
  if (!record.ok) throw new Error(record.error.message);
  process.stdout.write(`${record.value.seq}\n`);
}
