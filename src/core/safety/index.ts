/** The safety kernel: pure decisions over actions. See docs/safety.md. */
export * from './decision.ts';
export * from './decide.ts';
export * from './blast-radius.ts';
export * from './resolve-target.ts';
export * from './preview.ts';
export * from './command-catalogue.ts';
export * from './canonical-json.ts';
export * from './sha256.ts';
export * from './self-protection.ts';
