/** Memory rules (pure): tiers, provenance, poisoning check, facts, selection, consolidation. */
export * from './types.ts';
export * from './decode-views.ts';
export * from './poison-check.ts';
export * from './entities.ts';
export * from './tokens.ts';
export * from './facts.ts';
export * from './select.ts';
export * from './consolidate.ts';
export * from './commands.ts';
