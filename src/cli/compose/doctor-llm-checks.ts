/**
 * `jarvis doctor` model checks: the local endpoint (reachable, loading, key), tool-call support of
 * its chat template, slots and per-slot context, the shared-pool ambiguity, the cloud key and the
 * price table. Read-only: no completion is requested.
 */
import { LlamaCapacityProbe } from '../../adapters/llm/llama-capacity-probe.ts';
import type { JarvisConfig } from '../../config/index.ts';
import type { LocalCapacityProbe } from '../../core/llm/model-client.ts';
import { priceFor, validatePriceTable } from '../../core/llm/prices.ts';
import { noModelConfigured } from './build-model-gateway.ts';
import { check, type CheckResult } from './doctor-report.ts';

export async function runLlmChecks(config: JarvisConfig, probe?: LocalCapacityProbe): Promise<CheckResult[]> {
  const llm = config.llm;
  if (!llm.enabled) return [check('models', 'OK', 'AI is switched off (llm.enabled: false)')];
  if (noModelConfigured(config)) {
    return [
      check(
        'models',
        'WARN',
        'no model configured: the chat answers in offline mode (npm start on the embedded simulator uses simulated models)',
        'set llm.local.baseUrl and llm.local.model (llama-server), and/or llm.cloud.model with JARVIS_ANTHROPIC_API_KEY',
      ),
    ];
  }
  const results: CheckResult[] = [];
  const prices = validatePriceTable(llm.prices);
  for (const reason of prices.disabled.values()) results.push(check('model prices', 'WARN', reason, 'fix the entry in llm.prices (USD per million tokens)'));
  if (llm.local.baseUrl !== undefined)
    results.push(
      ...(await localChecks(
        config,
        probe ??
          new LlamaCapacityProbe({
            baseUrl: llm.local.baseUrl,
            apiKey: config.secrets.llmLocalApiKey,
            slotsOverride: llm.local.slots,
            slotContextOverride: llm.local.slotContext,
            timeoutMs: 5000,
          }),
      )),
    );
  if (llm.cloud.model !== undefined) {
    if (config.secrets.anthropicApiKey === undefined)
      results.push(
        check('cloud model', 'FAIL', `${llm.cloud.model}: no API key, Claude stays off`, 'set JARVIS_ANTHROPIC_API_KEY (or JARVIS_ANTHROPIC_API_KEY_FILE)'),
      );
    const price = priceFor(prices, 'cloud', llm.cloud.model);
    if ('reason' in price) results.push(check('cloud model', 'FAIL', price.reason, `add llm.prices.${llm.cloud.model}: { inputPerMTok, outputPerMTok }`));
    else if (config.secrets.anthropicApiKey !== undefined) {
      const caps = Object.entries(llm.caps)
        .filter(([, value]) => value !== undefined)
        .map(([key, value]) => `${key.replace('Usd', '')} $${value}`);
      results.push(
        check(
          'cloud model',
          'OK',
          `${llm.cloud.model}: key set, $${price.price.inputPerMTok}/$${price.price.outputPerMTok} per M tokens in/out, caps ${caps.join(', ') || 'none'}`,
        ),
      );
    }
  }
  return results;
}

async function localChecks(config: JarvisConfig, probe: LocalCapacityProbe): Promise<CheckResult[]> {
  const llm = config.llm;
  const where = llm.local.baseUrl ?? '';
  const health = await probe.health();
  if (!health.ok) return [check('local model', 'FAIL', health.error.message, health.error.hint ?? 'check llm.local.baseUrl and that llama-server runs')];
  if (health.value === 'loading')
    return [
      check('local model', 'WARN', `${where}: the server is still loading its model (/health 503)`, 'wait for the model to load, then run jarvis doctor again'),
    ];
  const capacity = await probe.probe();
  if (!capacity.ok) {
    const hint =
      capacity.error.code === 'LLM_AUTH'
        ? "set JARVIS_LLM_LOCAL_API_KEY (or _FILE) to the server's --api-key"
        : (capacity.error.hint ?? 'set llm.local.slots and llm.local.slotContext');
    return [check('local model', 'FAIL', capacity.error.message, hint)];
  }
  const { slots, slotContext, supportsToolCalls, build, poolAmbiguous } = capacity.value;
  const results: CheckResult[] = [check('local model', 'OK', `${where}: ${slots} slot(s) × ${slotContext} tokens per slot${build ? `, build ${build}` : ''}`)];
  if (supportsToolCalls === false)
    results.push(
      check(
        'local tool calls',
        'FAIL',
        "the model's chat template does not support tool calls",
        'start llama-server with --jinja and a tool-capable model (Qwen2.5 Instruct)',
      ),
    );
  else if (supportsToolCalls === true) results.push(check('local tool calls', 'OK', 'chat template supports tool calls'));
  else
    results.push(
      check(
        'local tool calls',
        'WARN',
        'the server does not report tool-call support (/props chat_template_caps)',
        'make sure the server returns OpenAI tool_calls',
      ),
    );
  if (poolAmbiguous && llm.local.kvUnified === 'auto') {
    results.push(
      check(
        'local KV pool',
        'WARN',
        `every slot reports ${slotContext} tokens: per-slot contexts and one shared pool look the same on the API; Jarvis assumes per-slot until the server reports an overrun`,
        'set llm.local.kvUnified: true (shared pool, -c without -np / --kv-unified) or false (-c N -np S)',
      ),
    );
  }
  if (slots - llm.local.reservedUserSlots < 1)
    results.push(
      check(
        'local slots',
        'WARN',
        `${slots} slot(s) with ${llm.local.reservedUserSlots} reserved for users: background work shares the user slot and is preempted by users`,
        'start llama-server with -np 2 or more',
      ),
    );
  if (config.secrets.llmLocalApiKey === undefined && !/^https?:\/\/(127\.0\.0\.1|localhost|\[::1\])/.test(where)) {
    results.push(
      check(
        'local model key',
        'WARN',
        'no API key for a model server reached over the network',
        'start llama-server with --api-key and set JARVIS_LLM_LOCAL_API_KEY (or _FILE)',
      ),
    );
  }
  return results;
}
