/** One valid call per tool (used by the contract tests, the MCP tests and the latency bench). */
export const SAMPLE_CALLS: Readonly<Record<string, Record<string, unknown>>> = {
  check_cluster_health: {},
  get_resource_usage: { node: 'pve' },
  search_logs: { node: 'agent1', minutes: 30 },
  check_service: { node: 'pve', service: 'pveproxy' },
  run_diagnostic: { node: 'pve', command: 'disk_usage' },
  manage_vm: { vmid: 100, action: 'start' },
  manage_docker: { action: 'list' },
  execute_remediation: { node: 'pve', remediation: 'clear_temp', path: '/tmp' },
};

/** Which simulated dependency each tool needs (a fault there must give a structured error). */
export const TOOL_DEPENDENCY: Readonly<Record<string, 'pve' | 'ssh' | 'docker'>> = {
  check_cluster_health: 'pve',
  get_resource_usage: 'pve',
  search_logs: 'pve',
  check_service: 'pve',
  run_diagnostic: 'ssh',
  manage_vm: 'pve',
  manage_docker: 'docker',
  execute_remediation: 'ssh',
};
