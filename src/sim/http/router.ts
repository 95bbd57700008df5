/**
 * A small path-pattern router: `/nodes/{node}/qemu/{vmid}/status/current` → handler. Segments are
 * URI-decoded (UPIDs arrive encoded or raw, as PVE accepts both).
 */
import type { SimWorld } from '../world/sim-world.ts';
import type { NodeState } from '../world/types.ts';
import type { Identity } from './auth.ts';
import type { Reply } from './reply.ts';

export interface RouteContext {
  readonly world: SimWorld;
  readonly method: string;
  /** Path after /api2/json. */
  readonly path: string;
  readonly params: Readonly<Record<string, string>>;
  /** Query (GET/DELETE) merged with body (POST/PUT) parameters. */
  readonly args: Readonly<Record<string, string>>;
  readonly identity: Identity;
  /** Resolved `{node}` when the pattern has one. */
  readonly node: NodeState;
  /** SHA-256 fingerprint of the server certificate (as /nodes reports it). */
  readonly fingerprint: string;
}

export interface Route {
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  readonly pattern: string;
  /** Executed on `{node}` in real PVE: refused with 595 when that node is offline. */
  readonly proxied?: boolean;
  /** Privilege needed, with the ACL path it is checked on; omitted = any authenticated user. */
  readonly permission?: (params: Readonly<Record<string, string>>) => { readonly path: string; readonly privilege: string };
  readonly handler: (context: RouteContext) => Reply | Promise<Reply>;
}

interface CompiledRoute {
  readonly route: Route;
  readonly segments: readonly string[];
}

export interface RouteMatch {
  readonly route: Route;
  readonly params: Record<string, string>;
}

export class Router {
  private readonly compiled: CompiledRoute[] = [];

  constructor(routes: readonly Route[]) {
    for (const route of routes) this.compiled.push({ route, segments: route.pattern.split('/').filter(Boolean) });
  }

  /** Finds the route for a method and path, or undefined (the caller answers 501). */
  match(method: string, path: string): RouteMatch | undefined {
    const parts = path.split('/').filter(Boolean).map(safeDecode);
    for (const { route, segments } of this.compiled) {
      if (route.method !== method || segments.length !== parts.length) continue;
      const params: Record<string, string> = {};
      let matched = true;
      for (let i = 0; i < segments.length && matched; i++) {
        const segment = segments[i]!;
        const part = parts[i]!;
        if (segment.startsWith('{')) params[segment.slice(1, -1)] = part;
        else matched = segment === part;
      }
      if (matched) return { route, params };
    }
    return undefined;
  }
}

function safeDecode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}
