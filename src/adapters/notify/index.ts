/** Outbound notification channels, one file per channel. */
export * from './email-notifier.ts';
export * from './gotify-notifier.ts';
export * from './http-post.ts';
export * from './ntfy-notifier.ts';
export * from './webhook-notifier.ts';
