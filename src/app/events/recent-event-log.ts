import type { EventDto, EventsQuery } from '../../protocol/index.ts';
import type { EventLog } from '../http/http-deps.ts';

/**
 * The events feed behind GET /api/events: a bounded ring (the oldest entries are dropped past
 * `capacity`), filled by the hub feed from domain events (cluster changes, action outcomes).
 */
export class RecentEventLog implements EventLog {
  private readonly items: EventDto[] = [];
  private nextId = 1;
  constructor(private readonly capacity = 1000) {}
  /** Stores `event` with the next id and returns it. */
  append(event: Omit<EventDto, 'id'>): EventDto {
    const stored = { ...event, id: this.nextId++ };
    this.items.push(stored);
    if (this.items.length > this.capacity) this.items.splice(0, this.items.length - this.capacity);
    return stored;
  }
  list(query: EventsQuery): EventDto[] {
    const after = query.after ?? 0;
    return this.items.filter((event) => event.id > after).slice(-query.limit);
  }
}
