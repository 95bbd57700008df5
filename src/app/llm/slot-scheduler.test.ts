import { describe, expect, it } from 'vitest';
import { SlotScheduler, type SchedulerCapacity, type SlotLease } from './slot-scheduler.ts';

function setup(capacity: SchedulerCapacity, reservedUserSlots = 1) {
  const timers: Array<{ callback: () => void; ms: number; cancelled: boolean }> = [];
  const shed: string[] = [];
  const scheduler = new SlotScheduler({
    capacity: () => capacity,
    reservedUserSlots,
    backgroundWaitMs: 30_000,
    now: () => 0,
    setTimer: (callback, ms) => {
      const timer = { callback, ms, cancelled: false };
      timers.push(timer);
      return () => {
        timer.cancelled = true;
      };
    },
    onShed: (reason) => shed.push(reason),
  });
  const fire = (): void => timers.filter((timer) => !timer.cancelled).forEach((timer) => timer.callback());
  return { scheduler, fire, shed };
}

const lease = async (promise: Promise<unknown>): Promise<SlotLease> => {
  const result = (await promise) as { ok: boolean; value: SlotLease };
  expect(result.ok).toBe(true);
  return result.value;
};

describe('SlotScheduler', () => {
  it('4 slots, 10 background + 1 user: the user starts at once on the reserved slot', async () => {
    const { scheduler } = setup({ slots: 4, slotContext: 1024, sharedPool: false }, 1);
    const background = Array.from({ length: 10 }, () => scheduler.acquire({ requestClass: 'background', tokens: 500 }));
    expect(scheduler.stats()).toEqual({ running: { user: 0, background: 3 }, queued: { user: 0, background: 7 } });
    const user = await lease(scheduler.acquire({ requestClass: 'user', tokens: 500 }));
    expect(user.waitedMs).toBe(0);
    expect(scheduler.stats().running).toEqual({ user: 1, background: 3 });
    const first = await lease(background[0]!);
    expect(first.preempted()).toBe(false);
  });

  it('preempts the youngest background request when no slot is free for the user', async () => {
    const { scheduler } = setup({ slots: 2, slotContext: 1024, sharedPool: false }, 0);
    const oldest = await lease(scheduler.acquire({ requestClass: 'background', tokens: 10 }));
    const youngest = await lease(scheduler.acquire({ requestClass: 'background', tokens: 10 }));
    const user = await lease(scheduler.acquire({ requestClass: 'user', tokens: 10 }));
    expect(youngest.signal.aborted).toBe(true);
    expect(youngest.preempted()).toBe(true);
    expect(oldest.signal.aborted).toBe(false);
    expect(user.slotId).toBe(youngest.slotId);
    youngest.release(); // releasing a preempted lease frees nothing twice
    expect(scheduler.stats().running).toEqual({ user: 1, background: 1 });
  });

  it('a user waits only behind other users, FIFO', async () => {
    const { scheduler } = setup({ slots: 1, slotContext: 1024, sharedPool: false }, 0);
    const first = await lease(scheduler.acquire({ requestClass: 'user', tokens: 10 }));
    let secondStarted = false;
    const second = scheduler.acquire({ requestClass: 'user', tokens: 10 }).then((result) => {
      secondStarted = true;
      return result;
    });
    await Promise.resolve();
    expect(secondStarted).toBe(false);
    first.release();
    expect((await second).ok).toBe(true);
  });

  it('sheds background work after the bounded wait with a reason', async () => {
    const { scheduler, fire, shed } = setup({ slots: 2, slotContext: 1024, sharedPool: false }, 1);
    await lease(scheduler.acquire({ requestClass: 'background', tokens: 10 }));
    const waiting = scheduler.acquire({ requestClass: 'background', tokens: 10 });
    fire();
    const result = await waiting;
    expect(result).toMatchObject({ ok: false, error: { code: 'LLM_SHED' } });
    expect(shed[0]).toContain('waiting 30 s');
  });

  it('keeps the sum of reservations within a shared pool', async () => {
    const { scheduler } = setup({ slots: 4, slotContext: 4096, sharedPool: true }, 0);
    await lease(scheduler.acquire({ requestClass: 'background', tokens: 3000 }));
    const second = scheduler.acquire({ requestClass: 'background', tokens: 2000 });
    expect(scheduler.stats().queued.background).toBe(1);
    const user = await lease(scheduler.acquire({ requestClass: 'user', tokens: 2000 }));
    expect(user.slotId).toBe(0);
    // the preempted 3000-token request left; the queued 2000 fits beside the user's 2000
    expect(scheduler.stats().running).toEqual({ user: 1, background: 1 });
    expect((await second).ok).toBe(true);
    const third = scheduler.acquire({ requestClass: 'background', tokens: 500 });
    expect(scheduler.stats().queued.background).toBe(1);
    user.release();
    expect((await third).ok).toBe(true);
  });

  it('gives a conversation its previous slot when free, and cancels a queued request on abort', async () => {
    const { scheduler } = setup({ slots: 2, slotContext: 1024, sharedPool: false }, 0);
    const a = await lease(scheduler.acquire({ requestClass: 'user', tokens: 1, conversationId: 'x' }));
    const b = await lease(scheduler.acquire({ requestClass: 'user', tokens: 1, conversationId: 'y' }));
    a.release();
    b.release();
    expect((await lease(scheduler.acquire({ requestClass: 'user', tokens: 1, conversationId: 'y' }))).slotId).toBe(b.slotId);
    const controller = new AbortController();
    await lease(scheduler.acquire({ requestClass: 'user', tokens: 1 }));
    const queued = scheduler.acquire({ requestClass: 'user', tokens: 1, signal: controller.signal });
    controller.abort();
    expect(await queued).toMatchObject({ ok: false, error: { code: 'LLM_TIMEOUT' } });
    expect(scheduler.stats().queued.user).toBe(0);
  });
});
