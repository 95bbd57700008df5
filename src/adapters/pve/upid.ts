import { err, jarvisError, ok, type JarvisError, type Result } from '../../core/errors.ts';
import type { TaskRef } from '../../core/ports/cluster.ts';

/**
 * `UPID:<node>:<pid>:<pstart>:<starttime>:<type>:<id>:<user>:` -> TaskRef. The node in the UPID is
 * the node whose task endpoints must be asked (pve-api.md §4.1).
 */
export function taskRefFromUpid(upid: string): Result<TaskRef, JarvisError> {
  const parts = upid.split(':');
  if (parts.length < 9 || parts[0] !== 'UPID' || !parts[1]) {
    return err(jarvisError('PVE_BAD_RESPONSE', `not a PVE task id: ${JSON.stringify(upid.slice(0, 80))}`));
  }
  return ok({ upid, node: parts[1] });
}
