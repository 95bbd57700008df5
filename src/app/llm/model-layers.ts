/**
 * The gateway's onion (STYLE convention 14): each layer is a small function around one `CallModel`
 * with one job, composed in a fixed order by `createModelGateway`. Layers never know which provider
 * or which other layers stand around them; each is tested alone with a scripted client.
 */
import { ok, type JarvisError, type Result } from '../../core/errors.ts';
import type { ModelClient, ModelClientOutput } from '../../core/llm/model-client.ts';
import type { ModelMessage, ModelRequest } from '../../core/llm/model-port.ts';

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
}

export type CallModel = (call: LayerCall) => Promise<Result<LayerOutput, JarvisError>>;
export type ModelLayer = (next: CallModel) => CallModel;

/** The innermost call: the provider client itself. */
export function clientCall(client: ModelClient): CallModel {
  return async (call) => {
    const result = await client.doComplete({
      system: call.request.system,
      messages: call.messages,
      tools: call.request.tools,
      maxOutputTokens: call.maxOutputTokens,
      signal: call.signal,
      slotId: call.slotId,
      onTextDelta: call.request.onTextDelta,
    });
    return result.ok ? ok({ ...result.value, costUsd: 0, queueWaitMs: 0 }) : result;
  };
}

/** Wraps `base` in `layers`; the first layer listed is the outermost. */
export function composeLayers(base: CallModel, layers: readonly ModelLayer[]): CallModel {
  return layers.reduceRight<CallModel>((next, layer) => layer(next), base);
}
