import type { Topology } from '../core/domain/topology.ts';
import type { AuthStore } from '../core/ports/auth.ts';
import type { ClusterApi, GuestActuator } from '../core/ports/cluster.ts';
import type { Clock } from '../core/ports/clock.ts';
import type { Logger } from '../core/ports/logger.ts';

/**
 * What createJarvis needs to know, as plain data. The app may not import src/config (layer rule):
 * src/cli maps the loaded JarvisConfig to these options (src/cli/compose/app-options-from-config.ts).
 */
export interface AppOptions {
  readonly topology: Topology;
  readonly poll: {
    readonly intervalMs: number;
    readonly staleAfterMs: number;
    readonly storageThreshold: number;
    /** Deadline of one full-state read (ms). */
    readonly timeoutMs: number;
  };
  readonly server: {
    readonly allowedOrigins: readonly string[];
    /** Secure flag on the session cookie; false only for plain http (loopback). */
    readonly secureCookies: boolean;
    readonly sessionTtlMs: number;
    readonly maxWsClients: number;
  };
  readonly admin: {
    /** From JARVIS_ADMIN_PASSWORD(_FILE); absent = generated on first start. */
    readonly password?: string | undefined;
    /** Where a generated password is written (0600). */
    readonly passwordFile: string;
  };
  /** Built dashboard (web/dist); not served when missing. */
  readonly webRoot?: string | undefined;
  /** Prometheus default process metrics (off in tests that build many apps). */
  readonly defaultMetrics?: boolean | undefined;
}

/**
 * The outside world, as ports. Other engineers add optional ports here (shell, docker, audit,
 * tickets...) and wire them in createJarvis; absent optional ports get in-memory stand-ins.
 */
export interface JarvisPorts {
  readonly cluster: ClusterApi;
  readonly actuator: GuestActuator;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Users, sessions and API tokens; default: in memory (nothing survives a restart). */
  readonly authStore?: AuthStore | undefined;
}
