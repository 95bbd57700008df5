/** Audit record shape and the pure hash chain. Storage lives in adapters/sqlite. */
export * from './audit-record.ts';
export * from './audit-chain.ts';
