/**
 * The gateway's onion (STYLE convention 14): each layer is a small function around one `CallModel`
 * with one job, composed in a fixed order by `createModelGateway`. Layers never know which provider
 * or which other layers stand around them; each is tested alone with a scripted client.
 */
import { ok, type JarvisError, type Result } from '../../core/errors.ts';
import type { ModelClient, ModelClientOutput } from '../../core/llm/model-client.ts';
import type { ModelMessage, ModelRequest, ModelToolSpec } from '../../core/llm/model-port.ts';
import { fitToolsToBudget } from '../../core/llm/tool-budget.ts';

export interface LayerCall {
  readonly request: ModelRequest;
  /** The messages actually sent (history may have been trimmed). */
  readonly messages: readonly ModelMessage[];
  readonly maxOutputTokens: number;
  readonly signal?: AbortSignal | undefined;
  readonly slotId?: number | undefined;
}

export interface LayerOutput extends ModelClientOutput {
  readonly costUsd: number;
  /** Time spent waiting for a local slot, ms. */
  readonly queueWaitMs: number;
  /** Set by the retry layer when history was trimmed to fit the slot. */
  readonly trimmedMessages?: number | undefined;
  /** Tools the client's tool-token budget left out. */
  readonly droppedTools?: readonly string[] | undefined;
}

export type CallModel = (call: LayerCall) => Promise<Result<LayerOutput, JarvisError>>;
export type ModelLayer = (next: CallModel) => CallModel;

/**
 * The tools a client gets: as offered, or (a client with a tool-token budget, i.e. the small local
 * model) each tool's compact spec, fitted to the budget in relevance order.
 */
export function toolsForClient(
  client: ModelClient,
  tools: readonly ModelToolSpec[] | undefined,
): { tools: readonly ModelToolSpec[] | undefined; dropped: readonly string[] } {
  if (!tools || tools.length === 0 || client.toolTokenBudget === undefined) return { tools, dropped: [] };
  const compact = tools.map((spec) =>
    spec.compact ? { name: spec.name, description: spec.compact.description, inputSchema: spec.compact.inputSchema } : spec,
  );
  const fit = fitToolsToBudget(compact, client.toolTokenBudget);
  return { tools: fit.tools, dropped: fit.dropped };
}

/** The innermost call: the provider client itself. */
export function clientCall(client: ModelClient): CallModel {
  return async (call) => {
    const offered = toolsForClient(client, call.request.tools);
    const result = await client.doComplete({
      system: call.request.system,
      messages: call.messages,
      tools: offered.tools,
      maxOutputTokens: call.maxOutputTokens,
      signal: call.signal,
      slotId: call.slotId,
      onTextDelta: call.request.onTextDelta,
    });
    if (!result.ok) return result;
    // llama-server b11669 does not enforce parallel_tool_calls:false (measured: 2 calls): Jarvis
    // runs one tool call per step, so only the first is kept.
    const toolCalls = result.value.toolCalls.slice(0, 1);
    return ok({ ...result.value, toolCalls, costUsd: 0, queueWaitMs: 0, ...(offered.dropped.length > 0 ? { droppedTools: offered.dropped } : {}) });
  };
}

/** Wraps `base` in `layers`; the first layer listed is the outermost. */
export function composeLayers(base: CallModel, layers: readonly ModelLayer[]): CallModel {
  return layers.reduceRight<CallModel>((next, layer) => layer(next), base);
}
