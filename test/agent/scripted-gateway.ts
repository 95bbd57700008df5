/**
 * A recording, scripted ModelGateway for agent tests: each call is answered by the next script
 * step (a function of the request), and every request is kept for assertions.
 */
import { err, jarvisError, ok, type JarvisError, type Result } from '../../src/core/errors.ts';
import type { ModelGateway, ModelGatewayStatus, ModelRequest, ModelResult, ModelToolCall } from '../../src/core/llm/model-port.ts';

export type Step = (request: ModelRequest) => Result<ModelResult, JarvisError> | Promise<Result<ModelResult, JarvisError>>;

export const LOCAL = { provider: 'local' as const, model: 'qwen-test', label: 'Qwen test (local)', simulated: false };
export const CLOUD = { provider: 'cloud' as const, model: 'claude-test', label: 'Claude test', simulated: false };

export function reply(text: string, options: Partial<ModelResult> = {}): Result<ModelResult, JarvisError> {
  return ok({
    text,
    toolCalls: [],
    finishReason: 'stop',
    usage: { inputTokens: 100, outputTokens: 10, cachedInputTokens: 0, costUsd: 0 },
    origin: LOCAL,
    cached: false,
    latencyMs: 5,
    ...options,
  });
}

let nextId = 1;
export function callTool(name: string, input: unknown, options: Partial<ModelResult> = {}): Result<ModelResult, JarvisError> {
  const call: ModelToolCall = { id: `call_${nextId++}`, name, input };
  return ok({
    text: '',
    toolCalls: [call],
    finishReason: 'tool-calls',
    usage: { inputTokens: 120, outputTokens: 20, cachedInputTokens: 0, costUsd: 0 },
    origin: LOCAL,
    cached: false,
    latencyMs: 5,
    ...options,
  });
}

export class ScriptedGateway implements ModelGateway {
  readonly requests: ModelRequest[] = [];
  private index = 0;
  constructor(
    private readonly steps: readonly Step[],
    private readonly gatewayStatus: ModelGatewayStatus = { mode: 'local-only', local: { model: 'qwen-test', up: true } },
    private readonly budget = 600,
  ) {}

  async complete(request: ModelRequest): Promise<Result<ModelResult, JarvisError>> {
    this.requests.push({ ...request, messages: [...request.messages] });
    const step = this.steps[Math.min(this.index, this.steps.length - 1)];
    this.index += 1;
    if (!step) return err(jarvisError('LLM_UNAVAILABLE', 'no script'));
    return step(request);
  }
  status(): ModelGatewayStatus {
    return this.gatewayStatus;
  }
  contextBudget(): number {
    return this.budget;
  }
}
