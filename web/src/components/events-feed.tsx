import type { EventDto } from '../../../src/protocol/index.ts';
import { formatClock } from '../lib/format.ts';
import { Section } from './section.tsx';

const SEVERITY: Record<EventDto['severity'], string> = { info: 'ℹ info', warning: '▲ warning', critical: '✖ critical' };

/** Newest-first feed of cluster, monitor, action and system events (the store keeps at most 200). */
export function EventsFeed({ events, loaded, dataTs }: { events: readonly EventDto[]; loaded: boolean; dataTs: number | undefined }) {
  return (
    <Section id="events" title="Events" loading={!loaded} dataTs={dataTs}>
      {events.length === 0 ? (
        <p className="muted">No events yet.</p>
      ) : (
        <ol className="events" aria-live="off">
          {events.slice(0, 50).map((event) => (
            <li key={event.id} className={`event severity-${event.severity}`} data-testid="event" data-type={event.type}>
              <time dateTime={new Date(event.at).toISOString()}>{formatClock(event.at)}</time>{' '}
              <span className={`badge badge-severity-${event.severity}`}>{SEVERITY[event.severity]}</span> {event.summary}
            </li>
          ))}
        </ol>
      )}
    </Section>
  );
}
