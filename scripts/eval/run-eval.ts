/**
 * The tool-selection eval harness (issue 11): every phrasing of every case goes through the
 * product's own pre-classifier (the tool subset), persona and tool definitions to a model behind
 * an OpenAI-compatible endpoint — or through the offline parser — and is scored deterministically
 * (no model judge): tool, arguments, clarify/refuse (= no act tool called), malformed calls,
 * finish reasons, prompt tokens, latency per tool and per model.
 */
import { parseOfflineCommand, type OfflineWorld } from '../../src/core/agent/offline/index.ts';
import { PERSONA } from '../../src/core/agent/persona.ts';
import { classifyRequest } from '../../src/core/llm/classify.ts';
import { toModelToolSpec, validateToolCall } from '../../src/app/agent/tool-specs.ts';
import { ALL_TOOLS } from '../../src/app/tools/index.ts';
import { fitToolsToBudget } from '../../src/core/llm/tool-budget.ts';
import { classifyForWorld } from '../../src/core/agent/classify-for-world.ts';
import type { EvalCase } from './cases.ts';

/** What one attempt produced, provider-neutral. */
export interface Attempt {
  readonly toolCall?: { readonly name: string; readonly arguments: unknown; readonly malformed: boolean } | undefined;
  readonly finishReason: string;
  readonly promptTokens: number;
  readonly latencyMs: number;
  readonly error?: string | undefined;
}

export type Runner = (text: string, offered: readonly string[]) => Promise<Attempt>;

export interface PhrasingResult {
  readonly caseId: string;
  readonly text: string;
  readonly expected: EvalCase['expected'];
  readonly offered: readonly string[];
  readonly attempt: Attempt;
  readonly toolCorrect: boolean;
  readonly argsCorrect: boolean;
  readonly abstainCorrect: boolean;
}

const ACT_TOOLS = new Set(ALL_TOOLS.filter((tool) => tool.category === 'act').map((tool) => tool.name));
const sorted = (value: unknown): string =>
  JSON.stringify(value, (_key, inner: unknown) =>
    inner && typeof inner === 'object' && !Array.isArray(inner)
      ? Object.fromEntries(Object.entries(inner as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)))
      : inner,
  );

/** Scores one attempt against its case (pure). */
export function score(evalCase: EvalCase, text: string, offered: readonly string[], attempt: Attempt): PhrasingResult {
  const call = attempt.toolCall;
  const expected = evalCase.expected;
  if (typeof expected === 'object') {
    const toolCorrect = call?.name === expected.tool && !call.malformed;
    return {
      caseId: evalCase.id,
      text,
      expected,
      offered,
      attempt,
      toolCorrect,
      argsCorrect: toolCorrect && sorted(call.arguments) === sorted(expected.input),
      abstainCorrect: false,
    };
  }
  // clarify / refuse: correct when nothing that acts was called.
  return { caseId: evalCase.id, text, expected, offered, attempt, toolCorrect: false, argsCorrect: false, abstainCorrect: !(call && ACT_TOOLS.has(call.name)) };
}

/**
 * Runs every phrasing through the product's pre-classifier — with the live names of `world` when
 * given (the product's chat agent does: classifyForWorld) — and the runner.
 */
export async function runEval(cases: readonly EvalCase[], runner: Runner, world?: OfflineWorld): Promise<PhrasingResult[]> {
  const results: PhrasingResult[] = [];
  for (const evalCase of cases) {
    for (const text of evalCase.phrasings) {
      const offered = (world ? classifyForWorld(text, world) : classifyRequest(text)).tools.slice(0, 3);
      results.push(score(evalCase, text, offered, await runner(text, offered)));
    }
  }
  return results;
}

/** The offline parser as a runner (tools only; clarify/unsupported/unknown = no call). */
export function offlineRunner(world: OfflineWorld, now: () => number = () => performance.now()): Runner {
  return async (text) => {
    const started = now();
    const command = parseOfflineCommand(text, world);
    const latencyMs = now() - started;
    const toolCall = command.kind === 'tool' ? { name: command.tool, arguments: command.input, malformed: false } : undefined;
    return { toolCall, finishReason: command.kind === 'tool' ? 'tool-calls' : command.kind, promptTokens: 0, latencyMs };
  };
}

