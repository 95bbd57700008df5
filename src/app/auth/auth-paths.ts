import { join } from 'node:path';

/** Where auth state lives under the data directory (one place, so the server and `jarvis token` agree). */
export function authPaths(dataDir: string): { database: string; adminPasswordFile: string } {
  return { database: join(dataDir, 'auth.db'), adminPasswordFile: join(dataDir, 'admin-password') };
}
