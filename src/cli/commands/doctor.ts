import { formatConfigError, loadConfig, type JarvisConfig } from '../../config/index.ts';
import { silentLogger } from '../../core/ports/logger.ts';
import { connectCluster, credentialLabel, endpointFromConfig, simulatorEndpoint, type ClusterEndpoint } from '../compose/connect-cluster.ts';
import { parseCommandArgs } from '../compose/command-args.ts';
import { runDoctorChecks } from '../compose/doctor-checks.ts';
import { diagnoseTls } from '../compose/doctor-tls.ts';
import { check, doctorExitCode, formatCheck, type CheckResult } from '../compose/doctor-report.ts';
import { runSideChecks } from '../compose/doctor-side-checks.ts';
import { runLlmChecks } from '../compose/doctor-llm-checks.ts';
import { configuredSideChannels, simulatedSideChannels, type SideChannels } from '../compose/side-channels.ts';
import { startEmbeddedSimulator } from '../compose/start-embedded-simulator.ts';

function configLine(config: JarvisConfig): CheckResult {
  const where = config.source.file ?? 'defaults + JARVIS_* env (no config file)';
  return check(
    'config',
    'OK',
    `valid (${where}); cluster '${config.topology.clusterName}', ${config.topology.nodes.length} nodes, Jarvis on VM ${config.topology.self.vmid} @ ${config.topology.self.node}`,
  );
}

/**
 * `jarvis doctor [--config FILE]`: validates the config, then checks connectivity to PVE —
 * reachable, TLS fingerprint, credential, privileges, quorum, the management VM and its PVE
 * protection flag — one verdict line per check (OK / WARN / FAIL + fix). With no pve.url it checks
 * the embedded simulator (and says so), with its least-privilege operator token. Exit 0 when all are
 * OK/WARN, 1 on any FAIL, 2 on bad config. `--json`: one JSON document on stdout,
 * `{ "ok", "exitCode", "checks": [{ "name", "verdict", "detail", "cause"?, "fix"?, "hint"? }] }`, and no verdict lines.
 */
export async function run(args: string[]): Promise<number> {
  const parsed = parseCommandArgs('doctor', args);
  if (!parsed.ok) {
    process.stderr.write(`${parsed.error}\n`);
    return 2;
  }
  const json = parsed.value.flag('json');
  const code = await runChecks(parsed.value.configArgv, json);
  if (json) process.stdout.write(`${JSON.stringify({ ok: code.exitCode === 0, exitCode: code.exitCode, checks: code.results })}\n`);
  return code.exitCode;
}

async function runChecks(configArgv: readonly string[], json: boolean): Promise<{ exitCode: number; results: CheckResult[] }> {
  const loaded = loadConfig({ argv: configArgv });
  if (!loaded.ok) {
    process.stderr.write(formatConfigError(loaded.error));
    return { exitCode: 2, results: [check('config', 'FAIL', loaded.error.message, loaded.error.hint)] };
  }
  const { config } = loaded.value;
  const results: CheckResult[] = [configLine(config)];
  for (const warning of loaded.value.warnings) results.push(check('config', 'WARN', warning, 'remove or correct the variable'));
  const print = (result: CheckResult) => {
    if (!json) process.stdout.write(`${formatCheck(result)}\n`);
  };
  for (const result of results) print(result);

  let endpoint: ClusterEndpoint;
  let stopSimulator: (() => Promise<void>) | undefined;
  let side: SideChannels;
  if (config.pve.url === undefined) {
    const simulator = await startEmbeddedSimulator({ authDelayMs: 0 });
    side = await simulatedSideChannels(simulator, config);
    stopSimulator = async () => {
      await side.close();
      await simulator.close();
    };
    endpoint = simulatorEndpoint({ ...simulator, tokenId: simulator.operatorTokenId, tokenSecret: simulator.operatorTokenSecret });
    const note = check(
      'cluster',
      'WARN',
      'no cluster configured (pve.url): checking the embedded simulator',
      'set pve.url, pve.tokenId, pve.fingerprint and JARVIS_PVE_TOKEN_SECRET (docs/configuration.md)',
    );
    results.push(note);
    print(note);
  } else {
    const fromConfig = endpointFromConfig(config);
    if (!fromConfig.ok) throw new Error(fromConfig.error.message); // loadConfig already guarantees pve.url
    endpoint = fromConfig.value;
    side = await configuredSideChannels(config, silentLogger);
  }
  try {
    const connection = connectCluster(endpoint, { timeoutMs: config.timeouts.pveMs, logger: silentLogger });
    if (!connection.ok) {
      const failed = check('PVE client', 'FAIL', connection.error.message, connection.error.hint);
      results.push(failed);
      print(failed);
      return { exitCode: 1, results };
    }
    try {
      const checks = await runDoctorChecks({
        cluster: connection.value.api,
        permissions: (path) => connection.value.permissions(path),
        topology: config.topology,
        url: endpoint.url,
        credential: credentialLabel(endpoint),
        tls: { fingerprint: endpoint.fingerprint, insecure: endpoint.insecure },
        diagnoseTls: () =>
          diagnoseTls({
            url: endpoint.url,
            fingerprint: endpoint.fingerprint,
            insecure: endpoint.insecure,
            timeoutMs: Math.min(config.timeouts.pveMs, 10_000),
            now: Date.now(),
          }),
      });
      const sideChecks = await runSideChecks({
        shell: side.shell,
        docker: side.docker,
        absent: side.absent,
        topology: config.topology,
        nodes: config.topology.nodes.filter((node) => endpoint.simulated || node.address !== undefined).map((node) => node.name),
        now: Date.now(),
        timeoutMs: Math.min(config.timeouts.sshMs, 5_000),
      });
      const llmChecks = await runLlmChecks(config);
      for (const result of [...checks, ...sideChecks, ...llmChecks]) {
        results.push(result);
        print(result);
      }
    } finally {
      connection.value.close();
    }
  } finally {
    await stopSimulator?.();
  }
  const code = doctorExitCode(results);
  if (!json) process.stdout.write(code === 0 ? 'doctor: all checks passed (OK/WARN)\n' : 'doctor: some checks FAILED\n');
  return { exitCode: code, results };
}
