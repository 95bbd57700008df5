import type { ModelGatewayStatus } from '../../core/llm/model-port.ts';
import type { StateDto } from '../../protocol/index.ts';

/**
 * The dashboard's truthful AI status (StateDto.aiStatus) from the settings switch and the
 * gateway's own status: AI switched off wins; no gateway, or one with no model or none reachable,
 * is `no-model`; hybrid and cloud-only both read `cloud`.
 */
export function aiStatusOf(aiEnabled: boolean, gateway: Pick<ModelGatewayStatus, 'mode'> | undefined): NonNullable<StateDto['aiStatus']> {
  if (!aiEnabled) return 'off';
  switch (gateway?.mode) {
    case 'off':
      return 'off';
    case 'simulated':
      return 'simulated';
    case 'local-only':
      return 'local-only';
    case 'over-budget':
      return 'over-budget';
    case 'hybrid':
    case 'cloud-only':
      return 'cloud';
    case 'no-model':
    case 'down':
    case undefined:
      return 'no-model';
  }
}
