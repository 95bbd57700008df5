/**
 * The HTTP service interfaces over the kernel's real modules (guarded executor, ticket store,
 * audit log). `kernelHttpServices` is the one call create-jarvis makes; the single factories are
 * exported for tests and other compositions.
 */
export * from './kernel-service-factories.ts';
export * from './kernel-http-services.ts';
