/** Wire contracts shared by the server (src/app/http, src/app/ws) and the dashboard (web/). zod only. */
export * from './cluster.ts';
export * from './snapshot-delta.ts';
export * from './events.ts';
export * from './audit.ts';
export * from './approvals.ts';
export * from './actions.ts';
export * from './outcome.ts';
export * from './http-dtos.ts';
export * from './ws-messages.ts';
export * from './alerts.ts';
export * from './chat.ts';
export * from './memory.ts';
export * from './users.ts';
export * from './guest-detail.ts';
