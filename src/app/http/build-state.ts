import type { ClusterSnapshot } from '../../core/domain/cluster.ts';
import type { SnapshotDto, StateDto, TaskDto } from '../../protocol/index.ts';
import type { Principal } from '../auth/roles.ts';
import type { ApprovalsService, FreezeSwitch, RuntimeSettings, StateReader } from './http-deps.ts';

/**
 * Domain snapshot -> wire DTO. The shapes are the same (undefined fields vanish in JSON); the
 * snapshot is immutable and nothing downstream mutates a DTO (deltas build new objects), so the
 * entities are shared, not copied: a copy of 10,000 guests per poll was pure GC work.
 */
export function toSnapshotDto(snapshot: ClusterSnapshot): SnapshotDto {
  return snapshot as unknown as SnapshotDto;
}

export interface StateParts {
  readonly clock: { now(): number };
  readonly state: StateReader;
  readonly freeze: FreezeSwitch;
  readonly settings: RuntimeSettings;
  readonly approvals: Pick<ApprovalsService, 'pendingCount'>;
  /** Where Jarvis runs (topology.self), shown as the protected chain. */
  readonly self?: StateDto['self'];
  /** Recent PVE tasks, newest first (the task tracker); absent = none listed. */
  readonly tasks?: (() => TaskDto[]) | undefined;
  /** What answers chat now (the settings switch and the model gateway); absent = not reported. */
  readonly aiStatus?: (() => StateDto['aiStatus']) | undefined;
  /** The hub's latest frame number (0 without a hub). */
  seq(): number;
}

/**
 * GET /api/state body and the WS `snapshot` payload (same function: they must never diverge).
 * `seq` and the snapshot are read together, synchronously, before the first await, so the state
 * is exactly "as of seq". An unreadable emergency stop reads as frozen (fail closed).
 */
export async function buildState(parts: StateParts, principal: Principal): Promise<StateDto> {
  const seq = parts.seq();
  const { snapshot, health } = parts.state.current();
  // The dashboard's published view (what the deltas built) when there is one, so a refetch lands on
  // exactly the state the next delta applies to; the exact snapshot otherwise.
  const published = parts.state.published?.();
  const base = {
    serverTime: parts.clock.now(),
    seq,
    snapshot: published ? published.snapshot : snapshot ? toSnapshotDto(snapshot) : null,
    data: health,
    settings: parts.settings.get(),
    approvalsPending: parts.approvals.pendingCount(),
    user: { name: principal.name, role: principal.role },
    ...(parts.self ? { self: parts.self } : {}),
    ...(parts.tasks ? { tasks: parts.tasks() } : {}),
    ...(parts.aiStatus ? { aiStatus: parts.aiStatus() } : {}),
  };
  const freeze = await parts.freeze.get();
  return { ...base, freeze: freeze.ok ? freeze.value : { frozen: true, reason: `emergency stop state unreadable: ${freeze.error.message}` } };
}

/**
 * The same state as JSON, with the snapshot's JSON taken from the published view's cache: one
 * serialisation of the (large) snapshot per version, shared by every client and every GET /api/state.
 */
export async function buildStateJson(parts: StateParts, principal: Principal): Promise<{ seq: number; json: string }> {
  const published = parts.state.published?.();
  const state = await buildState(parts, principal);
  if (!published || state.snapshot !== published.snapshot) return { seq: state.seq, json: JSON.stringify(state) };
  const { snapshot: _cached, ...rest } = state;
  const head = JSON.stringify(rest);
  return { seq: state.seq, json: `${head.slice(0, -1)},"snapshot":${published.json}}` };
}
