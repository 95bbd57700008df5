/**
 * One LXC action through every surface: MCP tool result (text and structured data) -> chat tool
 * card -> ticket.opened event (the notification text) -> approval card -> executor outcome ->
 * HTTP answer (wire outcome) -> audit rows (and their DTOs) -> offline-mode answer. Each names the
 * container `CT 201`, never `vm 201` / `VM 201`. Real simulator, real adapters, real executor.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { approvalDto, wireOutcome } from '../../src/app/actions/outcome-wire.ts';
import { toolCard } from '../../src/app/agent/tool-card.ts';
import { auditEntryDto } from '../../src/app/http/kernel-dto.ts';
import { auditToolCalls } from '../../src/app/tools/audit-tool-calls.ts';
import { parseOfflineCommand } from '../../src/core/agent/offline/parse-command.ts';
import { offlineWorld } from '../../src/core/agent/offline/world.ts';
import { guestTypeIn } from '../../src/core/domain/guest-name.ts';
import type { DomainEvent } from '../../src/core/ports/events.ts';
import { silentLogger } from '../../src/core/ports/logger.ts';
import { ActionOutcomeSchema } from '../../src/protocol/index.ts';
import { startSimHarness } from './sim-harness.ts';

type Harness = Awaited<ReturnType<typeof startSimHarness>>;
let harness: Harness;
let client: Client;
const events: DomainEvent[] = [];

beforeAll(async () => {
  harness = await startSimHarness({ timeouts: { read: 1500, act: 3000, shell: 1500, docker: 1500 }, pveTimeoutMs: 800 });
  harness.events.onAny((event) => events.push(event));
  client = new Client({ name: 'naming-test', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(harness.url, { requestInit: { headers: { authorization: 'Bearer operator-secret' } } }));
});
afterAll(async () => {
  await client?.close();
  await harness?.close();
});

const CT = /\bCT 201\b/;
/** The wrong names an LXC container had: `vm 201`, `VM 201`, `VMs 201`. */
const WRONG = /\bvm 201\b/i;
function namedAsCt(text: string, where: string): void {
  expect(text, where).toMatch(CT);
  expect(text, where).not.toMatch(WRONG);
}

describe('an LXC container is "CT 201" on every surface', () => {
  it('MCP result, chat card, notification text, approval card, outcome, wire answer, audit rows, offline answer', async () => {
    expect(harness.sim.world.guest(201)).toMatchObject({ type: 'lxc', status: 'running' });

    // MCP: stopping a running container is red -> a ticket.
    const proposed = await client.callTool({ name: 'manage_vm', arguments: { vmid: 201, action: 'stop' } });
    const text = (proposed.content as { text: string }[]).map((part) => part.text).join('\n');
    const data = proposed.structuredContent as Record<string, unknown>;
    expect(data.status, text).toBe('needs-confirmation');
    namedAsCt(text, 'MCP result text');
    namedAsCt(String(data.preview), 'MCP result preview');

    // The chat shows the same result as a card.
    const card = toolCard('c1', 'manage_vm', { vmid: 201, action: 'stop' }, 'act', { ok: true, text, data });
    expect(card.verdict).toBe('needs-confirmation');
    namedAsCt(card.summary, 'chat card');
    namedAsCt(card.ticket?.preview ?? '', 'chat card ticket');

    // The notifiers' text for a ticket comes from ticket.opened.
    const opened = events.find((event) => event.name === 'ticket.opened');
    expect(opened?.name === 'ticket.opened' && opened.payload.ticketId).toBe(data.ticketId);
    namedAsCt(opened?.name === 'ticket.opened' ? opened.payload.summary : '', 'ticket.opened summary (notification)');

    // The approvals queue card (re-planned against the live cluster, as the HTTP service does).
    const stored = await harness.tickets.get(String(data.ticketId));
    if (!stored.ok || !stored.value) throw new Error('ticket not stored');
    const planned = await harness.executor.plan(stored.value.action);
    const queueCard = approvalDto(stored.value, planned.ok ? planned.value : undefined);
    expect(queueCard.target).toBe('CT 201');
    namedAsCt(queueCard.plan.steps.join(' '), 'approval card plan');

    // A human approves: the executor's outcome and the HTTP answer built from it.
    const approved = await harness.executor.approve(String(data.ticketId), { id: 'admin', role: 'admin', kind: 'user' });
    expect(approved.status).toBe('done');
    const wire = wireOutcome(approved);
    expect(ActionOutcomeSchema.parse(wire)).toEqual(wire);
    expect(wire).not.toHaveProperty('decision');
    if (wire.status !== 'done') throw new Error(`expected done, got ${wire.status}`);
    namedAsCt(wire.summary, 'wire outcome summary');
    expect(harness.sim.world.guest(201)?.status).toBe('stopped');

    // Audit: the decision rows name the target CT 201, the result row says what ran.
    const rows = await harness.audit.list({ afterSeq: 0, limit: 100 });
    if (!rows.ok) throw new Error(rows.error.message);
    const about = rows.value.filter((row) => `${row.target ?? ''} ${row.result ?? ''}`.includes('201'));
    expect(about.filter((row) => row.kind === 'decision').length).toBeGreaterThanOrEqual(2);
    for (const row of about) namedAsCt(`${row.target ?? ''} ${row.result ?? ''}`, `audit row ${row.seq} (${row.kind})`);
    for (const row of about.filter((entry) => entry.kind === 'decision')) expect(auditEntryDto(row)).toMatchObject({ action: 'guest.stop', target: 'CT 201' });

    // A repeat is a no-op, named the same way (the tool's own pre-check, then the executor's).
    const again = await client.callTool({ name: 'manage_vm', arguments: { vmid: 201, action: 'stop' } });
    expect(again.structuredContent).toMatchObject({ status: 'done', noOp: true });
    namedAsCt((again.content as { text: string }[]).map((part) => part.text).join('\n'), 'MCP no-op text');

    // The per-call audit row of a tool call names the guest from the last snapshot.
    const snapshot = await harness.api.readSnapshot();
    if (!snapshot.ok) throw new Error(snapshot.error.message);
    const observe = auditToolCalls(harness.audit, { now: () => Date.now() }, silentLogger, (vmid) => guestTypeIn(snapshot.value.guests, vmid));
    await observe({
      tool: 'manage_vm',
      category: 'act',
      actor: { kind: 'mcp-client', clientId: 'naming-test' },
      ok: true,
      status: 'done',
      durationMs: 1,
      input: { vmid: 201, action: 'start' },
    });
    const last = await harness.audit.list({ afterSeq: 0, limit: 1000 });
    namedAsCt(last.ok ? (last.value.at(-1)?.target ?? '') : '', 'tool-call audit row');

    // Offline mode (no model): the parser's answer names the container the same way.
    const offline = parseOfflineCommand('start 201', offlineWorld(snapshot.value));
    expect(offline.kind).toBe('tool');
    namedAsCt(offline.kind === 'tool' ? offline.understood : '', 'offline answer');
  });
});
