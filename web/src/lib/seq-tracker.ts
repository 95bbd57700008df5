/**
 * Sequence checking for the WebSocket stream (DESIGN.md: a client that sees a gap or reconnects
 * refetches full state over HTTP). Pure.
 */
export type SeqVerdict =
  /** The very first message after a (re)connect or refresh: accept it as the baseline. */
  | 'first'
  /** Exactly lastSeq + 1: apply it. */
  | 'next'
  /** Already seen (or older than the HTTP snapshot we hold): ignore it. */
  | 'duplicate'
  /** At least one message was missed: refetch full state over HTTP. */
  | 'gap';

/**
 * Classifies an incoming `seq` against the last applied one.
 * @param lastSeq seq of the last applied message or of the HTTP snapshot; undefined when none.
 */
export function classifySeq(lastSeq: number | undefined, seq: number): SeqVerdict {
  if (lastSeq === undefined) return 'first';
  if (seq === lastSeq + 1) return 'next';
  if (seq <= lastSeq) return 'duplicate';
  return 'gap';
}

/** Mutable holder of the last applied seq with the gap rule; reset on every new connection. */
export class SeqTracker {
  private last: number | undefined;

  /** Last applied seq, or undefined right after a reset. */
  get lastSeq(): number | undefined {
    return this.last;
  }

  /** Forget the baseline (call when a socket opens). */
  reset(): void {
    this.last = undefined;
  }

  /** Set the baseline from a full snapshot (WS `snapshot` or GET /api/state). */
  baseline(seq: number): void {
    this.last = seq;
  }

  /** Classifies `seq` and advances the baseline when the message is to be applied. */
  accept(seq: number): SeqVerdict {
    const verdict = classifySeq(this.last, seq);
    if (verdict === 'first' || verdict === 'next') this.last = seq;
    return verdict;
  }
}
