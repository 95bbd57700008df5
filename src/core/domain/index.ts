export * from './cluster.ts';
export * from './events.ts';
export * from './diff.ts';
export * from './topology.ts';
export * from './action.ts';
export * from './tier.ts';
export * from './guest-name.ts';
