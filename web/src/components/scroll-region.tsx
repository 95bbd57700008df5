import type { ReactNode } from 'react';

/**
 * A wide table that may scroll sideways on a narrow screen, wrapped as a named region that a
 * keyboard can reach (tab to it, then scroll with the arrow keys): a scrollable area with nothing
 * focusable inside is out of reach without a pointer (axe `scrollable-region-focusable`).
 */
export function ScrollRegion({ label, children }: { label: string; children: ReactNode }): ReactNode {
  return (
    <div className="table-scroll" role="region" aria-label={label} tabIndex={0}>
      {children}
    </div>
  );
}
