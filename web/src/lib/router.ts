/** Hash routes (links work without server support): #/, #/guest/101, #/node/pve, #/backups, #/tasks, #/users, #/<slot>, #alert-<id>, #approval-<id>. */
import { useEffect, useState } from 'react';

export interface Route {
  readonly page: string;
  readonly param: string | undefined;
}

export function parseRoute(hash: string): Route {
  // `#alert-<id>` (the link in alert notifications) opens the alerts view on that alert.
  const alert = /^#alert-([A-Za-z0-9_-]{1,100})$/.exec(hash);
  if (alert) return { page: 'alerts', param: alert[1] };
  // `#approval-<id>` (the monitor's red-ticket push) opens the approvals view on that ticket.
  const approval = /^#approval-([A-Za-z0-9_-]{1,100})$/.exec(hash);
  if (approval) return { page: 'approvals', param: approval[1] };
  const parts = hash
    .replace(/^#\/?/, '')
    .split('/')
    .filter(Boolean)
    .map((part) => decodeURIComponent(part));
  return { page: parts[0] ?? 'overview', param: parts[1] };
}

export function href(page: string, param?: string | number): string {
  return param === undefined ? `#/${page}` : `#/${page}/${encodeURIComponent(String(param))}`;
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(window.location.hash));
  useEffect(() => {
    const update = () => setRoute(parseRoute(window.location.hash));
    window.addEventListener('hashchange', update);
    return () => window.removeEventListener('hashchange', update);
  }, []);
  return route;
}
