/**
 * A minimal guarded executor for tool/MCP tests, built on the real pure kernel (core/safety
 * decide + tickets) and the FakeWorld actuators: propose -> decide -> run | ticket | deny;
 * approve(ticketId) -> consume once -> re-decide with the ticket -> run the STORED action.
 * Stands in for app/actions until the kernel engineer's executor is wired in.
 */
import type { Action } from '../../src/core/domain/action.ts';
import { SEED_TOPOLOGY } from '../../src/core/domain/topology.ts';
import { jarvisError } from '../../src/core/errors.ts';
import { decide } from '../../src/core/safety/decide.ts';
import { NO_LOCKS, TICKET_TTL_MS, type Ticket } from '../../src/core/safety/decision.ts';
import { renderCommand } from '../../src/core/safety/command-catalogue.ts';
import type { ToolExecutor } from '../../src/app/tools/tool-context.ts';
import type { ExecutionOutcome } from '../../src/app/actions/execution-outcome.ts';
import { approvalDto, taskDto } from '../../src/app/actions/outcome-wire.ts';
import type { FakeWorld } from './fake-world.ts';

export class KernelTestExecutor implements ToolExecutor {
  readonly tickets = new Map<string, Ticket>();
  private next = 1;
  constructor(private readonly world: FakeWorld) {}

  async propose(action: Action): Promise<ExecutionOutcome> {
    const decision = decide(action, this.world.snapshot(), SEED_TOPOLOGY, NO_LOCKS, this.world.now);
    if (decision.verdict === 'deny') return { status: 'denied', reasons: [...decision.reasons], decision };
    if (decision.verdict === 'needs-confirmation') {
      const id = `t-${this.next++}`;
      const expiresAt = this.world.now + TICKET_TTL_MS;
      const ticket: Ticket = {
        id,
        action,
        actionHash: decision.actionHash,
        blastRadius: decision.blastRadius,
        requester: action.actor,
        createdAt: this.world.now,
        expiresAt,
        status: 'pending',
      };
      this.tickets.set(id, ticket);
      return { status: 'needs-confirmation', approval: approvalDto(ticket, decision), decision };
    }
    return this.execute(action, decision.targetLabel);
  }

  /** A human approves: single use; runs the stored action, never a new one. */
  async approve(ticketId: string): Promise<ExecutionOutcome> {
    const ticket = this.tickets.get(ticketId);
    if (!ticket || ticket.status !== 'pending')
      return { status: 'error', error: jarvisError('TICKET_INVALID', `ticket ${ticketId} is not pending (single use)`) };
    this.tickets.set(ticketId, { ...ticket, status: 'consumed' });
    const decision = decide(ticket.action, this.world.snapshot(), SEED_TOPOLOGY, NO_LOCKS, this.world.now, { ticket });
    if (decision.verdict !== 'allow' && decision.verdict !== 'allow-notify') return { status: 'denied', reasons: [...decision.reasons], decision };
    return this.execute(ticket.action, decision.targetLabel);
  }

  private async execute(action: Action, label = 'guest'): Promise<ExecutionOutcome> {
    const target = action.target;
    if (target.type === 'guest') {
      this.world.powerAction(target.vmid, action.kind.split('.')[1]!);
      return {
        status: 'done',
        noOp: false,
        summary: `${action.kind} ${label}`,
        task: taskDto({
          upid: 'UPID:fake',
          node: target.node ?? '?',
          type: 'qm',
          id: String(target.vmid),
          user: 'jarvis',
          starttime: 1,
          status: 'stopped',
          exitstatus: 'OK',
          succeeded: true,
        }),
      };
    }
    if (target.type === 'container') {
      const verb = action.kind.split('.')[1] as 'start' | 'stop' | 'restart';
      const result = await this.world.dockerApi.doContainerAction(target.host, target.name, verb);
      return result.ok
        ? { status: 'done', noOp: false, summary: `${verb} ${target.name}: ${result.value.before} -> ${result.value.after}` }
        : { status: 'error', error: result.error };
    }
    const command =
      action.kind === 'service.restart' && target.type === 'service'
        ? { id: 'service_restart', params: { unit: target.unit } }
        : action.kind === 'cleanup.temp'
          ? { id: 'clear_temp', params: { path: action.params.path } }
          : undefined;
    if (command && (target.type === 'service' || target.type === 'node')) {
      const rendered = renderCommand(command, { now: this.world.now });
      if (!rendered.ok) return { status: 'error', error: rendered.error };
      const result = await this.world.shell.doRun(target.node, rendered.value);
      return result.ok
        ? { status: 'done', noOp: false, summary: `${command.id} exit ${result.value.exitCode}`, output: result.value.stdout }
        : { status: 'error', error: result.error };
    }
    return { status: 'error', error: jarvisError('INTERNAL', `test executor cannot run ${action.kind}`) };
  }
}
