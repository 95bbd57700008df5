/**
 * Views other modules add to the dashboard (the lead mounts them here): each becomes a tab and a
 * route `#/<id>`. `alertCount` (optional) feeds the health strip's Alerts chip.
 * Example: { id: 'memory', label: 'Memory', render: () => <MemoryView /> }.
 */
import type { ReactNode } from 'react';

export interface ExtraView {
  readonly id: string;
  readonly label: string;
  readonly render: () => ReactNode;
}

export const EXTRA_VIEWS: readonly ExtraView[] = [
  { id: 'alerts', label: 'Alerts', render: () => <p className="muted">Alerts (monitor) are not mounted in this build.</p> },
  { id: 'memory', label: 'Memory', render: () => <p className="muted">The memory view is not mounted in this build.</p> },
];
