/**
 * The HTTP service interfaces over the kernel's real modules (guarded executor, ticket store,
 * audit log). They answer requests only: the facts they cause reach the dashboard over the event
 * bus (src/app/events/hub-feed.ts), never through a wrapper that publishes on their behalf.
 */
export * from './kernel-service-factories.ts';
