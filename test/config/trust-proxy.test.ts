import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.ts';

const load = (env: Record<string, string>, yaml = '') =>
  loadConfig({ cwd: '/srv/jarvis', env, argv: [], readFile: () => yaml, ...(yaml ? { argv: ['--config', 'j.yaml'] } : {}) });

describe('server.trustProxy', () => {
  it('defaults to false and reads a boolean, a hop count or a list of proxies from the environment', () => {
    const cases: [string | undefined, unknown][] = [
      [undefined, false],
      ['true', true],
      ['false', false],
      ['2', 2],
      ['10.0.0.5, 10.0.0.0/24', ['10.0.0.5', '10.0.0.0/24']],
    ];
    for (const [value, expected] of cases) {
      const result = load(value === undefined ? {} : { JARVIS_SERVER_TRUST_PROXY: value });
      expect(result.ok, String(value)).toBe(true);
      if (result.ok) expect(result.value.config.server.trustProxy).toEqual(expected);
    }
  });

  it('reads it from the file, and refuses nonsense naming the key', () => {
    const fromFile = load({}, 'server:\n  trustProxy: [127.0.0.1]\n');
    expect(fromFile.ok && fromFile.value.config.server.trustProxy).toEqual(['127.0.0.1']);
    const bad = load({ JARVIS_SERVER_TRUST_PROXY: 'proxy.example' });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.error.message).toContain('server.trustProxy');
  });
});
