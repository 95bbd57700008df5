/**
 * Routing and degradation decisions: which provider answers a request, given its category and
 * class, the conversation's pinned model and what is usable right now. Pure; the gateway asks
 * again after a provider fails (with that provider marked unusable).
 */
import type { ModelProvider, ModelRequestClass, RequestCategory } from './model-port.ts';

export interface ProviderState {
  /** Configured with everything it needs (URL, model, key, price). */
  readonly configured: boolean;
  /** Undefined = usable; otherwise why not (down, cooldown until …, canary failing, over budget …). */
  readonly unusable?: string | undefined;
}

export interface RouteInput {
  readonly category: RequestCategory;
  readonly requestClass: ModelRequestClass;
  readonly forced?: ModelProvider | undefined;
  /** The provider this conversation is pinned to (it never switches except by `escalate`). */
  readonly pinned?: ModelProvider | undefined;
  /** An explicit, recorded escalation: overrides the pin and the category's route. */
  readonly escalate?: { readonly to: ModelProvider; readonly reason: string } | undefined;
  readonly local: ProviderState;
  readonly cloud: ProviderState;
}

export type RouteDecision =
  | {
      readonly provider: ModelProvider;
      /** Set when the request goes elsewhere than its category's default route. */
      readonly escalation?: { readonly from: ModelProvider; readonly to: ModelProvider; readonly reason: string } | undefined;
    }
  | { readonly provider: 'offline'; readonly from: ModelProvider; readonly reason: string };

const usable = (state: ProviderState): boolean => state.configured && state.unusable === undefined;
const why = (provider: ModelProvider, state: ProviderState): string =>
  state.configured
    ? `${provider === 'local' ? 'the local model' : 'Claude'} is unavailable: ${state.unusable}`
    : `no ${provider === 'local' ? 'local' : 'cloud'} model is configured`;

/** The default route of a category: routine -> local; complex and explicit cloud -> cloud. */
export function preferredProvider(category: RequestCategory): ModelProvider {
  return category === 'routine' ? 'local' : 'cloud';
}

/**
 * Decides the provider. Rules: an explicit escalation goes to its target or to no model (never
 * back to the pin it leaves), and says so with its reason; a pinned conversation stays on its
 * model or gets none; cloud
 * unusable -> local; local unusable -> cloud for user requests only (background work falls back to
 * rules); nothing usable -> offline.
 */
export function decideRoute(input: RouteInput): RouteDecision {
  const states = { local: input.local, cloud: input.cloud };
  if (input.escalate !== undefined) {
    const { to, reason } = input.escalate;
    const from = input.pinned ?? input.forced ?? preferredProvider(input.category);
    if (usable(states[to])) return { provider: to, escalation: { from, to, reason } };
    return { provider: 'offline', from, reason: `${reason}; escalation refused: ${why(to, states[to])}` };
  }
  if (input.pinned !== undefined) {
    const state = states[input.pinned];
    if (usable(state)) return { provider: input.pinned };
    return { provider: 'offline', from: input.pinned, reason: `this conversation is pinned to its model and ${why(input.pinned, state)}` };
  }
  const preferred = input.forced ?? preferredProvider(input.category);
  if (usable(states[preferred])) return { provider: preferred };
  const other: ModelProvider = preferred === 'local' ? 'cloud' : 'local';
  const reason = why(preferred, states[preferred]);
  // Background work never spends cloud money as a fallback: it degrades to rules.
  const mayFallBack = other === 'local' || input.requestClass === 'user';
  if (mayFallBack && usable(states[other])) return { provider: other, escalation: { from: preferred, to: other, reason } };
  const otherReason = mayFallBack ? `; ${why(other, states[other])}` : '; background work does not fall back to Claude';
  return { provider: 'offline', from: preferred, reason: `${reason}${otherReason}` };
}
