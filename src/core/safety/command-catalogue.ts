/**
 * The diagnostic command catalogue: the only shell commands Jarvis can express.
 *
 * A command is a catalogue id plus typed parameters. `renderCommand` validates the parameters and
 * renders a fixed argv; nothing outside this file can build a `RenderedCommand` (it carries a
 * module-private brand), so an SSH runner that accepts only `RenderedCommand` cannot be handed a
 * free-form string. Every rendered argument is re-checked against a conservative ASCII charset as a
 * last line of defence: no shell metacharacter, newline or unicode look-alike ever leaves here.
 */
import { z } from 'zod';
import { err, jarvisError, ok, type JarvisError, type Result } from '../errors.ts';

const BRAND: unique symbol = Symbol('jarvis.RenderedCommand');

/** A validated, rendered command. Only `renderCommand` can create one. */
export interface RenderedCommand {
  readonly id: CommandId;
  readonly argv: readonly string[];
  readonly tier: 'green' | 'yellow';
  readonly [BRAND]: true;
}

/** Unit names: ASCII, no '..', not ending in '.service' (the catalogue appends it). */
export const UNIT_NAME = /^[a-zA-Z0-9][a-zA-Z0-9@._-]{0,63}$/;
/** Node names as PVE allows them (DNS label). */
export const NODE_NAME = /^[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?$/;
/** Durations for `journal.since`: 1..9999 m/h/d, at most 7 days. */
export const DURATION = /^([1-9][0-9]{0,3})([mhd])$/;
export const MAX_SINCE_MS = 7 * 24 * 3600 * 1000;

/** Units `service_restart` may never touch, whatever config says. */
export const PROTECTED_UNITS: readonly string[] = [
  'corosync',
  'pve-cluster',
  'pve-ha-crm',
  'pve-ha-lrm',
  'pve-firewall',
  'networking',
  'systemd-networkd',
  'ssh',
  'sshd',
  'docker',
  'containerd',
  'dbus',
  'systemd-journald',
  'systemd-logind',
  'jarvis',
  'watchdog-mux',
];
/**
 * True when `unit` is a protected unit or an instance / sibling unit of one: the name before the
 * first '@' or '.' is compared, so `ssh@x`, `ssh.socket` and `corosync.path` are protected too.
 */
export function isProtectedUnit(unit: string): boolean {
  return PROTECTED_UNITS.includes(unit) || PROTECTED_UNITS.includes(unit.split(/[@.]/)[0] ?? unit);
}
/** Units `service_restart` may restart by default (config may narrow this list, never widen past PROTECTED_UNITS). */
export const DEFAULT_RESTARTABLE_UNITS: readonly string[] = [
  'pveproxy',
  'pvedaemon',
  'pvestatd',
  'spiceproxy',
  'pvescheduler',
  'chrony',
  'cron',
  'rsyslog',
  'smartd',
  'zfs-zed',
  'nginx',
  'apache2',
  'postfix',
  'node-exporter',
  'prometheus-node-exporter',
];
/** Paths `clear_temp` may clean. */
export const CLEAR_TEMP_PATHS = ['/tmp', '/var/tmp', '/var/cache/apt/archives'] as const;
/** Read paths `pvesh_get` may query; `{node}` is a NODE_NAME segment. */
export const PVESH_READ_PATHS: readonly string[] = [
  '/version',
  '/cluster/status',
  '/cluster/resources',
  '/cluster/tasks',
  '/cluster/ha/status/current',
  '/nodes',
  '/nodes/{node}/status',
  '/nodes/{node}/disks/list',
  '/nodes/{node}/services',
  '/nodes/{node}/network',
  '/nodes/{node}/storage',
  '/nodes/{node}/qemu',
  '/nodes/{node}/lxc',
  '/nodes/{node}/tasks',
  '/nodes/{node}/version',
];

const unitName = z
  .string()
  .regex(UNIT_NAME, 'unit must match ^[a-zA-Z0-9][a-zA-Z0-9@._-]{0,63}$')
  .refine((unit) => !unit.includes('..'), "unit must not contain '..'")
  .refine((unit) => !unit.endsWith('.service'), "give the unit without '.service'");

const none = z.object({}).strict();

/** Parameter schemas per command id (zod 4; usable for tool input JSON schemas). */
export const COMMAND_PARAMS = {
  disk_usage: none,
  memory: none,
  load: none,
  uptime: none,
  top_processes: none,
  service_status: z.object({ unit: unitName }).strict(),
  failed_units: none,
  journal: z
    .object({
      unit: unitName,
      since: z.string().regex(DURATION, "since is a duration like '15m', '2h', '1d' (max 7d)").default('1h'),
      lines: z.number().int().min(1).max(500).default(100),
    })
    .strict(),
  ip_addr: none,
  pvesh_get: z.object({ path: z.string().max(128) }).strict(),
  zpool_status: none,
  pveversion: none,
  service_restart: z.object({ unit: unitName }).strict(),
  clear_temp: z.object({ path: z.enum(CLEAR_TEMP_PATHS) }).strict(),
} as const;

export type CommandId = keyof typeof COMMAND_PARAMS;
export const COMMAND_IDS = Object.keys(COMMAND_PARAMS) as CommandId[];

/** Catalogue metadata: tier and a one-line description for tools and docs. */
export const COMMAND_INFO: Readonly<Record<CommandId, { tier: 'green' | 'yellow'; description: string }>> = {
  disk_usage: { tier: 'green', description: 'Filesystem usage in bytes (df -P -B1, no tmpfs)' },
  memory: { tier: 'green', description: 'Memory and swap in bytes (free -b)' },
  load: { tier: 'green', description: 'Load averages (/proc/loadavg)' },
  uptime: { tier: 'green', description: 'Uptime and load (uptime)' },
  top_processes: { tier: 'green', description: 'Processes by CPU (ps, output capped by the runner)' },
  service_status: { tier: 'green', description: 'systemctl status of one unit' },
  failed_units: { tier: 'green', description: 'Failed systemd units' },
  journal: { tier: 'green', description: 'Journal lines of one unit since a duration ago' },
  ip_addr: { tier: 'green', description: 'Interfaces and addresses (ip -brief addr)' },
  pvesh_get: { tier: 'green', description: 'A read-only pvesh GET from an allowlist of paths' },
  zpool_status: { tier: 'green', description: 'ZFS pool health (zpool status -x)' },
  pveversion: { tier: 'green', description: 'Proxmox VE version' },
  service_restart: { tier: 'yellow', description: 'Restart one allowlisted, non-protected systemd unit' },
  clear_temp: { tier: 'yellow', description: 'Delete files older than 7 days in an allowlisted temp path' },
};

/** A request to run a catalogue command: an id and its parameters (untrusted input). */
export interface CommandRequest {
  readonly id: string;
  readonly params?: unknown;
}

export interface RenderContext {
  /** Epoch ms; `journal` computes its absolute `--since` from it. */
  readonly now: number;
  /** Units `service_restart` may touch (defaults to DEFAULT_RESTARTABLE_UNITS); PROTECTED_UNITS always win. */
  readonly restartableUnits?: readonly string[] | undefined;
}

/** Every rendered argument must match this (space only inside the journal timestamp). */
const SAFE_ARG = /^[A-Za-z0-9@._,:=+/ -]*$/;

function invalid(message: string, details?: Record<string, unknown>): Result<never, JarvisError> {
  return err(jarvisError('INVALID_INPUT', message, { hint: 'use a command id and parameters from the diagnostic catalogue', ...(details ? { details } : {}) }));
}

/** 'YYYY-MM-DD HH:MM:SS' in UTC. */
export function formatUtc(epochMs: number): string {
  const date = new Date(epochMs);
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())} ${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}`;
}

/** Milliseconds of a DURATION string, or undefined when invalid or over 7 days. */
export function parseDuration(text: string): number | undefined {
  const match = DURATION.exec(text);
  if (!match) return undefined;
  const unitMs = match[2] === 'm' ? 60_000 : match[2] === 'h' ? 3_600_000 : 86_400_000;
  const ms = Number(match[1]) * unitMs;
  return ms <= MAX_SINCE_MS ? ms : undefined;
}

/** True when `path` is an allowlisted pvesh read path (node segments validated). */
export function isAllowedPveshPath(path: string): boolean {
  const segments = path.split('/');
  return PVESH_READ_PATHS.some((pattern) => {
    const expected = pattern.split('/');
    if (expected.length !== segments.length) return false;
    return expected.every((part, index) => (part === '{node}' ? NODE_NAME.test(segments[index] ?? '') : part === segments[index]));
  });
}

function argvFor(id: CommandId, params: Record<string, unknown>, context: RenderContext): Result<string[], JarvisError> {
  switch (id) {
    case 'disk_usage':
      return ok(['df', '-P', '-B1', '-x', 'tmpfs', '-x', 'devtmpfs']);
    case 'memory':
      return ok(['free', '-b']);
    case 'load':
      return ok(['cat', '/proc/loadavg']);
    case 'uptime':
      return ok(['uptime']);
    case 'top_processes':
      return ok(['ps', '-eo', 'pid,comm,pcpu,pmem', '--sort=-pcpu', '--no-headers']);
    case 'service_status':
      return ok(['systemctl', 'status', '--no-pager', '--lines=0', `${String(params.unit)}.service`]);
    case 'failed_units':
      return ok(['systemctl', 'list-units', '--failed', '--no-pager', '--plain', '--no-legend']);
    case 'journal': {
      const sinceMs = parseDuration(String(params.since));
      if (sinceMs === undefined) return invalid('journal.since must be at most 7d');
      const since = formatUtc(context.now - sinceMs);
      return ok(['journalctl', '-u', `${String(params.unit)}.service`, '--since', since, '-n', String(params.lines), '--no-pager', '-o', 'short-iso']);
    }
    case 'ip_addr':
      return ok(['ip', '-brief', 'addr']);
    case 'pvesh_get': {
      const path = String(params.path);
      if (!isAllowedPveshPath(path)) return invalid(`pvesh path '${path.slice(0, 64)}' is not an allowlisted read path`, { allowed: PVESH_READ_PATHS });
      return ok(['pvesh', 'get', path, '--output-format', 'json']);
    }
    case 'zpool_status':
      return ok(['zpool', 'status', '-x']);
    case 'pveversion':
      return ok(['pveversion']);
    case 'service_restart': {
      const unit = String(params.unit);
      if (isProtectedUnit(unit)) return invalid(`unit '${unit}' is protected and cannot be restarted by Jarvis`);
      const allowed = context.restartableUnits ?? DEFAULT_RESTARTABLE_UNITS;
      if (!allowed.includes(unit)) return invalid(`unit '${unit}' is not in the restartable allowlist`, { allowed });
      return ok(['systemctl', 'restart', `${unit}.service`]);
    }
    case 'clear_temp':
      return ok(['find', String(params.path), '-xdev', '-type', 'f', '-mtime', '+7', '-delete']);
  }
}

/**
 * Validates a command request and renders its argv. Unknown ids, extra or ill-typed parameters,
 * non-allowlisted paths or units: INVALID_INPUT. Never throws for bad input.
 */
export function renderCommand(request: CommandRequest, context: RenderContext): Result<RenderedCommand, JarvisError> {
  if (typeof request?.id !== 'string' || !Object.prototype.hasOwnProperty.call(COMMAND_PARAMS, request.id)) {
    return invalid(`'${String(request?.id).slice(0, 64)}' is not a catalogue command`, { known: COMMAND_IDS });
  }
  const id = request.id as CommandId;
  const parsed = COMMAND_PARAMS[id].safeParse(request.params ?? {});
  if (!parsed.success) {
    return invalid(
      `invalid parameters for '${id}': ${parsed.error.issues
        .map((issue) => issue.message)
        .join('; ')
        .slice(0, 300)}`,
    );
  }
  const argv = argvFor(id, parsed.data, context);
  if (!argv.ok) return argv;
  if (!argv.value.every((arg) => SAFE_ARG.test(arg) && arg.length <= 256)) {
    return invalid(`'${id}' rendered an unsafe argument`);
  }
  return ok(Object.freeze({ id, argv: Object.freeze(argv.value), tier: COMMAND_INFO[id].tier, [BRAND]: true as const }));
}

/** True only for values made by `renderCommand` (a runtime brand check, not a shape check). */
export function isRenderedCommand(value: unknown): value is RenderedCommand {
  return typeof value === 'object' && value !== null && (value as { [BRAND]?: unknown })[BRAND] === true;
}

/** Quotes one argument for a POSIX shell: wrapped in '...', each ' written as '\''. */
export function shellQuote(arg: string): string {
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** The single string an ssh exec runs: every argv element single-quoted. */
export function toShellLine(command: RenderedCommand): string {
  return command.argv.map(shellQuote).join(' ');
}
