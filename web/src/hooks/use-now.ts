import { useEffect, useState } from 'react';

/** Local epoch ms, re-rendering every `intervalMs` (ages keep counting while no data arrives). */
export function useNow(intervalMs = 1_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}
