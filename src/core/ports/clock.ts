/** Time source, injected so the core and tests never read the wall clock directly. */
export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
}
