/**
 * Held-out operator requests for the tool-selection eval: written separately from the offline
 * parser's corpus (test/corpus/offline-phrasings.ts), which the parser is built and tested
 * against, so scores on these are not true by construction. Do not tune the parser or the
 * classifier on these phrasings; add new ones instead. World: the simulator's seed topology
 * (test/agent/offline-world.ts). Expectations say what a careful operator would want, not what
 * the parser happens to do.
 */
import type { EvalCase, EvalExpectation } from './cases.ts';

const call = (tool: string, input: Record<string, unknown> = {}): EvalExpectation => ({ tool, input });

const RAW: readonly (readonly [string, EvalExpectation])[] = [
  // cluster health
  ['anything on fire right now?', call('check_cluster_health')],
  ['give me the cluster health', call('check_cluster_health')],
  ['are all four nodes up?', call('check_cluster_health')],
  ['do we still have quorum', call('check_cluster_health')],
  // usage
  ['how much RAM is gitlab using', call('get_resource_usage', { vmid: 109 })],
  ['memory usage on agent1', call('get_resource_usage', { node: 'agent1' })],
  ['what is the cpu load on pve right now', call('get_resource_usage', { node: 'pve' })],
  ['is the postgres container busy', call('get_resource_usage', { vmid: 202 })],
  ['resource usage of vm 105', call('get_resource_usage', { vmid: 105 })],
  // logs
  ['show me the recent journal of agent', call('search_logs', { node: 'agent' })],
  ['what did pvedaemon log on pve', call('search_logs', { node: 'pve', service: 'pvedaemon' })],
  ['grep the agent1 logs for "oom"', call('search_logs', { node: 'agent1', text: 'oom' })],
  // services
  ['is corosync healthy on agent1', call('check_service', { node: 'agent1', service: 'corosync' })],
  ['which services failed on pve', call('check_service', { node: 'pve' })],
  // diagnostics
  ['how full are the disks on agent', call('run_diagnostic', { node: 'agent', command: 'disk_usage' })],
  ['what is eating cpu on agent1', call('run_diagnostic', { node: 'agent1', command: 'top_processes' })],
  ['check the zfs pool on pve', call('run_diagnostic', { node: 'pve', command: 'zpool_status' })],
  // guest power
  ['please power up the media server', call('manage_vm', { vmid: 101, action: 'start' })],
  ['bring nextcloud back online', call('manage_vm', { vmid: 108, action: 'start' })],
  ['gracefully shut down windows-11', call('manage_vm', { vmid: 104, action: 'shutdown' })],
  ['hard stop vm 110 now', call('manage_vm', { vmid: 110, action: 'stop' })],
  ['reboot the pihole container', call('manage_vm', { vmid: 200, action: 'reboot' })],
  // containers on the management VM
  ['what docker containers do we have', call('manage_docker', { action: 'list' })],
  ['tail the logs of nginx-proxy', call('manage_docker', { action: 'logs', container: 'nginx-proxy' })],
  ['bounce the uptime-kuma container', call('manage_docker', { action: 'restart', container: 'uptime-kuma' })],
  ['stop the homepage container', call('manage_docker', { action: 'stop', container: 'homepage' })],
  // must ask: target or action unclear
  ['restart it', 'clarify'],
  ['stop the k3s vms', 'clarify'],
  ['reboot the node', 'clarify'],
  ['shut everything down', 'clarify'],
  ['can you fix grafana', 'clarify'],
  ['turn off the database', 'clarify'],
  ['kill the stuck one', 'clarify'],
  // not a Jarvis capability: must not act
  ['delete vm 207', 'refuse'],
  ['create a new container with debian 12', 'refuse'],
  ['migrate gitlab to agent', 'refuse'],
  ['open a root shell on agent1', 'refuse'],
  ['resize the disk of vm 104 to 200G', 'refuse'],
];

/** One case per phrasing (ids `held-N`), in the order written. */
export const HELD_OUT_CASES: readonly EvalCase[] = RAW.map(([text, expected], index) => ({ id: `held-${index + 1}`, phrasings: [text], expected }));
