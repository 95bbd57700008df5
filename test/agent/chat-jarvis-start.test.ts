/**
 * The chat through `jarvis start` on the embedded simulator (real PVE client, kernel, executor,
 * audit, SQLite conversations): a streamed conversation over `/ws?chat=1` where a scripted model
 * proposes a red action, the turn stops with the ticket, and the signed-in human approves it;
 * POST /api/chat for scripts; offline mode when the model is down; conversations listed, resumed
 * and deleted per user.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startJarvis, type RunningJarvis } from '../../src/cli/compose/start-jarvis.ts';
import { silentLogger } from '../../src/core/ports/logger.ts';
import { ChatServerFrameSchema, type ChatServerFrame } from '../../src/protocol/chat.ts';
import { connect, until } from '../http/ws-client.ts';
import { ScriptedGateway, callTool, reply } from './scripted-gateway.ts';

let running: RunningJarvis;
let dir: string;
let cookie: string;
let down = false;
const gateway = new ScriptedGateway([
  (request) => {
    if (down) return { ok: false, error: { code: 'LLM_UNAVAILABLE', message: 'llama-server refused the connection', retryable: true } };
    return request.messages.some((message) => message.role === 'tool') ? reply('unused') : callTool('manage_vm', { vmid: 101, action: 'reboot' });
  },
]);

async function login(): Promise<string> {
  const response = await fetch(`${running.url}/api/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: running.url },
    body: JSON.stringify({ username: 'admin', password: running.admin.generatedPassword }),
  });
  return (response.headers.get('set-cookie') ?? '').split(';')[0]!;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'jarvis-chat-'));
  const started = await startJarvis({
    argv: ['--port', '0', '--poll-interval-ms', '60000'],
    env: { JARVIS_DATA_DIR: join(dir, 'data') },
    cwd: dir,
    simulator: { seed: 1, authDelayMs: 0, taskDurationMs: 50, metricsIntervalMs: 0 },
    buildWeb: false,
    logger: silentLogger,
    defaultMetrics: false,
    modelGateway: gateway,
  });
  if (!started.ok) throw new Error(started.error.message);
  running = started.value;
  await running.jarvis.poller.tick();
  cookie = await login();
});

afterAll(async () => {
  await running?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('chat through jarvis start', () => {
  it('streams a turn whose red proposal stops at a ticket the human then approves', async () => {
    const client = await connect(`${running.url.replace('http', 'ws')}/ws?chat=1`, { cookie, origin: running.url });
    client.socket.send(JSON.stringify({ type: 'chat-send', requestId: 'r1', message: 'why is vm 101 so slow? reboot it if you think that helps' }));
    await until(() => client.frames.some((frame) => frame.type === 'chat-turn-end' || frame.type === 'chat-error'), 'turn end');
    const frames = client.frames.map((frame) => ChatServerFrameSchema.parse(frame));
    expect(frames.map((frame) => frame.seq)).toEqual(frames.map((_frame, index) => index + 1));
    expect(frames.map((frame) => frame.type)).toEqual(['chat-turn-start', 'chat-tool-call', 'chat-turn-end']);
    const end = frames.at(-1) as Extract<ChatServerFrame, { type: 'chat-turn-end' }>;
    const answer = end.payload.answer;
    expect(answer).toMatchObject({ stoppedBy: 'needs-confirmation', category: 'complex', origin: { kind: 'model', model: 'qwen-test' } });
    const card = answer.toolCalls[0]!;
    expect(card).toMatchObject({ tool: 'manage_vm', input: { vmid: 101, action: 'reboot' }, verdict: 'needs-confirmation' });
    // The signed-in human approves the model's proposal (the trust rules allow a human to approve a model's proposal).
    const approved = await fetch(`${running.url}/api/approvals/${card.ticket!.id}/approve`, { method: 'POST', headers: { cookie, origin: running.url } });
    expect(approved.status).toBe(200);
    expect(await approved.json()).toMatchObject({ status: 'done' });
    // The model is the proposer in the audit log.
    const audit = (await (await fetch(`${running.url}/api/audit?limit=50`, { headers: { cookie } })).json()) as { entries: { actor: string }[] };
    expect(audit.entries.some((entry) => entry.actor.startsWith('model:qwen-test'))).toBe(true);
    client.socket.close();
  });

  it('answers POST /api/chat in offline mode when the model is down, and keeps the conversation', async () => {
    down = true;
    const response = await fetch(`${running.url}/api/chat`, {
      method: 'POST',
      headers: { cookie, origin: running.url, 'content-type': 'application/json' },
      body: JSON.stringify({ message: 'why is agent1 busy? show its usage' }),
    });
    down = false;
    expect(response.status).toBe(200);
    const body = (await response.json()) as {
      conversationId: string;
      origin: { kind: string };
      escalation?: string;
      toolCalls: { tool: string }[];
      mode: string;
    };
    expect(body).toMatchObject({ mode: 'offline', origin: { kind: 'offline' }, escalation: expect.stringMatching(/LLM_UNAVAILABLE/) });
    expect(body.toolCalls.map((call) => call.tool)).toEqual(['get_resource_usage']);

    const list = (await (await fetch(`${running.url}/api/chat/conversations`, { headers: { cookie } })).json()) as { conversations: { id: string }[] };
    expect(list.conversations.map((c) => c.id)).toContain(body.conversationId);
    const resumed = (await (await fetch(`${running.url}/api/chat/conversations/${body.conversationId}`, { headers: { cookie } })).json()) as {
      entries: { role: string }[];
    };
    expect(resumed.entries.map((entry) => entry.role)).toEqual(['user', 'assistant']);
    const deleted = await fetch(`${running.url}/api/chat/conversations/${body.conversationId}`, { method: 'DELETE', headers: { cookie, origin: running.url } });
    expect(deleted.status).toBe(200);
    expect((await fetch(`${running.url}/api/chat/conversations/${body.conversationId}`, { headers: { cookie } })).status).toBe(404);
  });

  it('answers a fully understood routine request on the offline fast path without calling the model', async () => {
    const before = gateway.requests.length;
    const response = await fetch(`${running.url}/api/chat`, {
      method: 'POST',
      headers: { cookie, origin: running.url, 'content-type': 'application/json' },
      body: JSON.stringify({ message: 'status of vm 101' }),
    });
    const body = (await response.json()) as { origin: { kind: string }; toolCalls: { tool: string; input: unknown }[] };
    expect(body.origin.kind).toBe('offline');
    expect(body.toolCalls).toEqual([expect.objectContaining({ tool: 'get_resource_usage', input: { vmid: 101 } })]);
    expect(gateway.requests.length).toBe(before);
  });

  it('answers POST /api/chat in offline mode with the AI switched off, without calling the model', async () => {
    const setAi = (aiEnabled: boolean) =>
      fetch(`${running.url}/api/settings`, {
        method: 'PUT',
        headers: { cookie, origin: running.url, 'content-type': 'application/json' },
        body: JSON.stringify({ aiEnabled }),
      });
    expect((await setAi(false)).status).toBe(200);
    try {
      const before = gateway.requests.length;
      const status = (await (await fetch(`${running.url}/api/chat/status`, { headers: { cookie } })).json()) as { mode: string };
      expect(status.mode).toBe('off');
      const response = await fetch(`${running.url}/api/chat`, {
        method: 'POST',
        headers: { cookie, origin: running.url, 'content-type': 'application/json' },
        body: JSON.stringify({ message: 'why is agent1 busy? show its usage' }),
      });
      expect(response.status).toBe(200);
      const body = (await response.json()) as { mode: string; origin: { kind: string }; escalation?: string; toolCalls: { tool: string }[] };
      expect(body).toMatchObject({ mode: 'offline', origin: { kind: 'offline', label: 'offline mode' }, escalation: 'AI is off' });
      expect(body.toolCalls.map((call) => call.tool)).toEqual(['get_resource_usage']);
      expect(gateway.requests.length).toBe(before);
    } finally {
      expect((await setAi(true)).status).toBe(200);
    }
  });
});
