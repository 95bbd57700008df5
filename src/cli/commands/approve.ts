/**
 * `jarvis approve` lists the pending confirmation tickets of the RUNNING server;
 * `jarvis approve ID [--as NAME]` approves one, `jarvis approve ID --reject [--reason TEXT]` rejects it.
 * It talks to the server through its admin socket (`<dataDir>/admin.sock`, or `--socket PATH`) and
 * the same routes the dashboard uses, so the server's executor re-decides the stored action against
 * its live snapshot, runs it on its cluster, and publishes every fact (an open dashboard updates
 * live). With no server running it refuses (exit 1) and acts on nothing.
 * Exit 0 when listed / done / rejected, 1 when refused, denied, failed or no server runs, 2 on usage errors.
 */
import type { ApprovalDto } from '../../protocol/index.ts';
import { adminClient, localAdminName, type AdminClient } from '../compose/admin-client.ts';
import { loadCommandConfig, parseCommandArgs } from '../compose/command-args.ts';
import { adminSocketPath } from '../compose/jarvis-parts.ts';

/** The outcome fields the CLI prints (read leniently: the outcome DTO may gain fields). */
interface OutcomeView {
  readonly status?: string;
  readonly summary?: string;
  readonly reasons?: readonly string[];
  readonly error?: { readonly code?: string; readonly message?: string; readonly hint?: string };
}

function printOutcome(outcome: OutcomeView): number {
  switch (outcome.status) {
    case 'done':
      process.stdout.write(`done: ${outcome.summary ?? 'the action ran'}\n`);
      return 0;
    case 'denied':
      process.stdout.write(`denied: ${(outcome.reasons ?? []).join('; ')}\n`);
      return 1;
    case 'error':
      process.stdout.write(`error: ${outcome.error?.code ?? ''} ${outcome.error?.message ?? ''}${outcome.error?.hint ? ` (${outcome.error.hint})` : ''}\n`);
      return 1;
    default:
      process.stdout.write(`not done: ${outcome.status ?? 'unknown outcome'}\n`);
      return 1;
  }
}

function describe(ticket: ApprovalDto): string {
  return `${ticket.id}  ${ticket.tier.padEnd(6)}  ${ticket.action} ${ticket.target}  requested by ${ticket.requestedBy}  expires ${new Date(ticket.expiresAt).toISOString()}`;
}

async function list(client: AdminClient): Promise<number> {
  const answer = await client.call('GET', '/api/approvals?status=pending');
  if (!answer.ok) return refused(answer.error);
  const approvals = (answer.value as { approvals?: ApprovalDto[] }).approvals ?? [];
  if (approvals.length === 0) process.stdout.write('no pending tickets\n');
  for (const ticket of approvals) process.stdout.write(`${describe(ticket)}\n`);
  return 0;
}

function refused(error: { code: string; message: string; hint?: string | undefined }): number {
  process.stderr.write(`jarvis approve: ${error.code}: ${error.message}${error.hint ? `\n  fix: ${error.hint}` : ''}\n`);
  return 1;
}

export async function run(args: string[]): Promise<number> {
  const parsed = parseCommandArgs('approve', args);
  if (!parsed.ok) {
    process.stderr.write(`${parsed.error}\n`);
    return 2;
  }
  const options = parsed.value;
  const [ticketId] = options.positionals;
  if (ticketId === undefined && (options.flag('reject') || options.string('reason') !== undefined)) {
    process.stderr.write('jarvis approve: --reject and --reason need a ticket id (see `jarvis approve --help`)\n');
    return 2;
  }
  const loaded = loadCommandConfig(options);
  if (!loaded) return 2;
  const name = localAdminName(options.string('as'), '--as');
  if (!name.ok) {
    process.stderr.write(`jarvis approve: ${name.error}\n`);
    return 2;
  }
  const client = adminClient(options.string('socket') ?? adminSocketPath(loaded.config), name.value);
  if (ticketId === undefined) return list(client);
  const id = encodeURIComponent(ticketId);
  if (options.flag('reject')) {
    const reason = options.string('reason');
    const answer = await client.call('POST', `/api/approvals/${id}/reject`, reason !== undefined ? { reason } : {});
    if (!answer.ok) return refused(answer.error);
    process.stdout.write(`rejected: ticket ${ticketId}${reason ? ` (${reason})` : ''}\n`);
    return 0;
  }
  const answer = await client.call('POST', `/api/approvals/${id}/approve`, {});
  if (!answer.ok) return refused(answer.error);
  return printOutcome(answer.value as OutcomeView);
}
