/**
 * The offline command parser: one operator request in, one `OfflineCommand` out — a tool call
 * with arguments, a ticket decision, the emergency stop, a clarifying question, or a plain
 * "cannot". Deterministic and pure (names resolve against the `OfflineWorld` passed in).
 *
 * The rule that matters: whenever the action or its target is not certain — two verbs, two
 * targets, a typo in the verb or the name, a negation, a question about the past, a verb whose
 * Proxmox meaning differs (reset, suspend) — the answer is a question, never an act. Reads may
 * use a tolerated typo and say so.
 */
import type { OfflineCommand, OfflineWorld } from './types.ts';
import { AMBIGUOUS_ACT_WORDS, DIAGNOSTIC_WORDS, READ_WORDS, TYPE_WORDS, UNSUPPORTED_ACTS, findActVerbs, hasWord, type PowerVerb } from './lexicon.ts';
import { guestName } from '../../domain/guest-name.ts';
import { extractTargets, guestLabel, type GuestRef, type Targets } from './targets.ts';
import { normalize, tokenize } from './words.ts';

export const OFFLINE_HELP =
  'Offline mode understands: cluster status; status or usage of a node or guest (name or VMID); logs of a node or a service on a node; service status; diagnostics (disk_usage, memory, top_processes, failed_units, ip_addr, zpool_status); start/stop/shutdown/reboot a guest; Docker containers (list, logs, start, stop, restart); restart a service or clear temp files on a node; approve/reject a ticket; freeze.';

const clarify = (question: string, options: readonly string[] = []): OfflineCommand => ({ kind: 'clarify', question, options: options.slice(0, 6) });
const tool = (name: string, input: Record<string, unknown>, act: boolean, understood: string): OfflineCommand => ({
  kind: 'tool',
  tool: name,
  input,
  act,
  understood,
});

