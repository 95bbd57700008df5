import type { AuthRole } from '../../core/ports/auth.ts';
import type { Principal } from '../auth/roles.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the authenticated plugin's hook; always present inside it. */
    principal?: Principal;
  }
  interface FastifyContextConfig {
    /** Minimum role for the route. Default: viewer for GET/HEAD, operator otherwise. */
    minRole?: AuthRole;
  }
}

export {};
