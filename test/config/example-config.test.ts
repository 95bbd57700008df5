import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatConfigError, loadConfig } from '../../src/config/index.ts';
import { knownKeysAt } from '../../src/config/known-keys.ts';
import { configFileSchema } from '../../src/config/config-schema.ts';
import { SEED_TOPOLOGY } from '../../src/core/domain/topology.ts';

const EXAMPLE = resolve(import.meta.dirname, '../../deploy/jarvis.example.yaml');

/** Every key path of the schema's nested objects (records and arrays are documented by example). */
function schemaKeys(path: string[] = []): string[] {
  const keys = knownKeysAt(configFileSchema, path) ?? [];
  return keys.flatMap((key) => {
    const nested = knownKeysAt(configFileSchema, [...path, key]);
    return nested ? [[...path, key].join('.'), ...schemaKeys([...path, key])] : [[...path, key].join('.')];
  });
}

describe('deploy/jarvis.example.yaml', () => {
  it('is a valid config (with the token secret from the environment) describing the seed topology', () => {
    const result = loadConfig({ argv: ['--config', EXAMPLE], env: { JARVIS_PVE_TOKEN_SECRET: 'x' }, cwd: '/srv' });
    if (!result.ok) throw new Error(formatConfigError(result.error));
    expect(result.value.config.topology).toEqual(SEED_TOPOLOGY);
  });

  it('mentions every key of the schema', () => {
    const text = readFileSync(EXAMPLE, 'utf8');
    const missing = schemaKeys().filter((key) => !new RegExp(`\\b${key.split('.').at(-1)}\\b`).test(text));
    expect(missing).toEqual([]);
  });
});