/** An OpenAI-compatible endpoint (llama-server, vLLM, Ollama, ...) as a runner. */
export function openAiRunner(options: {
  baseUrl: string;
  model: string;
  apiKey?: string | undefined;
  maxTokens?: number;
  fetchImpl?: typeof fetch;
  now?: () => number;
  fullSpecs?: boolean;
  toolTokenBudget?: number;
}): Runner {
  const fetchImpl = options.fetchImpl ?? fetch;
  const now = options.now ?? (() => performance.now());
  const url = `${options.baseUrl.replace(/\/+$/, '').replace(/\/v1$/, '')}/v1/chat/completions`;
  return async (text, offered) => {
    // What the product's local client sends: compact specs within the tool-token budget.
    const specs = offered
      .map((name) => ALL_TOOLS.find((tool) => tool.name === name))
      .filter((tool) => tool !== undefined)
      .map(toModelToolSpec);
    const fitted = options.fullSpecs
      ? specs
      : fitToolsToBudget(
          specs.map((spec) => ({
            name: spec.name,
            description: spec.compact?.description ?? spec.description,
            inputSchema: spec.compact?.inputSchema ?? spec.inputSchema,
          })),
          options.toolTokenBudget ?? 256,
        ).tools;
    const tools = fitted.map((spec) => ({ type: 'function', function: { name: spec.name, description: spec.description, parameters: spec.inputSchema } }));
    const body = {
      model: options.model,
      messages: [
        { role: 'system', content: PERSONA },
        { role: 'user', content: text },
      ],
      ...(tools.length > 0 ? { tools, parallel_tool_calls: false } : {}),
      max_tokens: options.maxTokens ?? 256,
      temperature: 0,
      stream: false,
    };
    const started = now();
    try {
      const response = await fetchImpl(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {}) },
        body: JSON.stringify(body),
      });
      const latencyMs = now() - started;
      const json = (await response.json().catch(() => undefined)) as
        | {
            choices?: { finish_reason?: string; message?: { tool_calls?: { function?: { name?: string; arguments?: string } }[] } }[];
            usage?: { prompt_tokens?: number };
          }
        | undefined;
      if (!response.ok || !json?.choices?.[0]) return { finishReason: 'error', promptTokens: 0, latencyMs, error: `HTTP ${response.status}` };
      const choice = json.choices[0];
      const raw = choice.message?.tool_calls?.[0]?.function;
      let toolCall: Attempt['toolCall'];
      if (raw?.name) {
        let parsed: unknown;
        let malformed = false;
        try {
          parsed = JSON.parse(raw.arguments || '{}');
        } catch {
          malformed = true;
          parsed = { __raw: raw.arguments };
        }
        if (
          !malformed &&
          validateToolCall(
            ALL_TOOLS.filter((tool) => offered.includes(tool.name)),
            raw.name,
            parsed,
          ) !== undefined
        )
          malformed = true;
        toolCall = { name: raw.name, arguments: parsed, malformed };
      }
      return { toolCall, finishReason: choice.finish_reason ?? 'unknown', promptTokens: json.usage?.prompt_tokens ?? 0, latencyMs };
    } catch (error) {
      return { finishReason: 'error', promptTokens: 0, latencyMs: now() - started, error: (error as Error).message };
    }
  };
}

export interface EvalReport {
  readonly model: string;
  readonly phrasings: number;
  readonly cases: number;
  readonly toolAccuracy: number;
  readonly argumentAccuracy: number;
  readonly clarifyAccuracy: number;
  readonly refuseAccuracy: number;
  readonly malformedRate: number;
  /** Share of tool-expecting phrasings whose expected tool the classifier offered. */
  readonly classifierCoverage: number;
  readonly finishReasons: Readonly<Record<string, number>>;
  readonly meanPromptTokens: number;
  readonly perTool: Readonly<
    Record<string, { phrasings: number; toolAccuracy: number; argumentAccuracy: number; meanLatencyMs: number; p95LatencyMs: number; meanPromptTokens: number }>
  >;
  readonly latency: { readonly meanMs: number; readonly p95Ms: number; readonly p99Ms: number };
  readonly errors: number;
}

const ratio = (part: number, whole: number): number => (whole === 0 ? 1 : Math.round((part / whole) * 1000) / 1000);
const mean = (values: readonly number[]): number => (values.length === 0 ? 0 : Math.round((values.reduce((a, b) => a + b, 0) / values.length) * 100) / 100);
function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const ordered = [...values].sort((a, b) => a - b);
  return Math.round(ordered[Math.min(ordered.length - 1, Math.ceil((p / 100) * ordered.length) - 1)]! * 1000) / 1000;
}

export function report(model: string, results: readonly PhrasingResult[]): EvalReport {
  const calls = results.filter((result) => typeof result.expected === 'object');
  const clarify = results.filter((result) => result.expected === 'clarify');
  const refuse = results.filter((result) => result.expected === 'refuse');
  const withCall = results.filter((result) => result.attempt.toolCall);
  const finishReasons: Record<string, number> = {};
  for (const result of results) finishReasons[result.attempt.finishReason] = (finishReasons[result.attempt.finishReason] ?? 0) + 1;
  const perTool: Record<string, EvalReport['perTool'][string]> = {};
  for (const tool of new Set(calls.map((result) => (result.expected as { tool: string }).tool))) {
    const rows = calls.filter((result) => (result.expected as { tool: string }).tool === tool);
    const latencies = rows.map((row) => row.attempt.latencyMs);
    perTool[tool] = {
      phrasings: rows.length,
      toolAccuracy: ratio(rows.filter((row) => row.toolCorrect).length, rows.length),
      argumentAccuracy: ratio(rows.filter((row) => row.argsCorrect).length, rows.length),
      meanLatencyMs: mean(latencies),
      p95LatencyMs: percentile(latencies, 95),
      meanPromptTokens: mean(rows.map((row) => row.attempt.promptTokens)),
    };
  }
  const latencies = results.map((result) => result.attempt.latencyMs);
  return {
    model,
    phrasings: results.length,
    cases: new Set(results.map((result) => result.caseId)).size,
    toolAccuracy: ratio(calls.filter((result) => result.toolCorrect).length, calls.length),
    argumentAccuracy: ratio(calls.filter((result) => result.argsCorrect).length, calls.length),
    clarifyAccuracy: ratio(clarify.filter((result) => result.abstainCorrect).length, clarify.length),
    refuseAccuracy: ratio(refuse.filter((result) => result.abstainCorrect).length, refuse.length),
    malformedRate: ratio(withCall.filter((result) => result.attempt.toolCall!.malformed).length, withCall.length),
    classifierCoverage: ratio(calls.filter((result) => result.offered.includes((result.expected as { tool: string }).tool)).length, calls.length),
    finishReasons,
    meanPromptTokens: mean(results.map((result) => result.attempt.promptTokens)),
    perTool,
    latency: { meanMs: mean(latencies), p95Ms: percentile(latencies, 95), p99Ms: percentile(latencies, 99) },
    errors: results.filter((result) => result.attempt.error).length,
  };
}