/** Parses one request. Total: any string gives an answer. */
export function parseOfflineCommand(text: string, world: OfflineWorld): OfflineCommand {
  let normalized = normalize(text);
  if (normalized.length === 0 || /^(help|\?|what can you do\??|commands)$/.test(normalized)) return { kind: 'unknown', message: OFFLINE_HELP };
  const minutes = takeMinutes(normalized);
  normalized = minutes.rest;
  const tokens = tokenize(normalized);

  const ticket = parseTicket(normalized, tokens, world);
  if (ticket) return ticket;
  if (/\b(unfreeze|un-freeze|lift (the )?(emergency stop|freeze)|release (the )?(emergency stop|freeze))\b/.test(normalized)) {
    return { kind: 'unsupported', message: 'Lifting the emergency stop is an admin decision: use the dashboard header or `jarvis freeze --off`.' };
  }
  if (/\b(freeze|emergency[- ]stop|e-stop|estop|panic button)\b/.test(normalized) && !/\b(is|are|was)\b.*\b(frozen|freeze)\b\?*$/.test(normalized)) {
    return { kind: 'freeze', understood: 'emergency stop: deny every action until an admin lifts it' };
  }
  if (/\b(stop|halt|kill) (everything|all|every ?thing)\b/.test(normalized)) {
    return clarify('Do you mean the emergency stop (deny every action), or stopping one guest?', ['freeze', 'stop vm <vmid>']);
  }

  const targets = extractTargets(normalized, tokens, world);
  const { verbs, typos } = findActVerbs(normalized, tokens);
  const clear = /\b(clear|clean|empty|purge|free up)\b.*\b(temp|tmp|\/tmp|\/var\/tmp|apt cache|cache|temporary)\b/.test(normalized);
  const ambiguousWord = tokens.find((token) => AMBIGUOUS_ACT_WORDS.includes(token));
  const actLike = verbs.length > 0 || clear || typos.length > 0 || ambiguousWord !== undefined;

  if (actLike) {
    if (/\b(don'?t|do not|never|dont|no need to|not)\b/.test(normalized))
      return clarify('That reads as a negation; I will not act on it. What should I do?', [OFFLINE_HELP]);
    if (/^(why|when|who|did|was|has|have|how come)\b|\b(did|was|were|has been|got)\b.*\b(start|stop|reboot|restart|shut|crash)\w*\b|\bwhy\b/.test(normalized)) {
      return clarify('Are you asking what happened, or asking me to act now?', pastOptions(targets));
    }
    for (const [pattern, message] of UNSUPPORTED_ACTS) if (pattern.test(normalized) && !clear) return { kind: 'unsupported', message };
    if (ambiguousWord)
      return clarify(`"${ambiguousWord}" can mean different things in Proxmox; which action?`, actOptions(targets, ['shutdown', 'stop', 'reboot', 'start']));
    if (typos.length > 0 && verbs.length === 0 && !clear) {
      const typo = typos[0]!;
      return clarify(`Did you mean "${typo.verb}"? I only act on exact words.`, actOptions(targets, [typo.verb]));
    }
    if (clear) return parseClearTemp(normalized, targets, verbs);
    return parseAct(normalized, tokens, targets, verbs);
  }
  for (const [pattern, message] of UNSUPPORTED_ACTS) if (pattern.test(normalized)) return { kind: 'unsupported', message };
  return parseRead(normalized, tokens, targets, minutes.value);
}

/** `last 30 minutes`, `2h`, `past day`: minutes for search_logs, removed from the text so the number is no VMID. */
function takeMinutes(normalized: string): { rest: string; value?: number } {
  const units: Record<string, number> = {
    m: 1,
    min: 1,
    mins: 1,
    minute: 1,
    minutes: 1,
    h: 60,
    hr: 60,
    hrs: 60,
    hour: 60,
    hours: 60,
    d: 1440,
    day: 1440,
    days: 1440,
  };
  const match = /\b(\d{1,5})\s*(minutes|minute|mins|min|m|hours|hour|hrs|hr|h|days|day|d)\b/.exec(normalized);
  if (match) return { rest: normalized.replace(match[0], ' '), value: Math.min(10080, Math.max(1, Number(match[1]) * units[match[2]!]!)) };
  const word = /\b(?:last|past) (hour|day|week)\b/.exec(normalized);
  if (word) return { rest: normalized.replace(word[0], ' '), value: word[1] === 'hour' ? 60 : word[1] === 'day' ? 1440 : 10080 };
  return { rest: normalized };
}

function parseTicket(normalized: string, tokens: readonly string[], world: OfflineWorld): OfflineCommand | undefined {
  const decision = tokens.some((token) => ['approve', 'approved', 'accept', 'allow', 'confirm'].includes(token))
    ? 'approve'
    : tokens.some((token) => ['reject', 'decline', 'deny', 'refuse'].includes(token))
      ? 'reject'
      : undefined;
  if (!decision) return undefined;
  const pending = world.pendingTickets;
  const candidates = tokens.filter((token) => /^[a-z0-9][a-z0-9_.:-]{5,127}$/.test(token) && /\d/.test(token) && !/^\d{3,9}$/.test(token));
  const reason = /\b(?:because|reason:?|since)\s+(.{1,200})$/.exec(normalized)?.[1];
  const options = (pending ?? []).map((ticket) => `${decision} ${ticket.id}`);
  if (candidates.length === 0) return clarify(`Which ticket should I ${decision}? Name its id.`, options);
  if (candidates.length > 1) return clarify(`That names more than one ticket; ${decision} one at a time.`, options);
  const written = candidates[0]!;
  let id = written;
  if (pending) {
    const hits = pending.filter((ticket) => ticket.id.toLowerCase() === written || (written.length >= 6 && ticket.id.toLowerCase().startsWith(written)));
    if (hits.length !== 1)
      return clarify(
        hits.length === 0 ? `No pending ticket matches "${written}".` : `"${written}" matches ${hits.length} tickets; give more of the id.`,
        options,
      );
    id = hits[0]!.id;
  }
  return { kind: 'ticket', decision, ticketId: id, ...(reason ? { reason } : {}), understood: `${decision} ticket ${id}` };
}

function pastOptions(targets: Targets): string[] {
  const guest = targets.guests[0];
  const node = targets.nodes[0]?.name ?? guest?.node;
  return [...(guest ? [`status of ${guestName(guest.type, guest.vmid)}`] : []), ...(node ? [`logs on ${node}`] : []), 'cluster status'];
}

function actOptions(targets: Targets, verbs: readonly string[]): string[] {
  const names = [...targets.guests.map((guest) => guestName(guest.type, guest.vmid)), ...targets.containers.map((container) => `container ${container.name}`)];
  if (names.length === 0) return verbs.map((verb) => `${verb} vm <vmid>`);
  return names.flatMap((name) => verbs.map((verb) => `${verb} ${name}`));
}

type TargetChoice =
  | { kind: 'guest'; guest: GuestRef }
  | { kind: 'container'; name: string; fuzzy?: string | undefined }
  | { kind: 'service'; unit: string; fuzzy?: string | undefined }
  | { kind: 'node'; name: string };

/** Every target an act could mean, narrowed by the type words the text uses. */
function actCandidates(tokens: readonly string[], targets: Targets): TargetChoice[] {
  const says = (words: readonly string[]): boolean => hasWord(tokens, words);
  const wantsDocker = says(TYPE_WORDS.docker);
  const wantsContainer = says(TYPE_WORDS.container);
  const wantsService = says(TYPE_WORDS.service);
  const wantsGuest = says(TYPE_WORDS.guest);
  let choices: TargetChoice[] = [
    ...targets.guests.map((guest) => ({ kind: 'guest' as const, guest })),
    ...targets.containers.map((ref) => ({ kind: 'container' as const, name: ref.name, fuzzy: ref.fuzzy })),
    ...targets.units.map((ref) => ({ kind: 'service' as const, unit: ref.name, fuzzy: ref.fuzzy })),
  ];
  if (wantsDocker) choices = choices.filter((choice) => choice.kind === 'container');
  else if (wantsContainer) choices = choices.filter((choice) => choice.kind === 'container' || (choice.kind === 'guest' && choice.guest.type === 'lxc'));
  else if (wantsService) choices = choices.filter((choice) => choice.kind === 'service');
  else if (wantsGuest) choices = choices.filter((choice) => choice.kind === 'guest');
  if (choices.length === 0 && !wantsDocker && !wantsContainer && !wantsService && !wantsGuest) {
    choices = targets.nodes.map((ref) => ({ kind: 'node' as const, name: ref.name }));
  }
  return choices;
}

function describeChoice(choice: TargetChoice): string {
  switch (choice.kind) {
    case 'guest':
      return guestLabel(choice.guest);
    case 'container':
      return `docker container ${choice.name}`;
    case 'service':
      return `service ${choice.unit}`;
    case 'node':
      return `node ${choice.name}`;
  }
}

function parseAct(normalized: string, tokens: readonly string[], targets: Targets, verbs: readonly PowerVerb[]): OfflineCommand {
  const distinct = [...new Set(verbs.map((verb) => (verb === 'restart' ? 'reboot' : verb)))];
  if (distinct.length > 1) return clarify(`That asks for ${verbs.join(' and ')}; which one?`, actOptions(targets, verbs));
  const verb = verbs.find((candidate) => candidate !== 'reboot') ?? verbs[0]!;
  if (targets.unknownVmids.length > 0) return clarify(`I know no guest ${targets.unknownVmids.join(', ')}. Which guest?`, []);
  // One act, one target: two different things named is a question (a name meaning two things is narrowed below).
  const mentions = new Set([
    ...targets.guests.map((guest) => guest.name ?? String(guest.vmid)),
    ...targets.containers.map((ref) => ref.name),
    ...targets.units.map((ref) => ref.name),
  ]);
  if (mentions.size > 1)
    return clarify(
      `That names ${[...mentions].join(', ')}; I act on one thing at a time. Which one?`,
      actOptions(targets, [verb === 'off' ? 'shutdown' : verb]),
    );
  const choices = actCandidates(tokens, targets);
  if (choices.length === 0)
    return clarify(
      `${capitalise(verb === 'off' ? 'turn off' : verb)} what? Name one guest (VMID or name), container or service.`,
      actOptions(targets, [verb === 'off' ? 'shutdown' : verb]),
    );
  if (choices.length > 1)
    return clarify(
      `That could mean ${choices.map(describeChoice).join(', ')}. Which one?`,
      choices.flatMap((choice) => optionFor(choice, verb, targets)),
    );
  const choice = choices[0]!;
  const fuzzy = choice.kind === 'guest' ? choice.guest.fuzzy : choice.kind === 'node' ? undefined : choice.fuzzy;
  if (fuzzy) return clarify(`Did you mean ${describeChoice(choice)} ("${fuzzy}")? I only act on exact names.`, optionFor(choice, verb, targets));
  if (verb === 'off')
    return clarify(`Turn off ${describeChoice(choice)} how: a clean shutdown, or a hard stop?`, [
      ...optionFor(choice, 'shutdown', targets),
      ...optionFor(choice, 'stop', targets),
    ]);
  switch (choice.kind) {
    case 'node':
      return {
        kind: 'unsupported',
        message: `Jarvis has no tool to ${verb} a node (node power is a manual step on the host). I can show its status, logs and services.`,
      };
    case 'guest': {
      const elsewhere = targets.nodes.filter((ref) => ref.name !== choice.guest.node);
      if (elsewhere.length > 0 && choice.guest.known)
        return clarify(
          `${guestLabel(choice.guest)} is not on ${elsewhere.map((ref) => ref.name).join(', ')}. Which do you mean?`,
          optionFor(choice, verb, targets),
        );
      const action = verb === 'restart' ? 'reboot' : verb;
      return tool('manage_vm', { vmid: choice.guest.vmid, action }, true, `${action} ${guestLabel(choice.guest)}`);
    }
    case 'container': {
      const action = verb === 'reboot' ? 'restart' : verb === 'shutdown' ? 'stop' : verb;
      if (verb === 'shutdown') return clarify(`Containers have no shutdown; stop ${choice.name}?`, [`stop container ${choice.name}`]);
      return tool('manage_docker', { action, container: choice.name }, true, `${action} docker container ${choice.name}`);
    }
    case 'service': {
      if (verb !== 'restart' && verb !== 'reboot')
        return { kind: 'unsupported', message: `I can only restart a service (execute_remediation); starting or stopping ${choice.unit} is done on the node.` };
      const nodes = targets.nodes;
      if (nodes.length !== 1)
        return clarify(
          nodes.length === 0 ? `Restart ${choice.unit} on which node?` : `Restart ${choice.unit} on which node: ${nodes.map((n) => n.name).join(' or ')}?`,
          nodes.map((n) => `restart ${choice.unit} on ${n.name}`),
        );
      if (nodes[0]!.fuzzy) return clarify(`Did you mean node ${nodes[0]!.name}? I only act on exact names.`, [`restart ${choice.unit} on ${nodes[0]!.name}`]);
      return tool(
        'execute_remediation',
        { node: nodes[0]!.name, remediation: 'restart_service', unit: choice.unit },
        true,
        `restart ${choice.unit} on ${nodes[0]!.name}`,
      );
    }
  }
  // Unreachable: every choice kind returns above.
  return clarify('Which action?', []);
}

function optionFor(choice: TargetChoice, verb: PowerVerb, targets: Targets): string[] {
  const action = verb === 'off' ? 'shutdown' : verb;
  switch (choice.kind) {
    case 'guest':
      return [`${action === 'restart' ? 'reboot' : action} ${guestName(choice.guest.type, choice.guest.vmid)}`];
    case 'container':
      return [`${action === 'reboot' ? 'restart' : action} container ${choice.name}`];
    case 'service':
      return targets.nodes.length > 0
        ? targets.nodes.map((node) => `restart service ${choice.unit} on ${node.name}`)
        : [`restart service ${choice.unit} on <node>`];
    case 'node':
      return [`status of node ${choice.name}`];
  }
}

function parseClearTemp(normalized: string, targets: Targets, verbs: readonly PowerVerb[]): OfflineCommand {
  if (verbs.length > 0) return clarify('That asks for two things; one at a time.', []);
  const path = /\/var\/cache\/apt\/archives|apt cache/.test(normalized) ? '/var/cache/apt/archives' : /\/var\/tmp/.test(normalized) ? '/var/tmp' : '/tmp';
  const nodes =
    targets.nodes.length > 0
      ? targets.nodes
      : [...new Set(targets.guests.map((guest) => guest.node).filter(Boolean))].map((name) => ({ name, fuzzy: undefined }));
  if (nodes.length !== 1)
    return clarify(
      'Clear temp files on which node?',
      nodes.map((node) => `clear temp on ${node.name}`),
    );
  if (targets.guests.length > 0 || nodes[0]!.fuzzy) return clarify(`Clear ${path} on node ${nodes[0]!.name}?`, [`clear temp on ${nodes[0]!.name}`]);
  return tool('execute_remediation', { node: nodes[0]!.name, remediation: 'clear_temp', path }, true, `clear old files in ${path} on ${nodes[0]!.name}`);
}

function parseRead(normalized: string, tokens: readonly string[], targets: Targets, minutes: number | undefined): OfflineCommand {
  const says = (words: readonly string[]): boolean => hasWord(tokens, words, true);
  const node = targets.nodes.length === 1 ? targets.nodes[0] : undefined;
  const guest = targets.guests.length === 1 ? targets.guests[0] : undefined;
  const note = (ref: { fuzzy?: string | undefined; name?: string | undefined } | undefined, name: string | undefined): string =>
    ref?.fuzzy ? ` (read "${ref.fuzzy}" as ${name})` : '';
  if (targets.unknownVmids.length > 0) return clarify(`I know no guest ${targets.unknownVmids.join(', ')}. Which guest?`, []);
  if (targets.nodes.length > 1 || targets.guests.length > 1) {
    const options = [...targets.nodes.map((ref) => `status of node ${ref.name}`), ...targets.guests.map((ref) => `status of ${guestName(ref.type, ref.vmid)}`)];
    if (!says(READ_WORDS.logs) && !says(READ_WORDS.services)) return clarify('Which one? I read one node or guest at a time.', options);
  }

  const dockerish = says(['docker']) || (says(TYPE_WORDS.container) && targets.guests.every((ref) => ref.type !== 'lxc')) || targets.containers.length > 0;
  if (says(READ_WORDS.logs)) {
    if (dockerish && targets.containers.length <= 1 && (targets.containers.length === 1 || says(['docker']))) {
      const container = targets.containers[0];
      if (!container) return clarify('Logs of which container?', ['list containers']);
      return tool(
        'manage_docker',
        { action: 'logs', container: container.name },
        false,
        `logs of docker container ${container.name}${note(container, container.name)}`,
      );
    }
    const unit = targets.units.length === 1 ? targets.units[0] : undefined;
    if (targets.units.length > 1) return clarify(`Logs of which service: ${targets.units.map((u) => u.name).join(' or ')}?`, []);
    const logNodes = targets.nodes.length > 0 ? targets.nodes : [];
    if (logNodes.length !== 1) {
      const hint = guest ? [`logs on ${guest.node}`] : [];
      return clarify(
        logNodes.length === 0
          ? `Logs of which node?${guest ? ` (${guestLabel(guest)} runs on ${guest.node}; I read node journals, not a guest's own logs)` : ''}`
          : 'Logs of which node?',
        [...hint, ...logNodes.map((ref) => `logs on ${ref.name}${unit ? ` for ${unit.name}` : ''}`)],
      );
    }
    const text = /\b(errors?|fail\w*|warn\w*|critical|oom)\b/.exec(normalized)?.[1];
    const filter = /\b(?:containing|matching|grep|with text|mentioning)\s+"?([^"]{1,100}?)"?$/.exec(normalized)?.[1];
    const textFilter = filter ?? (text ? (text.startsWith('fail') ? 'fail' : text.startsWith('warn') ? 'warn' : text.replace(/s$/, '')) : undefined);
    const input: Record<string, unknown> = {
      node: logNodes[0]!.name,
      ...(unit ? { service: unit.name } : {}),
      ...(textFilter ? { text: textFilter } : {}),
      ...(minutes ? { minutes } : {}),
    };
    return tool('search_logs', input, false, `logs of ${logNodes[0]!.name}${unit ? ` for ${unit.name}` : ''}${note(logNodes[0], logNodes[0]!.name)}`);
  }
  if (dockerish && (says(['list', 'containers', 'ps', 'running', 'which', 'show']) || targets.containers.length === 0)) {
    if (targets.containers.length === 1) return tool('manage_docker', { action: 'list' }, false, "docker containers (the list shows each one's state)");
    return tool('manage_docker', { action: 'list' }, false, 'list docker containers');
  }
  const diagnostic =
    says(READ_WORDS.diagnostic) ||
    /\b(ssh|df|zpool|zfs|top processes|failed units?|ip addr|interfaces|eating|hogging)\b/.test(normalized) ||
    // "how full are the disks" cluster-wide is a usage read; on a named node it is the disk_usage diagnostic.
    (node !== undefined && /\bhow full\b(?: [^ ]+){0,3} disks?\b/.test(normalized));
  if (diagnostic) {
    const command = DIAGNOSTIC_WORDS.find(([pattern]) => pattern.test(normalized))?.[1];
    const target = node?.name ?? guest?.node;
    if (!target) return clarify('Run the diagnostic on which node?', []);
    if (!command)
      return clarify(
        `Which diagnostic on ${target}?`,
        ['disk_usage', 'memory', 'top_processes', 'failed_units', 'ip_addr', 'zpool_status'].map((id) => `run ${id} on ${target}`),
      );
    return tool('run_diagnostic', { node: target, command }, false, `diagnostic ${command} on ${target}`);
  }
  if (says(READ_WORDS.services) || targets.units.length > 0) {
    if (targets.units.length > 1) return clarify(`Which service: ${targets.units.map((u) => u.name).join(' or ')}?`, []);
    const unit = targets.units[0];
    if (!node)
      return clarify(
        unit ? `${unit.name} on which node?` : 'Services of which node?',
        targets.guests.map((ref) => `services on ${ref.node}`),
      );
    return tool(
      'check_service',
      { node: node.name, ...(unit ? { service: unit.name } : {}) },
      false,
      `${unit ? `service ${unit.name}` : 'services'} on ${node.name}${note(node, node.name)}${note(unit, unit?.name)}`,
    );
  }
  if (guest) return tool('get_resource_usage', { vmid: guest.vmid }, false, `status and usage of ${guestLabel(guest)}${note(guest, guest.name)}`);
  if (node) return tool('get_resource_usage', { node: node.name }, false, `status and usage of node ${node.name}${note(node, node.name)}`);
  if (says(READ_WORDS.usage)) return tool('get_resource_usage', {}, false, 'usage of all nodes');
  if (says(READ_WORDS.status) || /\b(how('?s| is| are)|what'?s up|anything wrong|all good|any (problems|issues))\b/.test(normalized)) {
    return tool('check_cluster_health', {}, false, 'cluster health');
  }
  return { kind: 'unknown', message: `I did not understand that. ${OFFLINE_HELP}` };
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
