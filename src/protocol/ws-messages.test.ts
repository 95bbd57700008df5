import { describe, expect, it } from 'vitest';
import { ServerFrameSchema, unpackFrame } from './ws-messages.ts';

describe('ws frames', () => {
  it('accepts a batch and unpacks it in order', () => {
    const frame = ServerFrameSchema.parse({
      type: 'batch',
      seq: 7,
      ts: 123,
      payload: {
        messages: [
          { type: 'heartbeat', payload: {} },
          { type: 'settings-change', payload: { aiEnabled: false } },
        ],
      },
    });
    expect(unpackFrame(frame).map((message) => message.type)).toEqual(['heartbeat', 'settings-change']);
  });

  it('rejects a frame without seq or ts', () => {
    expect(ServerFrameSchema.safeParse({ type: 'heartbeat', payload: {} }).success).toBe(false);
    expect(ServerFrameSchema.safeParse({ type: 'heartbeat', seq: 1, payload: {} }).success).toBe(false);
    expect(ServerFrameSchema.safeParse({ type: 'heartbeat', seq: 1, ts: 5, payload: {} }).success).toBe(true);
  });

  it('unpacks a single message frame to itself', () => {
    const frame = ServerFrameSchema.parse({ type: 'freeze-change', seq: 2, ts: 9, payload: { frozen: true } });
    expect(unpackFrame(frame)).toHaveLength(1);
  });
});
