/** Interfaces the app needs from the outside world. One file per port under ./ports/. */
export * from './ports/cluster.ts';
export * from './ports/clock.ts';
export * from './ports/logger.ts';
export * from './ports/auth.ts';
export * from './ports/shell.ts';
export * from './ports/docker.ts';
export * from './ports/audit.ts';
export * from './ports/tickets.ts';
export * from './ports/settings.ts';
export * from './ports/locks.ts';
export * from './ports/events.ts';
export * from './ports/memory.ts';
