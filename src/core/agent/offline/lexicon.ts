/**
 * The offline parser's vocabulary: which words name an act, a read family, or a target type.
 * Acts match exactly (a typo in an act verb gets a question back, never an act); read words
 * tolerate typos. Pure data + lookups.
 */
import { near } from './words.ts';

export type PowerVerb = 'start' | 'stop' | 'shutdown' | 'reboot' | 'restart' | 'off';

/** Single-word act verbs (exact) and their meaning. `off` = ambiguous between shutdown and stop. */
export const ACT_WORDS: Readonly<Record<string, PowerVerb>> = {
  start: 'start',
  boot: 'start',
  launch: 'start',
  stop: 'stop',
  kill: 'stop',
  shutdown: 'shutdown',
  reboot: 'reboot',
  restart: 'restart',
  bounce: 'restart',
  relaunch: 'restart',
  poweroff: 'off',
};

/** Act-like words whose meaning in Proxmox differs from a plain power action: always a question. */
export const AMBIGUOUS_ACT_WORDS: readonly string[] = [
  'reset',
  'resume',
  'pause',
  'suspend',
  'hibernate',
  'halt',
  'terminate',
  'cycle',
  'recycle',
  'fix',
  'repair',
  'heal',
];

/** Two-word act phrases, checked on the normalised text. */
export const ACT_PHRASES: readonly (readonly [RegExp, PowerVerb])[] = [
  [/\bshut\b(?: [^ ]+){0,3} down\b/, 'shutdown'],
  [
    /\bpower (?:it |that )?(?:on|up)\b|\bbring\b(?: [^ ]+){0,3} back (?:up|online)\b|\bturn (?:it |that )?on\b|\bspin (?:it )?up\b|\bbring (?:it )?up\b|\bfire up\b/,
    'start',
  ],
  [/\bpower (?:it |that )?off\b|\bturn (?:it |that )?off\b|\bswitch (?:it |that )?off\b|\btake (?:it )?down\b/, 'off'],
  [/\bforce[- ]stop\b|\bhard[- ]stop\b/, 'stop'],
  [/\bpower ?cycle\b/, 'reboot'],
];

/** Verbs that act on the cluster but have no tool (said plainly instead). */
export const UNSUPPORTED_ACTS: readonly (readonly [RegExp, string])[] = [
  [/\b(migrat\w*|move (?:vm|guest|it)\b)/, 'Migrating guests is not something Jarvis does; use the Proxmox web UI.'],
  [/\b(snapshot\w*|backup\w*|vzdump|restore)\b/, 'Snapshots and backups are not Jarvis tools; use the Proxmox web UI or your backup job.'],
  [/\b(delete|destroy|remove|purge|wipe|format|rm)\b/, 'Jarvis never deletes guests, disks or data.'],
  [/\b(create|clone|provision|deploy|install|upgrade|update|apt(?:-get)?)\b/, 'Creating, cloning, installing or upgrading is not something Jarvis does.'],
  [
    /\b(resize|set (?:memory|cores|cpu)|add (?:memory|disk|cores)|config(?:ure)?|change)\b/,
    'Changing guest or node configuration is not a Jarvis tool; use the Proxmox web UI.',
  ],
  [
    /\b(shell|bash|sudo|ssh into|execute|exec|run (?:the )?command|command line|rm -rf)\b/,
    'Jarvis runs no shell commands, only the named diagnostics: disk_usage, memory, top_processes, failed_units, ip_addr, zpool_status, service_status, journal.',
  ],
];

/** Read families and their (typo-tolerant) words. */
export const READ_WORDS = {
  logs: ['log', 'logs', 'journal', 'journalctl', 'syslog'],
  containers: ['container', 'containers', 'docker'],
  services: ['service', 'services', 'unit', 'units', 'daemon', 'daemons', 'systemd'],
  diagnostic: ['diagnostic', 'diagnostics', 'diagnose', 'diag'],
  usage: [
    'cpu',
    'memory',
    'ram',
    'mem',
    'disk',
    'usage',
    'load',
    'resources',
    'resource',
    'utilisation',
    'utilization',
    'busy',
    'full',
    'space',
    'consumption',
  ],
  status: [
    'status',
    'health',
    'healthy',
    'ok',
    'okay',
    'fine',
    'up',
    'down',
    'running',
    'online',
    'offline',
    'quorum',
    'state',
    'alive',
    'overview',
    'everything',
    'doing',
    'check',
    'stopped',
  ],
  help: ['help', 'commands', '?'],
} as const;

