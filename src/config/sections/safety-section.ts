import { z } from 'zod';
import { defineSection } from './config-section.ts';
import { nodeName, vmid } from './fields.ts';

const DAY_NAMES = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
const clockTime = z.string({ error: 'expected a time HH:MM (UTC)' }).regex(/^(?:[01]\d|2[0-3]):[0-5]\d$|^24:00$/, { error: 'expected a time HH:MM (UTC)' });

const maintenanceWindow = z.strictObject({
  /** Days (UTC) as names (mon..sun) or numbers (0 = Sunday); empty or absent = every day. */
  days: z.array(z.union([z.enum(DAY_NAMES), z.number().int().min(0).max(6)], { error: 'expected day names (mon..sun) or numbers 0-6' })).default([]),
  start: clockTime,
  end: clockTime,
});

/**
 * `safety`: owner policy for the kernel beyond the protected set — targets never acted on,
 * maintenance windows (no autonomous act), and stricter tiers per action kind (the kernel ignores
 * any override that would loosen a tier).
 */
export const safetySection = defineSection({
  key: 'safety',
  description: 'never-act lists, maintenance windows and stricter tier overrides',
  schema: z.strictObject({
    neverAct: z
      .strictObject({
        /** Default: the nodes whose role is watchdog. */
        nodes: z.array(nodeName).optional(),
        guests: z.array(vmid).default([]),
        containers: z
          .array(z.string().regex(/^docker@\d+\/[A-Za-z0-9][A-Za-z0-9_.-]*$/, { error: 'expected host/container like docker@103/jarvis' }))
          .default([]),
      })
      .prefault({}),
    maintenanceWindows: z.array(maintenanceWindow, { error: 'expected a list of { days?, start, end }' }).default([]),
    tierOverrides: z.record(z.string(), z.enum(['green', 'yellow', 'red', 'black'], { error: 'expected one of green, yellow, red, black' })).default({}),
    /** Two-person rule: a red action needs a second human; no inline self-confirmation in the dashboard. */
    twoPersonRule: z.boolean({ error: 'expected true or false' }).default(false),
  }),
});

/** Day name or number -> 0..6 (0 = Sunday). */
export function dayNumber(day: (typeof DAY_NAMES)[number] | number): number {
  return typeof day === 'number' ? day : DAY_NAMES.indexOf(day);
}
