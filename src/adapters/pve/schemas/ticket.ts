import { z } from 'zod';
import { bool01, opt } from './lenient.ts';

/** `POST /access/ticket` data; null on failure (answered with 401 anyway). */
export const ticketSchema = z.object({
  username: z.string(),
  ticket: z.string().min(1),
  CSRFPreventionToken: z.string().min(1),
  NeedTFA: opt(bool01),
});

export type TicketData = z.output<typeof ticketSchema>;
