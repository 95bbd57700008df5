import { describe, expect, it } from 'vitest';
import { RingBuffer } from './ring-buffer.ts';

describe('RingBuffer', () => {
  it('keeps values oldest first until full', () => {
    const buffer = new RingBuffer(3);
    buffer.push(1);
    buffer.push(2);
    expect(buffer.length).toBe(2);
    expect(buffer.toArray()).toEqual([1, 2]);
    expect(buffer.last()).toBe(2);
  });

  it('drops the oldest value when full and never exceeds its capacity', () => {
    const buffer = new RingBuffer(300);
    for (let value = 0; value < 10_000; value += 1) buffer.push(value);
    expect(buffer.length).toBe(300);
    expect(buffer.at(0)).toBe(9_700);
    expect(buffer.last()).toBe(9_999);
    expect(buffer.toArray()).toHaveLength(300);
  });

  it('returns undefined outside its range and when empty', () => {
    const buffer = new RingBuffer(2);
    expect(buffer.last()).toBeUndefined();
    buffer.push(5);
    expect(buffer.at(-1)).toBeUndefined();
    expect(buffer.at(1)).toBeUndefined();
  });

  it('reuses the target array when its length matches', () => {
    const buffer = new RingBuffer(2);
    buffer.push(1);
    buffer.push(2);
    buffer.push(3);
    const target = [0, 0];
    expect(buffer.toArray(target)).toBe(target);
    expect(target).toEqual([2, 3]);
  });

  it('clear empties it', () => {
    const buffer = new RingBuffer(2);
    buffer.push(1);
    buffer.clear();
    expect(buffer.length).toBe(0);
    expect(buffer.toArray()).toEqual([]);
  });

  it('rejects a non-positive capacity', () => {
    expect(() => new RingBuffer(0)).toThrow(RangeError);
  });
});
