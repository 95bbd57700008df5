import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from './create-logger.ts';

/** A logger writing into an array of parsed lines. */
function capture() {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { lines, logger: createLogger('debug', {}, destination) };
}

describe('createLogger: secrets redacted as a backstop', () => {
  it('censors password, token, tokenSecret and apiKey at the top level and one level down', () => {
    const { lines, logger } = capture();
    logger.info(
      { password: 'hunter2', pve: { tokenSecret: 'pve-secret', tokenId: 'jarvis@pve!t' }, llm: { apiKey: 'sk-ant-1' }, auth: { token: 'jv_abc' } },
      'config',
    );
    const text = JSON.stringify(lines);
    for (const secret of ['hunter2', 'pve-secret', 'sk-ant-1', 'jv_abc']) expect(text).not.toContain(secret);
    expect(lines[0]).toMatchObject({
      password: '[redacted]',
      pve: { tokenSecret: '[redacted]', tokenId: 'jarvis@pve!t' },
      llm: { apiKey: '[redacted]' },
      msg: 'config',
    });
  });

  it('censors authorization and cookie headers of a request object', () => {
    const { lines, logger } = capture();
    logger.warn(
      {
        request: { method: 'GET', headers: { authorization: 'Bearer jv_xyz', cookie: 'jarvis_session=s1', 'user-agent': 'curl' } },
        headers: { 'set-cookie': 'jarvis_session=s2' },
      },
      'request',
    );
    const text = JSON.stringify(lines);
    for (const secret of ['jv_xyz', 's1', 's2']) expect(text).not.toContain(secret);
    expect(lines[0]).toMatchObject({ request: { method: 'GET', headers: { 'user-agent': 'curl', authorization: '[redacted]', cookie: '[redacted]' } } });
  });

  it('leaves ordinary fields alone', () => {
    const { lines, logger } = capture();
    logger.info({ node: 'agent1', vmid: 103, reason: 'PVE_TIMEOUT' }, 'dependency lost');
    expect(lines[0]).toMatchObject({ node: 'agent1', vmid: 103, reason: 'PVE_TIMEOUT', app: 'jarvis', level: 30 });
  });
});
