import type { SimCommand } from '../sim-command.ts';
import { stderr, stdout } from '../sim-command.ts';

/** Directories the `clear_temp` remediation may sweep (mirrors the catalogue's allowlist). */
const TEMP_DIRECTORIES = new Set(['/tmp', '/var/tmp', '/var/cache/apt/archives']);

/** `find <dir> -xdev -type f -mtime +7 -delete`: succeeds silently for an allowlisted directory, deletes nothing real. */
export const remediationCommands: readonly SimCommand[] = [
  {
    pattern: ['find', '{path}', '-xdev', '-type', 'f', '-mtime', '+7', '-delete'],
    answer(_view, _node, { path }) {
      return TEMP_DIRECTORIES.has(path!) ? stdout('') : stderr(`find: '${path}': No such file or directory\n`, 1);
    },
  },
];
