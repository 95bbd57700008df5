/** manage_vm: start, stop, shut down or reboot one VM/container, through the safety kernel (act). */
import { z } from 'zod';
import { defineTool, failure } from './define-tool.ts';
import { vmidField } from './fields.ts';
import { noop, proposeAndReport } from './act-outcome.ts';
import { clean } from './format.ts';
import { resolveGuest } from './snapshot-access.ts';
import { guestName } from '../../core/domain/guest-name.ts';

export const manageVm = defineTool({
  name: 'manage_vm',
  title: 'Manage a VM or container',
  description: 'Start/stop/shutdown/reboot a VM. Safety rules may deny it or return a ticket for human approval.',
  category: 'act',
  input: z.object({ vmid: vmidField, action: z.enum(['start', 'stop', 'shutdown', 'reboot']) }),
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: false },
  timeout: 'act',
  needs: ['pve'],
  async handler(input, run) {
    const guest = await resolveGuest(run, input.vmid);
    if (!guest.ok) return failure('manage_vm', guest.error);
    const { node, type, status } = guest.value;
    const name = guest.value.name !== undefined ? clean(guest.value.name, 60) : undefined;
    const data = { action: `guest.${input.action}`, target: { type: 'guest', vmid: input.vmid, node }, guestStatus: status };
    const label = guestName(type, input.vmid);
    if (input.action === 'start' && status === 'running') return noop(`start ${label}`, 'it is already running', data);
    if ((input.action === 'stop' || input.action === 'shutdown') && status === 'stopped')
      return noop(`${input.action} ${label}`, 'it is already stopped', data);
    return proposeAndReport(
      'manage_vm',
      {
        kind: `guest.${input.action}`,
        target: { type: 'guest', vmid: input.vmid, node, ...(guest.value.name !== undefined ? { name: guest.value.name.slice(0, 128) } : {}) },
        expectedIdentity: { vmid: input.vmid, node, ...(guest.value.name !== undefined ? { name: guest.value.name.slice(0, 128) } : {}) },
        params: { guestType: type },
        reason: `manage_vm ${input.action} ${input.vmid}${name ? ` (${name})` : ''}`,
      },
      run,
    );
  },
});
