/** execute_remediation: one named remediation from the catalogue (restart a service, clear temp files), through the kernel (act). */
import { z } from 'zod';
import { CLEAR_TEMP_PATHS, NODE_NAME, renderCommand, UNIT_NAME } from '../../core/safety/command-catalogue.ts';
import { jarvisError } from '../../core/errors.ts';
import { defineTool, failure } from './define-tool.ts';
import { proposeAndReport } from './act-outcome.ts';

export const executeRemediation = defineTool({
  name: 'execute_remediation',
  title: 'Execute a remediation',
  description:
    'Fix a known problem on a node: restart_service (allowlisted unit) or clear_temp (old files in /tmp, /var/tmp, apt cache). Safety rules decide. For VMs use manage_vm; for containers manage_docker.',
  category: 'act',
  input: z
    .object({
      node: z.string().regex(NODE_NAME),
      remediation: z.enum(['restart_service', 'clear_temp']),
      unit: z.string().regex(UNIT_NAME).optional(),
      path: z.enum(CLEAR_TEMP_PATHS).optional(),
      reason: z.string().max(300).optional(),
    })
    .strict(),
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
  timeout: 'act',
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
          reason: input.reason ?? `restart ${input.unit} on ${input.node}`,
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
        reason: input.reason ?? `clear old files in ${path} on ${input.node}`,
      },
      run,
    );
  },
});
