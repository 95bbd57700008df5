import { describe, expect, it } from 'vitest';
import { SECTIONS } from '../../src/config/index.ts';
import { knownKeysAt } from '../../src/config/known-keys.ts';
import { findSecretKeys } from '../../src/config/secret-keys.ts';

/** Every config section (including ones other engineers add) must keep these promises. */
describe.each(SECTIONS.map((section) => [section.key, section] as const))('config section %s', (_key, section) => {
  it('parses an empty mapping to its defaults (a missing section means all defaults)', () => {
    expect(section.schema.safeParse({}).success).toBe(true);
  });

  it('rejects unknown keys (strict object)', () => {
    const result = section.schema.safeParse({ definitelyNotAKey: 1 });
    expect(result.success).toBe(false);
  });

  it('binds env vars and flags only to keys that exist, with JARVIS_ / -- names', () => {
    for (const binding of [...(section.env ?? []), ...(section.flags ?? [])]) {
      expect(binding.name).toMatch(/^(JARVIS_[A-Z0-9_]+|--[a-z][a-z0-9-]*)$/);
      expect(knownKeysAt(section.schema, binding.path.slice(0, -1))).toContain(binding.path.at(-1));
    }
  });

  it('has no key that looks like a secret (secrets come from env only)', () => {
    const keys = knownKeysAt(section.schema, []) ?? [];
    expect(findSecretKeys(Object.fromEntries(keys.map((key) => [key, 'x'])), [section.key])).toEqual([]);
  });
});

describe('config sections registry', () => {
  it('has unique keys, env names and flags', () => {
    const keys = SECTIONS.map((section) => section.key);
    const env = SECTIONS.flatMap((section) => (section.env ?? []).map((binding) => binding.name));
    const flags = SECTIONS.flatMap((section) => (section.flags ?? []).map((binding) => binding.name));
    for (const list of [keys, env, flags]) expect(new Set(list).size).toBe(list.length);
  });
});
