/**
 * Shared look-ups for tools: a fresh-enough snapshot and guest identity resolution
 * (VMID -> node, type, name from the live cluster, never from the model's words).
 */
import type { ClusterSnapshot, Guest } from '../../core/domain/cluster.ts';
import { err, jarvisError, ok, type JarvisError, type Result } from '../../core/errors.ts';
import type { ToolRun } from './tool-context.ts';

/** Snapshots older than this are re-read before an act resolves identity. */
const MAX_AGE_MS = 15_000;

/** The poller's snapshot when fresh (reads only), else a fresh read from PVE. */
export async function currentSnapshot(run: ToolRun, maxAgeMs = MAX_AGE_MS): Promise<Result<ClusterSnapshot, JarvisError>> {
  const cached = run.context.snapshot();
  if (cached && cached.version > 0 && run.now - cached.takenAt <= maxAgeMs) return ok(cached);
  return run.context.cluster.readSnapshot({ signal: run.signal, timeoutMs: run.context.timeouts.read });
}

/** Finds the guest `vmid` in a fresh snapshot; PVE_NOT_FOUND with the known ids when absent. */
export async function resolveGuest(run: ToolRun, vmid: number): Promise<Result<Guest, JarvisError>> {
  const snapshot = await run.context.cluster.readSnapshot({ signal: run.signal, timeoutMs: run.context.timeouts.read });
  if (!snapshot.ok) return snapshot;
  const guest = snapshot.value.guests.find((candidate) => candidate.vmid === vmid);
  if (!guest) {
    const known = snapshot.value.guests.map((candidate) => candidate.vmid).slice(0, 30);
    return err(jarvisError('PVE_NOT_FOUND', `no guest with VMID ${vmid} in the cluster`, { hint: `known VMIDs: ${known.join(', ')}`, details: { known } }));
  }
  return ok(guest);
}
