/**
 * `jarvis sim [--port N] [--admin-port N] [--seed S] [--nodes N --guests M] [--scenario NAME]
 *  [--fault JSON]... [--auth-delay-ms MS] [--task-ms MS] [--stale-ms MS] [--metrics-ms MS]
 *  [--no-llm] [--llm-slots N] [--llm-ctx N] [--llm-kv-unified]`
 * `--fault` (repeatable) takes one fault object of the admin API (`POST /faults`, docs/simulator.md),
 * e.g. `--fault '{"kind":"hang","path":"/version"}'`, applied at start after the scenario.
 * Runs the embedded PVE simulator alone. When ready, prints exactly one JSON line to stdout:
 * {"url","tokenId","tokenSecret","fingerprint","adminUrl","username","password",...,
 *  "llmLocalUrl","llmCloudUrl","llmCloudApiKey"} (the simulated models, unless --no-llm); then runs
 * until SIGINT/SIGTERM, closes cleanly and exits 0. Bad flags exit 2 with a message on stderr.
 */
import { startSimulator, type Fault, type SimulatorOptions } from '../../sim/index.ts';
import { faultSchema } from '../../sim/world/faults.ts';
import { parseCommandArgs } from '../compose/command-args.ts';

const NUMERIC_FLAGS: Record<string, keyof SimulatorOptions> = {
  port: 'port',
  'admin-port': 'adminPort',
  seed: 'seed',
  nodes: 'nodes',
  guests: 'guests',
  'auth-delay-ms': 'authDelayMs',
  'task-ms': 'taskDurationMs',
  'stale-ms': 'staleHorizonMs',
  'metrics-ms': 'metricsIntervalMs',
};

function parseFault(value: string): Fault | string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    return `--fault expects a JSON fault object like '{"kind":"node-offline","node":"agent"}', got '${value}'`;
  }
  const fault = faultSchema.safeParse(parsed);
  if (!fault.success)
    return `--fault ${value}: not a fault (${fault.error.issues.map((issue) => `${issue.path.join('.') || 'kind'}: ${issue.message}`).join('; ')}; kinds in docs/simulator.md)`;
  return fault.data;
}

/** Parses the flags (node:util parseArgs); returns the options or an error message. */
export function parseSimArgs(args: string[]): SimulatorOptions | string {
  const parsed = parseCommandArgs('sim', args);
  if (!parsed.ok) return parsed.error;
  const values = parsed.value;
  const options: Record<string, unknown> = {};
  for (const [flag, key] of Object.entries(NUMERIC_FLAGS)) {
    const value = values.string(flag);
    if (value === undefined) continue;
    const number = Number(value);
    if (value.trim() === '' || !Number.isInteger(number) || number < 0) return `--${flag} expects a non-negative integer, got '${value}'`;
    options[key] = number;
  }
  const scenario = values.string('scenario');
  if (scenario !== undefined) options.scenario = scenario;
  const faults: Fault[] = [];
  for (const value of values.list('fault')) {
    const fault = parseFault(value);
    if (typeof fault === 'string') return fault;
    faults.push(fault);
  }
  if (faults.length > 0) options.faults = faults;
  const llm: { slots?: number; ctx?: number; kvUnified?: boolean } = {};
  for (const [flag, key, min] of [
    ['llm-slots', 'slots', 1],
    ['llm-ctx', 'ctx', 256],
  ] as const) {
    const value = values.string(flag);
    if (value === undefined) continue;
    const number = Number(value);
    if (!Number.isInteger(number) || number < min || number > 1_048_576) return `--${flag} expects an integer of at least ${min}, got '${value}'`;
    llm[key] = number;
  }
  if (values.flag('llm-kv-unified')) llm.kvUnified = true;
  if (values.flag('no-llm')) options.llm = false;
  if (Object.keys(llm).length > 0) {
    if (options.llm === false) return '--no-llm cannot be combined with --llm-* options';
    options.llm = { local: llm };
  }
  const nodes = options.nodes as number | undefined;
  if (nodes !== undefined && (nodes < 1 || nodes > 64)) return `--nodes expects 1..64, got ${nodes}`;
  const guests = options.guests as number | undefined;
  if (guests !== undefined && guests > 10_000) return `--guests expects at most 10000, got ${guests}`;
  return options;
}

export async function run(args: string[]): Promise<number> {
  const options = parseSimArgs(args);
  if (typeof options === 'string') {
    process.stderr.write(`${options.startsWith('jarvis sim:') ? options : `jarvis sim: ${options}`}\n`);
    return 2;
  }
  let sim;
  try {
    sim = await startSimulator({ llm: true, ...options });
  } catch (error) {
    process.stderr.write(`jarvis sim: ${(error as Error).message}\n`);
    return 2;
  }
  const { url, tokenId, tokenSecret, fingerprint, adminUrl, username, password, auditTokenId, auditTokenSecret, operatorTokenId, operatorTokenSecret } = sim;
  const llm = sim.llm ? { llmLocalUrl: sim.llm.localUrl, llmCloudUrl: sim.llm.cloudUrl, llmCloudApiKey: sim.llm.cloudApiKey } : {};
  process.stdout.write(
    `${JSON.stringify({ url, tokenId, tokenSecret, fingerprint, adminUrl, username, password, auditTokenId, auditTokenSecret, operatorTokenId, operatorTokenSecret, ...llm })}\n`,
  );
  const models = sim.llm ? `, simulated models: llama-server ${sim.llm.localUrl}/v1, Anthropic ${sim.llm.cloudUrl}/v1` : '';
  process.stderr.write(`jarvis sim: PVE API ${url}/api2/json, admin API ${adminUrl}${models} (docs/simulator.md); Ctrl-C to stop\n`);
  await new Promise<void>((resolve) => {
    const stop = (): void => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await sim.close();
  return 0;
}
