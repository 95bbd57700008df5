import type { AppOptions } from '../../app/app-options.ts';
import { authPaths } from '../../app/auth/auth-paths.ts';
import type { JarvisConfig } from '../../config/index.ts';
import { monitorSettingsFromConfig } from './monitor-from-config.ts';

/** Maps the loaded config to the app's own options (src/app may not import src/config). */
export function appOptionsFromConfig(
  config: JarvisConfig,
  extra: { webRoot?: string | undefined; defaultMetrics?: boolean; simulated?: boolean } = {},
): AppOptions {
  return {
    topology: config.topology,
    poll: { ...config.poll, timeoutMs: config.timeouts.pveMs },
    server: {
      allowedOrigins: config.server.allowedOrigins,
      secureCookies: config.server.secureCookies,
      trustProxy: config.server.trustProxy,
      sessionTtlMs: config.server.sessionTtlMs,
      maxWsClients: config.server.maxWsClients,
    },
    admin: { password: config.secrets.adminPassword, passwordFile: authPaths(config.paths.dataDir).adminPasswordFile },
    actTimeoutMs: config.timeouts.taskMs,
    twoPersonRule: config.approvals.twoPersonRule,
    // Acts keep the tools' 30 s default: MCP clients give up on a request after 60 s.
    toolTimeouts: { read: config.timeouts.pveMs, act: 30_000, shell: config.timeouts.sshMs, docker: config.timeouts.dockerMs },
    aiEnabled: config.llm.enabled,
    chat: config.chat,
    // SSH reaches a real node only through its configured address; the simulator serves every node.
    sshNodes: config.topology.nodes.filter((node) => extra.simulated === true || node.address !== undefined).map((node) => node.name),
    allowedHosts: [
      config.topology.self.address,
      ...config.server.allowedHosts,
      ...(['0.0.0.0', '::', '127.0.0.1'].includes(config.server.host) ? [] : [config.server.host]),
    ],
    webRoot: extra.webRoot,
    deltaPrecision: config.ui.deltaPrecision,
    monitor: monitorSettingsFromConfig(
      config,
      config.topology.nodes.filter((node) => extra.simulated === true || node.address !== undefined).map((node) => node.name),
    ),
    ...(extra.defaultMetrics !== undefined ? { defaultMetrics: extra.defaultMetrics } : {}),
  };
}
