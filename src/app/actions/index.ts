/** The guarded executor and its collaborators. */
export * from './action-runner.ts';
export * from './execution-outcome.ts';
export * from './execute-action.ts';
export * from './run-locked.ts';
export * from './pve-runners.ts';
export * from './emergency-stop.ts';
