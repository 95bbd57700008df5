/**
 * Audits read tool calls (seed pitfall 2, prevention 5: every command Jarvis executes is logged
 * with time, tool, parameters, target node and result). Every call gets its row before its answer
 * leaves the process (issue 8); acts that reach the kernel also get the executor's decision and
 * result rows (decision row first).
 */
import type { GuestType } from '../../core/domain/cluster.ts';
import { guestName } from '../../core/domain/guest-name.ts';
import type { AuditLog } from '../../core/ports/audit.ts';
import type { Clock } from '../../core/ports/clock.ts';
import type { Logger } from '../../core/ports/logger.ts';
import type { ToolCallEvent } from './tool-context.ts';

/** A guest's kind as the last snapshot knows it (names it `VM 103` / `CT 207` in the row). */
export type GuestTypeOf = (vmid: number) => GuestType | undefined;

function targetOf(input: Readonly<Record<string, unknown>> | undefined, guestTypeOf: GuestTypeOf): string | undefined {
  if (!input) return undefined;
  const parts: string[] = [];
  if (typeof input.node === 'string') parts.push(`node ${input.node}`);
  if (typeof input.vmid === 'number') parts.push(guestName(guestTypeOf(input.vmid), input.vmid));
  if (typeof input.unit === 'string') parts.push(`unit ${input.unit}`);
  if (typeof input.container === 'string') parts.push(`container ${input.container}`);
  return parts.length > 0 ? parts.join(', ') : undefined;
}

/**
 * Returns an `onToolCall` observer that appends one audit row for EVERY tool call — `read` for
 * read tools, `call` for act tools (refused for bad input, no-op, Docker list/logs included) — and
 * resolves only once the row is committed, so runTool returns the answer after its row
 * (write-ahead). `{ ok: false }` when the row could not be written.
 */
export function auditToolCalls(
  audit: AuditLog,
  clock: Clock,
  logger: Logger,
  guestTypeOf: GuestTypeOf = () => undefined,
): (event: ToolCallEvent) => Promise<{ ok: boolean }> {
  return async (event) => {
    const target = targetOf(event.input, guestTypeOf);
    const result = event.ok ? (event.status ? `ok: ${event.status}` : 'ok') : `error: ${event.code ?? 'unknown'}`;
    const written = await audit.append({
      kind: event.category === 'read' ? 'read' : 'call',
      time: clock.now(),
      actor: event.actor,
      tool: event.tool,
      ...(event.input || event.rawInput ? { params: { ...(event.input ?? {}), ...(event.rawInput !== undefined ? { rawInput: event.rawInput } : {}) } } : {}),
      ...(target ? { target } : {}),
      result,
      durationMs: Math.round(event.durationMs),
    });
    if (!written.ok) logger.warn({ tool: event.tool, code: written.error.code }, 'could not audit a tool call');
    return { ok: written.ok };
  };
}

/** The former read-only observer, kept for callers that import it: now audits every call. */
export const auditReadToolCalls = auditToolCalls;
