/** Memory use-cases (see memory-service.ts) and its HTTP routes. */
export * from './memory-service.ts';
export * from './event-records.ts';
export * from './memory-routes.ts';
