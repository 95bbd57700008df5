import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Logger } from '../../core/ports/logger.ts';
import { runShutdown } from './run-shutdown.ts';

function recordingLogger(): { logger: Logger; warnings: { fields: Record<string, unknown>; message: string }[] } {
  const warnings: { fields: Record<string, unknown>; message: string }[] = [];
  const noop = () => undefined;
  const logger = {
    debug: noop,
    info: noop,
    error: noop,
    warn: (fields: Record<string, unknown>, message: string) => warnings.push({ fields, message }),
  } as unknown as Logger;
  return { logger, warnings };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('runShutdown', () => {
  it('runs the steps last first, goes past one that hangs after its timeout and one that throws, and names both', async () => {
    vi.useFakeTimers();
    const order: string[] = [];
    const { logger, warnings } = recordingLogger();
    const done = runShutdown(
      [
        { name: 'stores', run: () => void order.push('stores') },
        { name: 'http server', run: () => new Promise(() => order.push('http server')) },
        { name: 'models', run: () => Promise.reject(new Error('boom')) },
        { name: 'admin socket', run: async () => void order.push('admin socket') },
      ],
      { logger, stepTimeoutMs: 5_000 },
    );
    await vi.advanceTimersByTimeAsync(4_999);
    expect(order).toEqual(['admin socket', 'http server']);
    await vi.advanceTimersByTimeAsync(1);
    const report = await done;
    expect(order).toEqual(['admin socket', 'http server', 'stores']);
    expect(report).toEqual({ timedOut: ['http server'], failed: ['models'] });
    expect(warnings.map((warning) => [warning.fields['step'], warning.message])).toEqual([
      ['models', 'shutdown step failed; going on'],
      ['http server', 'shutdown step did not finish in time; going on without it'],
    ]);
  });

  it('leaves no timer behind when every step finishes', async () => {
    vi.useFakeTimers();
    const { logger, warnings } = recordingLogger();
    const report = await runShutdown(
      [
        { name: 'a', run: () => undefined },
        { name: 'b', run: async () => undefined },
      ],
      { logger },
    );
    expect(report).toEqual({ timedOut: [], failed: [] });
    expect(vi.getTimerCount()).toBe(0);
    expect(warnings).toEqual([]);
  });
});
