import type { Topology } from '../core/domain/topology.ts';
import type { ConfigFile } from './config-schema.ts';
import type { Secrets } from './secrets.ts';

/**
 * The validated, resolved and frozen configuration passed down from the CLI. Paths are absolute,
 * defaults that depend on other keys are filled in, the topology is the core type, and secrets
 * come from the environment (never the file).
 */
export interface JarvisConfig {
  /** Where the settings came from (for messages); `file` is absent when no config file was used. */
  readonly source: { readonly file?: string | undefined };
  readonly pve: ConfigFile['pve'];
  readonly topology: Topology;
  readonly server: ConfigFile['server'];
  readonly paths: { readonly dataDir: string; readonly auditDb: string };
  readonly poll: { readonly intervalMs: number; readonly staleAfterMs: number; readonly storageThreshold: number };
  readonly timeouts: ConfigFile['timeouts'];
  readonly ssh: { readonly user: string; readonly port: number; readonly keyFile?: string | undefined; readonly knownHostsFile: string };
  readonly docker: ConfigFile['docker'];
  readonly llm: ConfigFile['llm'];
  readonly ui: ConfigFile['ui'];
  readonly simulator: ConfigFile['simulator'];
  readonly monitor: ConfigFile['monitor'];
  /** Approval policy (`safety.twoPersonRule`); the lists and tiers are in `topology`. */
  readonly approvals: { readonly twoPersonRule: boolean };
  readonly chat: ConfigFile['chat'];
  readonly secrets: Secrets;
  /** The JARVIS_NOTIFY_<CHANNEL>_* secret variables (and their _FILE forms), the only env the notifiers read. */
  readonly notifyEnv: Readonly<Record<string, string | undefined>>;
}

/** True when no real cluster is configured: `jarvis start` then runs the embedded simulator. */
export function usesEmbeddedSimulator(config: JarvisConfig): boolean {
  return config.pve.url === undefined;
}
