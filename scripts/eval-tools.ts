/**
 * `npm run eval:tools -- --base-url URL --model NAME [--api-key-env VAR] [--offline] [--held-out] [--json]`
 * Runs the labelled cases (scripts/eval/cases.ts; with `--held-out` the separately written
 * scripts/eval/held-out-cases.ts instead) through the product's classifier, persona and
 * tool subsets against an OpenAI-compatible endpoint, or through the offline parser (`--offline`),
 * and prints the deterministic scores. The offline world is the simulator's seed topology.
 * Exit 0 after a run, 2 on bad flags.
 */
import { EVAL_CASES } from './eval/cases.ts';
import { HELD_OUT_CASES } from './eval/held-out-cases.ts';
import { offlineRunner, openAiRunner, report, runEval, type EvalReport } from './eval/run-eval.ts';
import { SEED_WORLD } from '../test/agent/offline-world.ts';

export interface EvalArgs {
  baseUrl?: string;
  model: string;
  apiKeyEnv?: string;
  offline: boolean;
  heldOut: boolean;
  json: boolean;
}

export function parseEvalArgs(args: readonly string[]): EvalArgs | string {
  const out: EvalArgs = { model: '', offline: false, heldOut: false, json: false };
  for (let i = 0; i < args.length; i += 1) {
    const flag = args[i]!;
    if (flag === '--offline') out.offline = true;
    else if (flag === '--json') out.json = true;
    else if (flag === '--held-out') out.heldOut = true;
    else if (flag === '--base-url' || flag === '--model' || flag === '--api-key-env') {
      const value = args[++i];
      if (!value) return `${flag} needs a value`;
      if (flag === '--base-url') out.baseUrl = value;
      else if (flag === '--model') out.model = value;
      else out.apiKeyEnv = value;
    } else return `unknown option ${flag} (known: --base-url, --model, --api-key-env, --offline, --held-out, --json)`;
  }
  if (!out.offline && (!out.baseUrl || !out.model)) return 'need --base-url URL and --model NAME, or --offline';
  return out;
}

export function formatReport(result: EvalReport): string {
  const lines = [
    `model ${result.model}: ${result.cases} cases, ${result.phrasings} phrasings, ${result.errors} errors`,
    `tool accuracy ${result.toolAccuracy}  argument accuracy ${result.argumentAccuracy}  clarify ${result.clarifyAccuracy}  refuse ${result.refuseAccuracy}  malformed ${result.malformedRate}  classifier coverage ${result.classifierCoverage}`,
    `finish reasons ${JSON.stringify(result.finishReasons)}  mean prompt tokens ${result.meanPromptTokens}  latency mean ${result.latency.meanMs} ms p95 ${result.latency.p95Ms} ms p99 ${result.latency.p99Ms} ms`,
    'per tool:',
    ...Object.entries(result.perTool).map(
      ([tool, row]) =>
        `  ${tool.padEnd(22)} n=${row.phrasings} tool ${row.toolAccuracy} args ${row.argumentAccuracy} latency mean ${row.meanLatencyMs} ms p95 ${row.p95LatencyMs} ms prompt ${row.meanPromptTokens}`,
    ),
  ];
  return lines.join('\n');
}

export async function main(args: readonly string[]): Promise<number> {
  const options = parseEvalArgs(args);
  if (typeof options === 'string') {
    process.stderr.write(`eval:tools: ${options}\n`);
    return 2;
  }
  const runner = options.offline
    ? offlineRunner(SEED_WORLD)
    : openAiRunner({ baseUrl: options.baseUrl!, model: options.model, apiKey: options.apiKeyEnv ? process.env[options.apiKeyEnv] : undefined });
  const cases = options.heldOut ? HELD_OUT_CASES : EVAL_CASES;
  const name = `${options.offline ? 'offline mode' : options.model}${options.heldOut ? ' (held-out)' : ''}`;
  const result = report(name, await runEval(cases, runner, SEED_WORLD));
  process.stdout.write(`${options.json ? JSON.stringify(result, null, 2) : formatReport(result)}\n`);
  return 0;
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) {
  void main(process.argv.slice(2)).then((code) => process.exit(code));
}
