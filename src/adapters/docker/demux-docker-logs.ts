import type { ContainerLogs } from '../../core/ports/docker.ts';

type Line = ContainerLogs['lines'][number];

/**
 * Splits a Docker logs body into lines. Non-TTY containers send the multiplexed stream (frames of
 * an 8-byte header [stream 0/1/2, 0, 0, 0, size uint32 BE] + payload); TTY containers send raw
 * text, detected by a first byte that is not a stream id. Keeps the newest lines that fit in
 * `maxBytes` (UTF-8) and flags `truncated` when older ones were dropped or a frame was cut short.
 * @see https://docs.docker.com/reference/api/engine/version/v1.47/#tag/Container/operation/ContainerAttach
 */
export function demuxDockerLogs(body: Buffer, maxBytes: number): ContainerLogs {
  const { lines, incomplete } = isMultiplexed(body) ? readFrames(body) : { lines: splitLines(body.toString('utf8'), 'stdout'), incomplete: false };
  const kept: Line[] = [];
  let size = 0;
  for (let index = lines.length - 1; index >= 0; index -= 1) {
    const line = lines[index]!;
    const bytes = Buffer.byteLength(line.text) + 1;
    if (size + bytes > maxBytes) {
      // A single line longer than the cap: keep its beginning rather than nothing.
      if (kept.length === 0) kept.push({ stream: line.stream, text: cutUtf8(line.text, Math.max(0, maxBytes - 1)) });
      return { lines: kept.reverse(), truncated: true };
    }
    kept.push(line);
    size += bytes;
  }
  return { lines: kept.reverse(), truncated: incomplete };
}

function isMultiplexed(body: Buffer): boolean {
  return body.length >= 8 && body[0]! <= 2 && body[1] === 0 && body[2] === 0 && body[3] === 0;
}

function readFrames(body: Buffer): { lines: Line[]; incomplete: boolean } {
  const lines: Line[] = [];
  const pending: Record<'stdout' | 'stderr', string> = { stdout: '', stderr: '' };
  let offset = 0;
  let incomplete = false;
  while (offset + 8 <= body.length) {
    const stream = body[offset] === 2 ? 'stderr' : 'stdout';
    const size = body.readUInt32BE(offset + 4);
    const end = Math.min(body.length, offset + 8 + size);
    if (end < offset + 8 + size) incomplete = true;
    const parts = (pending[stream] + body.subarray(offset + 8, end).toString('utf8')).split('\n');
    pending[stream] = parts.pop() ?? '';
    for (const text of parts) lines.push({ stream, text: text.replace(/\r$/, '') });
    offset = end;
  }
  if (offset < body.length) incomplete = true;
  for (const stream of ['stdout', 'stderr'] as const) if (pending[stream] !== '') lines.push({ stream, text: pending[stream] });
  return { lines, incomplete };
}

function splitLines(text: string, stream: 'stdout' | 'stderr'): Line[] {
  const parts = text.split('\n');
  if (parts.at(-1) === '') parts.pop();
  return parts.map((part) => ({ stream, text: part.replace(/\r$/, '') }));
}

function cutUtf8(text: string, maxBytes: number): string {
  return Buffer.from(text, 'utf8')
    .subarray(0, maxBytes)
    .toString('utf8')
    .replace(/\uFFFD+$/, '');
}
