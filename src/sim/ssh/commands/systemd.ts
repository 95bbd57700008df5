import type { SimService } from '../../host-view.ts';
import type { SimCommand, SimCommandResult } from '../sim-command.ts';
import { stderr, stdout } from '../sim-command.ts';
import { ago, isoSeconds, parseJournalTime, systemdTimestamp } from './format.ts';

/** Unit names the catalogue can render (it appends `.service`). */
const UNIT = /^([a-zA-Z0-9][a-zA-Z0-9@._-]{0,63})\.service$/;

/** systemctl status / list-units --failed / restart and journalctl -u, answered from the host view. */
export const systemdCommands: readonly SimCommand[] = [
  {
    pattern: ['systemctl', 'status', '--no-pager', '--lines=0', '{unit}'],
    answer(view, node, { unit }) {
      const service = findService(view.services(node), unit!);
      if (!service) return stderr(`Unit ${unit} could not be found.\n`, 4);
      return stdout(statusText(service, view.now() / 1000), service.activeState === 'active' ? 0 : 3);
    },
  },
  {
    pattern: ['systemctl', 'list-units', '--failed', '--no-pager', '--plain', '--no-legend'],
    answer(view, node) {
      const failed = view.services(node).filter((service) => service.activeState === 'failed');
      return stdout(failed.map((service) => `${service.unit}.service loaded failed ${service.subState} ${service.description}\n`).join(''));
    },
  },
  {
    pattern: ['systemctl', 'restart', '{unit}'],
    answer(view, node, { unit }, hooks) {
      const service = findService(view.services(node), unit!);
      if (!service) return stderr(`Failed to restart ${unit}: Unit ${unit} not found.\n`, 5);
      // Without a hook (a read-only view) the restart succeeds and changes nothing.
      hooks.restartService?.(node, service.unit);
      return stdout('');
    },
  },
  {
    pattern: ['journalctl', '-u', '{unit}', '--since', '{since}', '-n', '{lines}', '--no-pager', '-o', 'short-iso'],
    answer: journal,
  },
];

function journal(view: Parameters<SimCommand['answer']>[0], node: string, captures: Readonly<Record<string, string>>): SimCommandResult {
  const match = UNIT.exec(captures.unit!);
  const sinceEpoch = parseJournalTime(captures.since!);
  const limit = /^\d{1,4}$/.test(captures.lines!) ? Number(captures.lines) : Number.NaN;
  if (sinceEpoch === undefined) return stderr(`Failed to parse timestamp: ${captures.since}\n`, 1);
  if (!Number.isInteger(limit)) return stderr(`Failed to parse lines '${captures.lines}'\n`, 1);
  if (!match) return stderr(`Invalid unit name "${captures.unit}" escaped as "${captures.unit}".\n`, 1);
  const entries = view.journal(node, { unit: match[1], sinceEpoch, limit });
  if (entries.length === 0) return stdout('-- No entries --\n');
  // Messages are printed verbatim: hostile lines are the point of injection scenarios.
  const lines = entries.map(
    (entry) => `${isoSeconds(entry.time)} ${node} ${entry.identifier}${entry.pid !== undefined ? `[${entry.pid}]` : ''}: ${entry.message}\n`,
  );
  return stdout(lines.join(''));
}

function findService(services: readonly SimService[], unitArgument: string): SimService | undefined {
  const match = UNIT.exec(unitArgument);
  return match ? services.find((service) => service.unit === match[1]) : undefined;
}

function statusText(service: SimService, nowSeconds: number): string {
  const bullet = service.activeState === 'failed' ? '×' : service.activeState === 'active' ? '●' : '○';
  const preset = service.unitState === 'enabled' ? 'enabled' : 'disabled';
  const result = service.activeState === 'failed' ? ` (Result: exit-code)` : ` (${service.subState})`;
  const lines = [
    `${bullet} ${service.unit}.service - ${service.description}`,
    `     Loaded: loaded (/lib/systemd/system/${service.unit}.service; ${service.unitState}; preset: ${preset})`,
    `     Active: ${service.activeState}${result} since ${systemdTimestamp(service.since)}; ${ago(nowSeconds - service.since)}`,
  ];
  if (service.mainPid !== undefined) {
    const status = service.activeState === 'failed' ? `(code=exited, status=1/FAILURE)` : `(${service.unit.split('@')[0]})`;
    lines.push(`   Main PID: ${service.mainPid} ${status}`);
  }
  return lines.map((line) => `${line}\n`).join('');
}