/** Words that name a target type. */
export const TYPE_WORDS = {
  guest: ['vm', 'vms', 'guest', 'guests', 'machine', 'qemu', 'ct', 'lxc', 'kvm'],
  container: ['container', 'containers'],
  docker: ['docker'],
  service: ['service', 'services', 'unit', 'daemon'],
  node: ['node', 'nodes', 'host', 'hypervisor', 'server'],
} as const;

/** Named diagnostics (catalogue ids) and words that pick them. */
export const DIAGNOSTIC_WORDS: readonly (readonly [RegExp, string])[] = [
  [/\b(disk_usage|df|filesystems?|mounts?)\b|\bhow full\b(?: [^ ]+){0,3} disks?\b/, 'disk_usage'],
  [/\b(top_processes|top|processes|ps|eating|hogging)\b/, 'top_processes'],
  [/\b(failed_units|failed units?)\b/, 'failed_units'],
  [/\b(ip_addr|ip addr\w*|interfaces?|addresses|ip)\b/, 'ip_addr'],
  [/\b(zpool_status|zpool|zfs)\b/, 'zpool_status'],
  [/\b(free|swap|memory)\b/, 'memory'],
];

/** Words that never name a target (keeps fuzzy name matching off ordinary English). */
export const STOP_WORDS = new Set([
  'the',
  'a',
  'an',
  'on',
  'of',
  'in',
  'for',
  'to',
  'is',
  'are',
  'and',
  'or',
  'please',
  'pls',
  'can',
  'you',
  'me',
  'my',
  'show',
  'tell',
  'what',
  'whats',
  "what's",
  'how',
  "how's",
  'hows',
  'give',
  'get',
  'list',
  'check',
  'last',
  'minutes',
  'from',
  'with',
  'at',
  'it',
  'its',
  'this',
  'that',
  'now',
  'again',
  'all',
  'jarvis',
  'hey',
  'hi',
  'quick',
  'just',
  'then',
  'be',
  'do',
  'does',
  'any',
  'some',
  'about',
  'see',
  'let',
  'look',
  'want',
  'would',
  'could',
  'should',
  'need',
  'i',
  'we',
  'us',
  'our',
  'there',
  'here',
  'was',
  'were',
  'did',
  'has',
  'have',
  'had',
  'been',
  'why',
  'when',
  'who',
  'which',
  'lines',
  'recent',
  'latest',
  'newest',
  'errors',
  'error',
  'warnings',
  'warning',
  'problems',
  'issues',
  'cluster',
  'homelab',
  'lab',
  'whole',
]);

/** True when some token is one of `words`; `fuzzy` allows tolerated typos (reads only). */
export function hasWord(tokens: readonly string[], words: readonly string[], fuzzy = false): boolean {
  return tokens.some((token) => words.includes(token) || (fuzzy && token.length >= 4 && words.some((word) => word.length >= 4 && near(token, word))));
}

/** The act verbs present: exact ones, and act-verb typos (which only ever produce a question). */
export function findActVerbs(normalized: string, tokens: readonly string[]): { verbs: PowerVerb[]; typos: { token: string; verb: string }[] } {
  const verbs = new Set<PowerVerb>();
  for (const [pattern, verb] of ACT_PHRASES) if (pattern.test(normalized)) verbs.add(verb);
  const typos: { token: string; verb: string }[] = [];
  for (const token of tokens) {
    // Own keys only: a token such as `__proto__` or `constructor` is a word, not a verb.
    const exact = Object.hasOwn(ACT_WORDS, token) ? ACT_WORDS[token] : undefined;
    if (exact) {
      // "shut" alone is covered by the phrase; "down"/"on"/"off" alone are not acts.
      verbs.add(exact);
      continue;
    }
    if (token.length < 5 || STOP_WORDS.has(token)) continue;
    const typo = Object.keys(ACT_WORDS).find((word) => word.length >= 5 && near(token, word));
    if (typo) typos.push({ token, verb: typo });
  }
  // "shutdown" and "shut down" are one verb; "stop" inside "force stop" is the same verb.
  return { verbs: [...verbs], typos };
}
