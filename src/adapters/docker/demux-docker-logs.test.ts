import { describe, expect, it } from 'vitest';
import { demuxDockerLogs } from './demux-docker-logs.ts';

function frame(stream: number, text: string): Buffer {
  const payload = Buffer.from(text);
  const header = Buffer.alloc(8);
  header[0] = stream;
  header.writeUInt32BE(payload.length, 4);
  return Buffer.concat([header, payload]);
}

describe('demuxDockerLogs', () => {
  it('splits multiplexed frames into stdout and stderr lines, joining lines split across frames', () => {
    const body = Buffer.concat([frame(1, 'one\ntw'), frame(2, 'oops\n'), frame(1, 'o\n')]);
    expect(demuxDockerLogs(body, 1024)).toEqual({
      lines: [
        { stream: 'stdout', text: 'one' },
        { stream: 'stderr', text: 'oops' },
        { stream: 'stdout', text: 'two' },
      ],
      truncated: false,
    });
  });

  it('reads a TTY container (no framing) as raw stdout text', () => {
    expect(demuxDockerLogs(Buffer.from('hello\r\nworld\n'), 1024).lines).toEqual([
      { stream: 'stdout', text: 'hello' },
      { stream: 'stdout', text: 'world' },
    ]);
  });

  it('keeps the newest lines within the byte cap and flags truncation', () => {
    const body = Buffer.concat(['a'.repeat(10), 'b'.repeat(10), 'c'.repeat(10)].map((text) => frame(1, `${text}\n`)));
    expect(demuxDockerLogs(body, 22)).toEqual({
      lines: [
        { stream: 'stdout', text: 'b'.repeat(10) },
        { stream: 'stdout', text: 'c'.repeat(10) },
      ],
      truncated: true,
    });
  });

  it('keeps the beginning of a single line longer than the cap', () => {
    expect(demuxDockerLogs(frame(1, `${'é'.repeat(20)}\n`), 11)).toEqual({ lines: [{ stream: 'stdout', text: 'é'.repeat(5) }], truncated: true });
  });

  it('flags a frame cut short', () => {
    const whole = frame(1, 'complete line\n');
    expect(demuxDockerLogs(whole.subarray(0, whole.length - 3), 1024).truncated).toBe(true);
  });
});
