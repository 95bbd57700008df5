/**
 * Child process of bench/ws-scale.bench.ts: `count` dashboard WebSocket clients in a process of
 * their own (so the server's CPU and heap are measured alone). Prints one JSON line per event:
 *   {"kind":"ready"}                                         every client has its snapshot
 *   {"kind":"seen","node":N,"status":S,"at":ms,"client":i}   a delta changed node N's status
 *   {"kind":"stats", ...}                                    on SIGTERM/stdin close: bytes per frame type
 * Usage: node --import tsx bench/helpers/ws-clients.ts URL COOKIE COUNT
 */
import WebSocket from 'ws';

const [url, cookie, countText] = process.argv.slice(2);
const count = Number(countText ?? 20);
const origin = url!.replace(/^ws/, 'http').replace(/\/ws$/, '');
const say = (line: object): void => void process.stdout.write(`${JSON.stringify(line)}\n`);

interface Totals {
  frames: number;
  bytes: number;
  deltas: number;
  deltaBytes: number;
  snapshots: number;
  snapshotBytes: number;
}
const totals: Totals[] = [];
let ready = 0;

interface NodeLike {
  name: string;
  status: string;
}
interface DeltaLike {
  upsert: { nodes: NodeLike[] };
}
interface Frame {
  type: string;
  payload: unknown;
}

function deltasOf(frame: Frame): DeltaLike[] {
  if (frame.type === 'delta') return [frame.payload as DeltaLike];
  if (frame.type === 'batch') return (frame.payload as { messages: Frame[] }).messages.filter((m) => m.type === 'delta').map((m) => m.payload as DeltaLike);
  return [];
}

for (let index = 0; index < count; index += 1) {
  const mine: Totals = { frames: 0, bytes: 0, deltas: 0, deltaBytes: 0, snapshots: 0, snapshotBytes: 0 };
  totals.push(mine);
  const socket = new WebSocket(url!, { headers: { cookie: cookie!, origin }, maxPayload: 256 * 2 ** 20 });
  socket.on('message', (data: Buffer) => {
    const at = Date.now();
    mine.frames += 1;
    mine.bytes += data.length;
    const frame = JSON.parse(data.toString('utf8')) as Frame;
    if (frame.type === 'snapshot') {
      mine.snapshots += 1;
      mine.snapshotBytes += data.length;
      ready += 1;
      if (ready === count) say({ kind: 'ready' });
      return;
    }
    const deltas = deltasOf(frame);
    if (deltas.length > 0) {
      mine.deltas += deltas.length;
      mine.deltaBytes += data.length;
    }
    for (const delta of deltas) for (const node of delta.upsert.nodes) say({ kind: 'seen', node: node.name, status: node.status, at, client: index });
  });
  socket.on('error', (error) => say({ kind: 'error', client: index, message: error.message }));
  socket.on('close', (code) => say({ kind: 'closed', client: index, code }));
}

const finish = (): void => {
  say({ kind: 'stats', totals });
  process.exit(0);
};
process.on('SIGTERM', finish);
process.stdin.on('end', finish);
process.stdin.resume();
