/** Deterministic anomaly detection and the alert/autonomy/notification rules around it (pure). */
export * from './types.ts';
export * from './history.ts';
export * from './rules.ts';
export * from './alert-book.ts';
export * from './autonomy.ts';
export * from './cadence.ts';
export * from './notify-routing.ts';
export * from './windows.ts';
