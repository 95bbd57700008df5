/**
 * Views other modules add to the dashboard: each becomes a tab and a route `#/<id>`. `render`
 * gets what the page knows (the store's message tap, the role, whether the live socket is up).
 */
import type { ReactNode } from 'react';
import { AlertsPanel } from './components/alerts-panel.tsx';
import { MemoryView } from './components/memory-view.tsx';
import type { ServerMessage } from '../../src/protocol/index.ts';

export interface ExtraViewContext {
  readonly onMessage: (listener: (message: ServerMessage) => void) => () => void;
  readonly role: string | undefined;
  readonly canAct: boolean;
  readonly connected: boolean;
}

export interface ExtraView {
  readonly id: string;
  readonly label: string;
  readonly render: (context: ExtraViewContext) => ReactNode;
}

export const EXTRA_VIEWS: readonly ExtraView[] = [
  { id: 'alerts', label: 'Alerts', render: (context) => <AlertsPanel onMessage={context.onMessage} canAct={context.canAct} connected={context.connected} /> },
  { id: 'memory', label: 'Memory', render: (context) => <MemoryView role={context.role} /> },
];
