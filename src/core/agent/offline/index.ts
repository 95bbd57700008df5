/** Offline command mode (pure): parse one request against the live names. */
export { parseOfflineCommand, OFFLINE_HELP } from './parse-command.ts';
export { offlineWorld } from './world.ts';
export type { OfflineCommand, OfflineCommandKind, OfflineWorld } from './types.ts';
