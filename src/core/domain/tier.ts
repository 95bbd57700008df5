/**
 * Action tiers (seed pitfall 2). green = read-only, runs; yellow = runs and notifies;
 * red = needs a human's confirmation ticket; black = never executed by Jarvis (manual steps only).
 * Config may make a kind stricter, never looser: `effectiveTier` ignores loosening overrides.
 */
import type { ActionKind } from './action.ts';

export const TIERS = ['green', 'yellow', 'red', 'black'] as const;
export type Tier = (typeof TIERS)[number];

/** Strictness rank: higher is stricter. */
export const TIER_RANK: Readonly<Record<Tier, number>> = { green: 0, yellow: 1, red: 2, black: 3 };

export const DEFAULT_TIERS: Readonly<Record<ActionKind, Tier>> = {
  'diagnostic.run': 'green',
  'service.restart': 'yellow',
  'service.start': 'yellow',
  'container.start': 'yellow',
  'container.restart': 'yellow',
  'cleanup.temp': 'yellow',
  'guest.start': 'red',
  'guest.stop': 'red',
  'guest.shutdown': 'red',
  'guest.reboot': 'red',
  'guest.migrate': 'red',
  'guest.config': 'red',
  'service.stop': 'red',
  'container.stop': 'red',
  'docker.restart': 'red',
  'storage.change': 'red',
  'network.change': 'red',
  'node.network': 'red',
  'node.reboot': 'black',
  'node.shutdown': 'black',
  'cluster.config': 'black',
  'storage.format': 'black',
  'firewall.change': 'black',
};

export function isTier(value: unknown): value is Tier {
  return typeof value === 'string' && (TIERS as readonly string[]).includes(value);
}

/** The stricter of two tiers. */
export function stricterTier(a: Tier, b: Tier): Tier {
  return TIER_RANK[a] >= TIER_RANK[b] ? a : b;
}

/**
 * The tier of `kind` after config overrides (kind -> tier name). Overrides only tighten: an
 * override that is looser than the default, or not a tier name, is ignored.
 */
export function effectiveTier(kind: ActionKind, overrides: Readonly<Record<string, string>> = {}): Tier {
  const base = DEFAULT_TIERS[kind];
  const override = Object.prototype.hasOwnProperty.call(overrides, kind) ? overrides[kind] : undefined;
  return isTier(override) ? stricterTier(base, override) : base;
}
