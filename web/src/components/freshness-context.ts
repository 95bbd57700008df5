import { createContext, useContext } from 'react';
import { dataAge, DEFAULT_THRESHOLDS, type FreshnessThresholds } from '../lib/freshness.ts';

/** What every section needs to compute an honest data age: local now, server offset, thresholds. */
export interface Freshness {
  readonly now: number;
  readonly offsetMs: number;
  readonly thresholds: FreshnessThresholds;
}

export const FreshnessContext = createContext<Freshness>({ now: 0, offsetMs: 0, thresholds: DEFAULT_THRESHOLDS });

/** Age in ms of data stamped `serverTs` (server clock); undefined when there is no stamp. */
export function useAge(serverTs: number | undefined): number | undefined {
  const freshness = useContext(FreshnessContext);
  return serverTs === undefined ? undefined : dataAge(serverTs, freshness.now, freshness.offsetMs);
}

/** The whole freshness context (clock, server offset, thresholds). */
export function useFreshness(): Freshness {
  return useContext(FreshnessContext);
}
