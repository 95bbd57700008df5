/** `jarvis notify test CHANNEL` against a local ntfy fake: config file + token from env. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { run } from '../../src/cli/commands/notify.ts';

describe('jarvis notify test', () => {
  const cleanups: (() => void)[] = [];
  afterEach(() => {
    for (const cleanup of cleanups.splice(0)) cleanup();
    vi.unstubAllEnvs();
  });

  it('sends through the configured channel with the token from the environment; unknown channels exit 2', async () => {
    const bodies: { auth: string | undefined; body: Record<string, unknown> }[] = [];
    const server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        bodies.push({ auth: request.headers.authorization, body: JSON.parse(body) as Record<string, unknown> });
        response.writeHead(200, { 'content-type': 'application/json' }).end('{"id":"1"}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => server.close());
    const dir = mkdtempSync(join(tmpdir(), 'jarvis-notify-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const file = join(dir, 'jarvis.yaml');
    writeFileSync(
      file,
      `paths:\n  dataDir: ${JSON.stringify(join(dir, 'data'))}\nmonitor:\n  notify:\n    channels:\n      phone: { type: ntfy, url: "http://127.0.0.1:${(server.address() as AddressInfo).port}", topic: jarvis-test }\n`,
    );
    vi.stubEnv('JARVIS_NOTIFY_PHONE_TOKEN', 'tk_abc');
    const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const errors = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      expect(await run(['test', 'phone', '--config', file])).toBe(0);
      expect(bodies).toHaveLength(1);
      expect(bodies[0]).toMatchObject({ auth: 'Bearer tk_abc', body: { topic: 'jarvis-test', title: 'Jarvis test notification' } });
      expect(await run(['test', 'nope', '--config', file])).toBe(2);
      expect(String(errors.mock.calls.at(-1)?.[0])).toContain("no channel 'nope'");
    } finally {
      out.mockRestore();
      errors.mockRestore();
    }
  });
});
