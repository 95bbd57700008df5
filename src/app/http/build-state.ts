import type { ClusterSnapshot } from '../../core/domain/cluster.ts';
import type { SnapshotDto, StateDto, TaskDto } from '../../protocol/index.ts';
import type { Principal } from '../auth/roles.ts';
import type { ApprovalsService, FreezeSwitch, SettingsStore, StateReader } from './http-deps.ts';

/** Domain snapshot -> wire DTO (copies the readonly arrays; undefined fields vanish in JSON). */
export function toSnapshotDto(snapshot: ClusterSnapshot): SnapshotDto {
  return {
    ...snapshot,
    nodes: snapshot.nodes.map((node) => ({ ...node })),
    guests: snapshot.guests.map((guest) => ({ ...guest, tags: [...guest.tags] })),
    storage: snapshot.storage.map((entry) => ({ ...entry, content: [...entry.content] })),
  };
}

export interface StateParts {
  readonly clock: { now(): number };
  readonly state: StateReader;
  readonly freeze: FreezeSwitch;
  readonly settings: SettingsStore;
  readonly approvals: Pick<ApprovalsService, 'pendingCount'>;
  /** Recent PVE tasks, newest first (the task tracker); absent = none listed. */
  readonly tasks?: (() => TaskDto[]) | undefined;
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
  const base = {
    serverTime: parts.clock.now(),
    seq,
    snapshot: snapshot ? toSnapshotDto(snapshot) : null,
    data: health,
    settings: parts.settings.get(),
    approvalsPending: parts.approvals.pendingCount(),
    user: { name: principal.name, role: principal.role },
    ...(parts.tasks ? { tasks: parts.tasks() } : {}),
  };
  const freeze = await parts.freeze.get();
  return { ...base, freeze: freeze.ok ? freeze.value : { frozen: true, reason: `emergency stop state unreadable: ${freeze.error.message}` } };
}
