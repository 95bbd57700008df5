/**
 * A fixed-capacity ring buffer of numbers backed by a preallocated Float64Array.
 * Pushing into a full buffer overwrites the oldest value; memory never grows past `capacity`.
 * This is the only container the dashboard uses for time series (seed pitfall 4: never an
 * unbounded `array.push`).
 */
export class RingBuffer {
  readonly capacity: number;
  private readonly values: Float64Array;
  private start = 0;
  private count = 0;

  /** @param capacity maximum number of values kept (> 0). */
  constructor(capacity: number) {
    if (!Number.isInteger(capacity) || capacity <= 0) throw new RangeError(`RingBuffer capacity must be a positive integer, got ${capacity}`);
    this.capacity = capacity;
    this.values = new Float64Array(capacity);
  }

  /** Number of values currently held (0..capacity). */
  get length(): number {
    return this.count;
  }

  /** Appends a value; when full, drops the oldest. O(1), no allocation. */
  push(value: number): void {
    if (this.count < this.capacity) {
      this.values[(this.start + this.count) % this.capacity] = value;
      this.count += 1;
    } else {
      this.values[this.start] = value;
      this.start = (this.start + 1) % this.capacity;
    }
  }

  /** Value at logical index (0 = oldest); undefined when out of range. */
  at(index: number): number | undefined {
    if (index < 0 || index >= this.count) return undefined;
    return this.values[(this.start + index) % this.capacity];
  }

  /** Newest value, or undefined when empty. */
  last(): number | undefined {
    return this.at(this.count - 1);
  }

  /** Empties the buffer (keeps its storage). */
  clear(): void {
    this.start = 0;
    this.count = 0;
  }

  /**
   * Copies the values, oldest first, into `target` (reused when it has the right length,
   * so a chart can redraw without allocating) and returns it.
   */
  toArray(target?: number[]): number[] {
    const out = target && target.length === this.count ? target : new Array<number>(this.count);
    for (let index = 0; index < this.count; index += 1) out[index] = this.values[(this.start + index) % this.capacity]!;
    return out;
  }
}
