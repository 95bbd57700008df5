/** run_diagnostic: one read-only diagnostic from the command catalogue on a node, over SSH (read). */
import { z } from 'zod';
import { jarvisError } from '../../core/errors.ts';
import { COMMAND_IDS, COMMAND_INFO, renderCommand, type CommandId } from '../../core/safety/command-catalogue.ts';
import { nodeField, textField } from './fields.ts';
import { defineTool, failure, READ_ANNOTATIONS, success } from './define-tool.ts';
import { cleanText, provenance, summarize } from './format.ts';

/**
 * The green (read-only) catalogue commands offered to models. Yellow ones belong to
 * execute_remediation; uptime/load are covered by get_resource_usage and pveversion/pvesh_get are
 * left out to keep the definition small (every token is paid on every request).
 */
const HIDDEN: readonly CommandId[] = ['uptime', 'load', 'pveversion', 'pvesh_get'];
export const DIAGNOSTIC_IDS = COMMAND_IDS.filter((id) => COMMAND_INFO[id].tier === 'green' && !HIDDEN.includes(id)) as [CommandId, ...CommandId[]];

/** Picks the parameters the command takes (the catalogue's schemas are strict). */
function paramsFor(id: CommandId, input: { unit?: string | undefined }): Record<string, unknown> {
  switch (id) {
    case 'service_status':
      return { unit: input.unit };
    case 'journal':
      return { unit: input.unit, lines: 50 };
    default:
      return {};
  }
}

export const runDiagnostic = defineTool({
  name: 'run_diagnostic',
  title: 'Run a diagnostic',
  description: 'Run a read-only check on a node over SSH; service_status and journal need unit.',
  category: 'read',
  input: z.object({ node: nodeField, command: z.enum(DIAGNOSTIC_IDS), unit: textField(64).optional() }),
  annotations: READ_ANNOTATIONS,
  timeout: 'shell',
  needs: ['ssh'],
  async handler(input, run) {
    const shell = run.context.shell;
    if (!shell)
      return failure(
        'run_diagnostic',
        jarvisError('SSH_UNREACHABLE', 'SSH is not configured', { retryable: false, hint: 'set ssh.* in the config file; PVE-based tools still work' }),
      );
    const rendered = renderCommand({ id: input.command, params: paramsFor(input.command, input) }, { now: run.now });
    if (!rendered.ok) return failure('run_diagnostic', rendered.error);
    const result = await shell.run(input.node, rendered.value, { signal: run.signal, timeoutMs: run.context.timeouts.shell });
    if (!result.ok) return failure('run_diagnostic', result.error);
    const output = cleanText(result.value.stdout || result.value.stderr, 8000);
    const lines = output.split('\n').filter((line) => line.trim() !== '');
    const header = `Diagnostic ${input.command} on ${input.node}: exit ${result.value.exitCode}${result.value.truncated ? ' (output capped by the runner)' : ''}, ${lines.length} line(s).`;
    const summary = summarize(header, lines, provenance(`ssh:${input.node}:${input.command}`, run.now, input.node), 'use a narrower command or fewer lines');
    return success(summary.text, {
      node: input.node,
      command: input.command,
      exitCode: result.value.exitCode,
      lines: lines.slice(0, summary.shown),
      omitted: summary.omitted,
    });
  },
});
