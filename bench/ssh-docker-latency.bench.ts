/**
 * Latency of the real SSH and Docker adapters against the simulated servers on 127.0.0.1
 * (ssh2 client <-> ssh2 server, one connection per command; dockerode <-> simulated Engine API).
 * Run: `npx tsx bench/ssh-docker-latency.bench.ts [iterations]` (default 100). Prints p50/p99/max in ms.
 */
import { createDockerApi } from '../src/adapters/docker/index.ts';
import { SshShellRunner } from '../src/adapters/ssh/index.ts';
import { renderCommand, type CommandRequest } from '../src/core/safety/command-catalogue.ts';
import { startSimDockerApi } from '../src/sim/docker/index.ts';
import { pveshFromRoutes, startSimSshServers } from '../src/sim/ssh/index.ts';
import { SimWorld } from '../src/sim/world/sim-world.ts';

const iterations = Number(process.argv[2] ?? 100);
const world = new SimWorld({ seed: 1, nodes: 4, guests: 20, taskDurationMs: 100, staleHorizonMs: 300_000, tickSeconds: 2 });
const ssh = await startSimSshServers(world, { hooks: { pveshGet: pveshFromRoutes(world) } });
const docker = await startSimDockerApi(world);
const nodes = Object.fromEntries(Object.entries(ssh.ports).map(([node, port]) => [node, { host: '127.0.0.1', port }]));
const runner = new SshShellRunner({ nodes, privateKey: ssh.clientKey.privateKey, knownHosts: ssh.knownHosts });
const dockerApi = createDockerApi({ hosts: docker.urls });
if (!dockerApi.ok) throw new Error(dockerApi.error.message);
const api = dockerApi.value;

async function measure(label: string, call: () => Promise<boolean>): Promise<void> {
  for (let index = 0; index < 5; index += 1) await call();
  const samples: number[] = [];
  let failures = 0;
  for (let index = 0; index < iterations; index += 1) {
    const start = performance.now();
    if (!(await call())) failures += 1;
    samples.push(performance.now() - start);
  }
  samples.sort((a, b) => a - b);
  const at = (q: number) => samples[Math.min(samples.length - 1, Math.floor(q * samples.length))]!.toFixed(1);
  console.log(
    `${label.padEnd(34)} p50 ${at(0.5).padStart(6)} ms  p99 ${at(0.99).padStart(6)} ms  max ${samples.at(-1)!.toFixed(1).padStart(6)} ms  failures ${failures}`,
  );
}

const ssh1 = (request: CommandRequest) => async () => {
  const command = renderCommand(request, { now: world.now() });
  return command.ok && (await runner.run('pve', command.value)).ok;
};

console.log(`${iterations} iterations each, one SSH connection per command`);
await measure('ssh uptime', ssh1({ id: 'uptime' }));
await measure('ssh disk_usage (df)', ssh1({ id: 'disk_usage' }));
await measure('ssh journal 100 lines', ssh1({ id: 'journal', params: { unit: 'pveproxy', since: '1d', lines: 100 } }));
await measure('ssh pvesh get /cluster/resources', ssh1({ id: 'pvesh_get', params: { path: '/cluster/resources' } }));
await measure('docker list containers', async () => (await api.listContainers('docker@103')).ok);
await measure('docker logs tail 100', async () => (await api.containerLogs('docker@103', 'uptime-kuma', { tail: 100 })).ok);
await measure('docker restart (inspect+POST+inspect)', async () => (await api.doContainerAction('docker@103', 'uptime-kuma', 'restart')).ok);

await ssh.close();
await docker.close();
