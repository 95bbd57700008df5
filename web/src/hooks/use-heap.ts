/**
 * Heap indicator (seed pitfall 4, prevention 6): samples performance.memory (Chromium only) every
 * 5 s; above `limitBytes` calls `onExceeded` once per crossing (the dashboard then does a controlled
 * reconnect that resets its buffers). Returns undefined where the browser does not expose it.
 */
import { useEffect, useRef, useState } from 'react';

interface PerformanceMemory {
  readonly usedJSHeapSize: number;
  readonly jsHeapSizeLimit: number;
}

export const DEFAULT_HEAP_LIMIT = 256 * 1024 * 1024;

function readHeap(): number | undefined {
  const memory = (performance as unknown as { memory?: PerformanceMemory }).memory;
  return memory ? memory.usedJSHeapSize : undefined;
}

export function useHeap(limitBytes: number, onExceeded: () => void): number | undefined {
  const [used, setUsed] = useState<number | undefined>(() => readHeap());
  const callback = useRef(onExceeded);
  callback.current = onExceeded;
  const above = useRef(false);
  useEffect(() => {
    const timer = setInterval(() => {
      const value = readHeap();
      setUsed(value);
      if (value === undefined) return;
      if (value > limitBytes && !above.current) {
        above.current = true;
        callback.current();
      } else if (value <= limitBytes) above.current = false;
    }, 5_000);
    return () => clearInterval(timer);
  }, [limitBytes]);
  return used;
}
