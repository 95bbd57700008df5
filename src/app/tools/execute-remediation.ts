/** execute_remediation: one named remediation from the catalogue (restart a service, clear temp files), through the kernel (act). */
import { z } from 'zod';
import { CLEAR_TEMP_PATHS, renderCommand } from '../../core/safety/command-catalogue.ts';
import { nodeField, unitField } from './fields.ts';
import { jarvisError } from '../../core/errors.ts';
import { defineTool, failure } from './define-tool.ts';
import { proposeAndReport } from './act-outcome.ts';

export const executeRemediation = defineTool({
  name: 'execute_remediation',
  title: 'Execute a remediation',
  description: 'Node fix: restart_service (needs unit) or clear_temp (old files in path). Safety rules decide.',
  category: 'act',
  input: z.object({
    node: nodeField,
    remediation: z.enum(['restart_service', 'clear_temp']),
    unit: unitField.optional(),
    path: z.enum(CLEAR_TEMP_PATHS).optional(),
  }),
  // Not idempotent: restart_service restarts again on every call.
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: false },
  timeout: 'act',
  needs: ['pve', 'ssh'],
  async handler(input, run) {
    if (input.remediation === 'restart_service') {
      if (!input.unit) return failure('execute_remediation', jarvisError('INVALID_INPUT', 'restart_service needs unit', { hint: 'e.g. unit=pveproxy' }));
      // Validate against the catalogue now (allowlist, protected units) so a bad unit fails before the kernel.
      const rendered = renderCommand({ id: 'service_restart', params: { unit: input.unit } }, { now: run.now });
      if (!rendered.ok) return failure('execute_remediation', rendered.error);
      return proposeAndReport(
        'execute_remediation',
        {
          kind: 'service.restart',
          target: { type: 'service', node: input.node, unit: input.unit },
          reason: `restart ${input.unit} on ${input.node}`,
        },
        run,
      );
    }
    const path = input.path ?? '/tmp';
    return proposeAndReport(
      'execute_remediation',
      {
        kind: 'cleanup.temp',
        target: { type: 'node', node: input.node },
        params: { path },
        reason: `clear old files in ${path} on ${input.node}`,
      },
      run,
    );
  },
});
