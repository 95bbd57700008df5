/**
 * Audits read tool calls (seed pitfall 2, prevention 5: every command Jarvis executes is logged
 * with time, tool, parameters, target node and result). Acts are audited by the guarded executor
 * (decision row first); reads — diagnostics run on a node over SSH included — get one `read` row
 * after they ran. Best effort: a read is never blocked by the audit log, but a failed write is logged.
 */
import type { AuditLog } from '../../core/ports/audit.ts';
import type { Clock } from '../../core/ports/clock.ts';
import type { Logger } from '../../core/ports/logger.ts';
import type { ToolCallEvent } from './tool-context.ts';

function targetOf(input: Readonly<Record<string, unknown>> | undefined): string | undefined {
  if (!input) return undefined;
  const parts: string[] = [];
  if (typeof input.node === 'string') parts.push(`node ${input.node}`);
  if (typeof input.vmid === 'number') parts.push(`vm ${input.vmid}`);
  if (typeof input.unit === 'string') parts.push(`unit ${input.unit}`);
  if (typeof input.container === 'string') parts.push(`container ${input.container}`);
  return parts.length > 0 ? parts.join(', ') : undefined;
}

/** Returns an `onToolCall` observer that appends a `read` audit row for every read tool call. */
export function auditReadToolCalls(audit: AuditLog, clock: Clock, logger: Logger): (event: ToolCallEvent) => void {
  return (event) => {
    if (event.category !== 'read') return;
    const target = targetOf(event.input);
    void audit
      .append({
        kind: 'read',
        time: clock.now(),
        actor: event.actor,
        tool: event.tool,
        ...(event.input ? { params: event.input } : {}),
        ...(target ? { target } : {}),
        result: event.ok ? 'ok' : `error: ${event.code ?? 'unknown'}`,
        durationMs: Math.round(event.durationMs),
      })
      .then((written) => {
        if (!written.ok) logger.warn({ tool: event.tool, code: written.error.code }, 'could not audit a read tool call');
      });
  };
}
