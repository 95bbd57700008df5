import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from './canonical-json.ts';
import { sha256 } from './sha256.ts';

const nodeSha = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

describe('sha256', () => {
  it('matches the FIPS test vectors', () => {
    expect(sha256('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(sha256('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('agrees with node:crypto on boundary lengths and unicode', () => {
    for (let length = 0; length < 200; length++) expect(sha256('x'.repeat(length))).toBe(nodeSha('x'.repeat(length)));
    expect(sha256('VMID 103 ‘management’ 🚀')).toBe(nodeSha('VMID 103 ‘management’ 🚀'));
  });

  it('agrees with node:crypto on random strings', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 300 }), (text) => sha256(text) === nodeSha(text)),
      { numRuns: 500 },
    );
  });
});

describe('canonicalJson', () => {
  it('sorts keys and drops undefined members', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, undefined], c: undefined } })).toBe('{"a":{"d":[1,null]},"b":1}');
  });
});
