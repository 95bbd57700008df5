import type { Role } from '../../../src/protocol/index.ts';
import { href } from '../lib/router.ts';
import type { ExtraView } from '../slots.tsx';

/** The views: overview, backups, tasks & log, approvals, users (admin; others: their account), then slots. */
export function NavTabs({
  page,
  role,
  extra,
  approvalsPending,
}: {
  page: string;
  role: Role | undefined;
  extra: readonly ExtraView[];
  approvalsPending: number;
}) {
  const tabs: { id: string; label: string }[] = [
    { id: 'overview', label: 'Overview' },
    { id: 'backups', label: 'Backups' },
    { id: 'tasks', label: 'Tasks & log' },
    { id: 'approvals', label: `Approvals${approvalsPending ? ` (${approvalsPending})` : ''}` },
    ...extra.map((view) => ({ id: view.id, label: view.label })),
    { id: 'users', label: role === 'admin' ? 'Users' : 'Account' },
  ];
  const current = page === 'guest' || page === 'node' ? 'overview' : page;
  return (
    <nav className="nav-tabs" aria-label="Views">
      {tabs.map((tab) => (
        <a key={tab.id} href={href(tab.id)} aria-current={current === tab.id ? 'page' : undefined} data-testid={`tab-${tab.id}`}>
          {tab.label}
        </a>
      ))}
    </nav>
  );
}
