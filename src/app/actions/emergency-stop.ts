/**
 * The emergency stop switch, audited: the audit row is written first and the switch is not
 * changed when it cannot be (AUDIT_UNAVAILABLE). Freezing is open to operators and admins;
 * lifting it is for admins only. Used by `jarvis freeze/unfreeze` and the dashboard route.
 */
import { jarvisError, ok, type JarvisError, type Result } from '../../core/errors.ts';
import type { AuditLog } from '../../core/ports/audit.ts';
import type { Clock } from '../../core/ports/clock.ts';
import { principalOf } from '../../core/ports/events.ts';
import type { FreezeState, SettingsStore } from '../../core/ports/settings.ts';
import { approverActor, type Approver } from './execution-outcome.ts';

export async function setEmergencyStop(
  deps: { audit: AuditLog; settings: SettingsStore; clock: Clock },
  request: { frozen: boolean; by: Approver; reason?: string | undefined; tool?: string | undefined },
): Promise<Result<FreezeState, JarvisError>> {
  const { frozen, by } = request;
  const allowed = frozen ? ['admin', 'operator'] : ['admin'];
  if (!allowed.includes(by.role)) {
    return {
      ok: false,
      error: jarvisError('DENIED', `role '${by.role}' may not ${frozen ? 'engage' : 'lift'} the emergency stop`, {
        hint: frozen ? 'operators and admins can freeze' : 'only an admin can unfreeze',
      }),
    };
  }
  const now = deps.clock.now();
  const actor = approverActor(by); // `user:ops`, or `token:desktop` for an API token
  const recorded = await deps.audit.append({
    kind: 'setting',
    time: now,
    actor,
    tool: request.tool ?? (frozen ? 'freeze' : 'unfreeze'),
    params: { frozen, ...(request.reason ? { reason: request.reason } : {}) },
    result: frozen ? 'emergency stop ON' : 'emergency stop OFF',
  });
  if (!recorded.ok) return recorded;
  const state: FreezeState = { frozen, by: principalOf(actor), at: now, reason: request.reason };
  const saved = await deps.settings.setFreeze(state);
  return saved.ok ? ok(state) : saved;
}
