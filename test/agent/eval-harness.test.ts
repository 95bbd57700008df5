import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EVAL_CASES } from '../../scripts/eval/cases.ts';
import { offlineRunner, openAiRunner, report, runEval, score, type Attempt } from '../../scripts/eval/run-eval.ts';
import { parseEvalArgs } from '../../scripts/eval-tools.ts';
import { HELD_OUT_CASES } from '../../scripts/eval/held-out-cases.ts';
import { normalizeRequestText } from '../../src/core/llm/classify.ts';
import { OFFLINE_PHRASINGS } from '../corpus/offline-phrasings.ts';
import { PERSONA } from '../../src/core/agent/persona.ts';
import { startLlamaServerFake, type LlamaServerFake } from '../../src/sim/llm/index.ts';
import { classifyForWorld } from '../../src/core/agent/classify-for-world.ts';
import { SEED_WORLD } from './offline-world.ts';

const fixedClock = () => 0;

describe('eval harness', () => {
  it('has at least 60 labelled cases with calls, clarify and refuse', () => {
    expect(EVAL_CASES.length).toBeGreaterThanOrEqual(60);
    expect(EVAL_CASES.filter((c) => typeof c.expected === 'object').length).toBeGreaterThanOrEqual(30);
    expect(EVAL_CASES.filter((c) => c.expected === 'clarify').length).toBeGreaterThanOrEqual(10);
    expect(EVAL_CASES.filter((c) => c.expected === 'refuse').length).toBeGreaterThanOrEqual(5);
  });

  it('scores the offline mode: every case right, deterministic', async () => {
    const first = report('offline mode', await runEval(EVAL_CASES, offlineRunner(SEED_WORLD, fixedClock)));
    const second = report('offline mode', await runEval(EVAL_CASES, offlineRunner(SEED_WORLD, fixedClock)));
    expect(first).toEqual(second);
    expect(first).toMatchObject({ toolAccuracy: 1, argumentAccuracy: 1, clarifyAccuracy: 1, refuseAccuracy: 1, malformedRate: 0, errors: 0 });
  });

  it('scores a scripted model that always acts: tools wrong, clarify and refuse 0', async () => {
    const actsAlways = async (): Promise<Attempt> => ({
      toolCall: { name: 'manage_vm', arguments: { vmid: 101, action: 'stop' }, malformed: false },
      finishReason: 'tool_calls',
      promptTokens: 300,
      latencyMs: 10,
    });
    const result = report('always-stop', await runEval(EVAL_CASES, actsAlways));
    expect(result.clarifyAccuracy).toBe(0);
    expect(result.refuseAccuracy).toBe(0);
    expect(result.perTool.check_cluster_health?.toolAccuracy).toBe(0);
    expect(result.perTool.manage_vm?.toolAccuracy).toBe(1);
    expect(result.perTool.manage_vm?.argumentAccuracy).toBeLessThan(1);
    expect(result.meanPromptTokens).toBe(300);
    expect(result.finishReasons).toEqual({ tool_calls: result.phrasings });
  });

  it('counts unparseable or schema-invalid arguments as malformed', async () => {
    const fetchImpl = (async () =>
      new Response(
        JSON.stringify({
          choices: [{ finish_reason: 'length', message: { tool_calls: [{ function: { name: 'get_resource_usage', arguments: '{"vmid": 10' } }] } }],
          usage: { prompt_tokens: 210 },
        }),
        { status: 200 },
      )) as typeof fetch;
    const runner = openAiRunner({ baseUrl: 'http://127.0.0.1:1', model: 'x', fetchImpl, now: fixedClock });
    const attempt = await runner('cpu of vm 101', ['get_resource_usage']);
    expect(attempt.toolCall?.malformed).toBe(true);
    const scored = score(
      { id: 'c', phrasings: ['cpu of vm 101'], expected: { tool: 'get_resource_usage', input: { vmid: 101 } } },
      'cpu of vm 101',
      ['get_resource_usage'],
      attempt,
    );
    expect(scored.toolCorrect).toBe(false);
    expect(report('x', [scored])).toMatchObject({ malformedRate: 1, finishReasons: { length: 1 } });
  });

  it('the held-out set shares no phrasing with the offline corpus, and offline mode never acts on its clarify/refuse cases', async () => {
    const corpus = new Set(OFFLINE_PHRASINGS.map(([text]) => normalizeRequestText(text)));
    expect(HELD_OUT_CASES.flatMap((entry) => entry.phrasings).filter((text) => corpus.has(normalizeRequestText(text)))).toEqual([]);
    const results = await runEval(HELD_OUT_CASES, offlineRunner(SEED_WORLD, fixedClock), SEED_WORLD);
    const mustNotAct = results.filter((row) => typeof row.expected === 'string');
    expect(mustNotAct.length).toBeGreaterThanOrEqual(10);
    expect(mustNotAct.filter((row) => row.attempt.toolCall !== undefined).map((row) => row.text)).toEqual([]);
  });

  it('parses its flags', () => {
    expect(parseEvalArgs(['--offline'])).toMatchObject({ offline: true, heldOut: false });
    expect(parseEvalArgs(['--offline', '--held-out'])).toMatchObject({ offline: true, heldOut: true });
    expect(parseEvalArgs(['--base-url', 'http://127.0.0.1:8081', '--model', 'qwen', '--api-key-env', 'KEY'])).toMatchObject({
      baseUrl: 'http://127.0.0.1:8081',
      model: 'qwen',
      apiKeyEnv: 'KEY',
    });
    expect(parseEvalArgs([])).toMatch(/--base-url/);
    expect(parseEvalArgs(['--nope'])).toMatch(/unknown option/);
  });
});

describe('eval harness against the fake llama-server (simulated model)', () => {
  let fake: LlamaServerFake;
  beforeAll(async () => {
    fake = await startLlamaServerFake({ port: 0 });
  });
  afterAll(async () => {
    await fake.close();
  });

  it("sends the persona, only the product classifier's tools (classifyForWorld with the world) and parallel_tool_calls:false, and reports the wire figures", async () => {
    const cases = EVAL_CASES.filter((c) => typeof c.expected === 'object').slice(0, 12);
    const results = await runEval(cases, openAiRunner({ baseUrl: fake.url, model: 'simulated-model' }), SEED_WORLD);
    const result = report('simulated-model', results);
    expect(result.errors).toBe(0);
    expect(result.meanPromptTokens).toBeGreaterThan(0);
    expect(Object.keys(result.finishReasons).length).toBeGreaterThan(0);
    const logged = fake.requests.list().filter((entry) => entry.path.startsWith('/v1/chat/completions'));
    expect(logged).toHaveLength(results.length);
    for (const entry of logged) {
      const body = entry.body as { messages: { role: string; content: string }[]; tools?: unknown[]; parallel_tool_calls?: boolean };
      expect(body.messages[0]).toEqual({ role: 'system', content: PERSONA });
      expect((body.tools ?? []).length).toBeLessThanOrEqual(3);
      if (body.tools) expect(body.parallel_tool_calls).toBe(false);
    }
    // The tools offered are the product's choice for each phrasing (the chat classifies with the live names).
    const phrasings = cases.flatMap((entry) => entry.phrasings);
    const sent = logged.map((entry) => ((entry.body as { tools?: { function: { name: string } }[] }).tools ?? []).map((tool) => tool.function.name));
    expect(sent).toEqual(phrasings.map((text) => classifyForWorld(text, SEED_WORLD).tools.slice(0, 3)));
  });
});
