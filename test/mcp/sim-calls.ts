/** One valid call per tool against the seed simulator (guests 100-110, 200-208; docker@103). */
export const SIM_CALLS: Readonly<Record<string, Record<string, unknown>>> = {
  check_cluster_health: {},
  get_resource_usage: { vmid: 100 },
  search_logs: { node: 'agent1', minutes: 120 },
  check_service: { node: 'pve', service: 'pveproxy' },
  run_diagnostic: { node: 'pve', command: 'disk_usage' },
  manage_vm: { vmid: 100, action: 'start' },
  manage_docker: { action: 'list' },
  execute_remediation: { node: 'pve', remediation: 'clear_temp', path: '/tmp' },
};
