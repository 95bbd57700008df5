import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseOfflineCommand, type OfflineCommand } from '../../src/core/agent/offline/index.ts';
import { OFFLINE_PHRASINGS, type Expected } from '../corpus/offline-phrasings.ts';
import { SEED_WORLD } from './offline-world.ts';

function matches(result: OfflineCommand, expected: Expected): boolean {
  if (typeof expected === 'string') return result.kind === expected;
  if ('ticket' in expected) return result.kind === 'ticket' && result.decision === expected.ticket && result.ticketId === expected.id;
  return result.kind === 'tool' && result.tool === expected.tool && JSON.stringify(sortKeys(result.input)) === JSON.stringify(sortKeys(expected.input));
}
const sortKeys = (value: Readonly<Record<string, unknown>>): Record<string, unknown> =>
  Object.fromEntries(Object.entries(value).sort(([a], [b]) => a.localeCompare(b)));

describe('offline command corpus', () => {
  it('holds at least 150 labelled phrasings, at least 50 of them ambiguous', () => {
    expect(OFFLINE_PHRASINGS.length).toBeGreaterThanOrEqual(150);
    expect(OFFLINE_PHRASINGS.filter(([, expected]) => expected === 'clarify').length).toBeGreaterThanOrEqual(50);
  });

  it('maps every phrasing to its label', () => {
    const wrong = OFFLINE_PHRASINGS.map(([text, expected]) => ({ text, expected, got: parseOfflineCommand(text, SEED_WORLD) })).filter(
      (row) => !matches(row.got, row.expected),
    );
    expect(wrong).toEqual([]);
  });

  it('never turns an ambiguous phrasing into an act (0 of them)', () => {
    const acted = OFFLINE_PHRASINGS.filter(([, expected]) => expected === 'clarify')
      .map(([text]) => ({ text, got: parseOfflineCommand(text, SEED_WORLD) }))
      .filter((row) => row.got.kind === 'tool' && row.got.act);
    expect(acted).toEqual([]);
  });
});

const canonical = (verb: string): string => ({ 'power on': 'start', kill: 'stop', 'shut down': 'shutdown', restart: 'reboot' })[verb] ?? verb;

describe('offline parser properties', () => {
  const verbs = ['start', 'stop', 'shutdown', 'reboot', 'restart', 'shut down', 'power on', 'kill'];
  const identity: Record<string, string> = {
    'vm 101': '101',
    '102': '102',
    grafana: '204',
    'home-assistant': '102',
    'container homepage': 'homepage',
    'ct 204': '204',
    'vm 105': '105',
  };
  const targets = ['vm 101', '102', 'grafana', 'home-assistant', 'container homepage', 'ct 204', 'vm 105'];

  it('two different act verbs in one request never act', () => {
    fc.assert(
      fc.property(fc.constantFrom(...verbs), fc.constantFrom(...verbs), fc.constantFrom(...targets), (a, b, target) => {
        fc.pre(canonical(a) !== canonical(b));
        const result = parseOfflineCommand(`${a} ${target} and ${b} it`, SEED_WORLD);
        return !(result.kind === 'tool' && result.act);
      }),
    );
  });

  it('an act verb with two guests never acts', () => {
    fc.assert(
      fc.property(fc.constantFrom(...verbs), fc.constantFrom(...targets), fc.constantFrom(...targets), (verb, a, b) => {
        fc.pre(identity[a] !== identity[b]);
        const result = parseOfflineCommand(`${verb} ${a} and ${b}`, SEED_WORLD);
        return !(result.kind === 'tool' && result.act);
      }),
    );
  });

  it('is total on any string and never acts on a VMID the world does not know', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (text) => {
        const result = parseOfflineCommand(text, SEED_WORLD);
        if (result.kind === 'tool' && result.tool === 'manage_vm') return SEED_WORLD.guests.some((guest) => guest.vmid === result.input.vmid);
        return typeof result.kind === 'string';
      }),
      { numRuns: 500 },
    );
  });

  it('treats object-prototype words (__proto__, constructor, toString ...) as words, never as verbs', () => {
    for (const word of ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', '__proto__ vm 101', 'constructor 105']) {
      const result = parseOfflineCommand(word, SEED_WORLD);
      expect(typeof result.kind).toBe('string');
      expect(result.kind === 'tool' && result.act).toBe(false);
    }
  });

  it('an act typo in the verb asks instead of acting', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('rebot', 'reboott', 'restrat', 'shutdwon', 'strat', 'stpo'),
        fc.constantFrom('vm 101', 'vm 105', 'grafana'),
        (verb, target) => {
          const result = parseOfflineCommand(`${verb} ${target}`, SEED_WORLD);
          return !(result.kind === 'tool' && result.act);
        },
      ),
    );
  });
});
