/**
 * Input fields shared by the tools, written so that their JSON schema stays tiny (the definitions
 * are paid for in every request's tokens: see scripts/tool-token-report.ts). Patterns and bounds
 * are checked with `refine`, which validates at runtime but emits nothing into the JSON schema;
 * `z.number().int()` is avoided because it emits ±2^53 bounds.
 */
import { z } from 'zod';
import { NODE_NAME, UNIT_NAME } from '../../core/safety/command-catalogue.ts';

/** A cluster node name (DNS label). */
export const nodeField = z.string().refine((value) => NODE_NAME.test(value), 'node must be a node name like pve or agent1');
/** A systemd unit without `.service`. */
export const unitField = z.string().refine((value) => UNIT_NAME.test(value) && !value.includes('..'), 'unit must be a unit name like pveproxy');
/** A VMID (integer >= 100). */
export const vmidField = z.number().refine((value) => Number.isInteger(value) && value >= 100 && value <= 999_999_999, 'vmid must be an integer >= 100');
/** A positive integer in [min, max]. */
export const countField = (min: number, max: number) =>
  z.number().refine((value) => Number.isInteger(value) && value >= min && value <= max, `must be an integer from ${min} to ${max}`);
/** Free text up to `max` characters. */
export const textField = (max: number) => z.string().refine((value) => value.length <= max, `at most ${max} characters`);
/** A name matching `pattern` (containers, docker hosts). */
export const nameField = (pattern: RegExp, what: string) => z.string().refine((value) => pattern.test(value), `${what} is not a valid name`);
