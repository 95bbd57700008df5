/**
 * The deterministic pre-classifier: from the user's text alone, decide the request's category
 * (routine -> local model, complex -> Claude when allowed, explicit-cloud -> the user asked for
 * Claude) and the 1-3 tools it needs, so the small local model only ever sees those.
 *
 * Pure and total: any string (hostile, huge, empty) gives an answer; rules are word lists, never
 * a model. `reasons` says which rule fired, for the escalation record and the tests.
 */
import type { RequestCategory } from './model-port.ts';

/** Tool names as DESIGN.md fixes them (MCP and LLM). */
export const TOOL_NAMES = [
  'check_cluster_health',
  'get_resource_usage',
  'search_logs',
  'check_service',
  'run_diagnostic',
  'manage_vm',
  'manage_docker',
  'execute_remediation',
] as const;
export type ToolName = (typeof TOOL_NAMES)[number];

export interface Classification {
  readonly category: RequestCategory;
  /** 0-3 tool names, most relevant first. Empty = small talk / no cluster data needed. */
  readonly tools: string[];
  /** Which rules fired, e.g. `tool:get_resource_usage (memory)`, `complex:multi-step`. */
  readonly reasons: string[];
}

/** Longest text looked at; the rest cannot change the route (and bounds the work on hostile input). */
const MAX_CHARS = 4000;
const MAX_TOOLS = 3;

/** Word-boundary patterns per tool, in priority order when more than three match. */
const TOOL_RULES: ReadonlyArray<{ tool: ToolName; label: string; pattern: RegExp }> = [
  {
    tool: 'manage_vm',
    label: 'guest action',
    pattern:
      /\b(start|stop|shut ?down|shut|reboot|restart|power (on|off|up)|turn (on|off)|boot|bring up|bring\b.{0,30}\bback (up|online)|kill)\b.{0,40}\b(vm|vms|guest|container|ct|lxc|machine|\d{3,9})\b|\b(vm|guest|ct|lxc)\s*\d{2,9}\b.{0,30}\b(start|stop|shut ?down|shut|reboot|restart|down|up)\b/,
  },
  { tool: 'manage_docker', label: 'docker', pattern: /\b(docker|containers?|compose)\b/ },
  {
    tool: 'execute_remediation',
    label: 'remediation',
    pattern:
      /\b(fix|remediat\w*|clear (the )?(temp|tmp|apt cache|cache)|clean ?up|free (up )?space|(restart|bounce) (the )?(service|unit|daemon|pveproxy|pvedaemon|pvestatd|corosync|pve-cluster|pve-ha-\w+|chronyd?|sshd?|\S+\.service)|restart_service|clear_temp)\b/,
  },
  { tool: 'search_logs', label: 'logs', pattern: /\b(logs?|journal\w*|syslog|errors? (in|on)|messages?|what happened)\b/ },
  {
    tool: 'check_service',
    label: 'service',
    pattern: /\b(services?|daemons?|units?|systemd|pveproxy|pvedaemon|pvestatd|corosync|pve-cluster|sshd?|chronyd?|failed services?)\b/,
  },
  {
    tool: 'run_diagnostic',
    label: 'diagnostic',
    pattern:
      /\b(diagnos\w*|(top )?processes|interfaces|ip addr\w*|failed units|ping|disk health|smart|zpool|df|uptime|dmesg|load average|network check|connectivity|check (the )?(disk|network)|eating|hogging|how full\b.{0,20}\bdisks? on \S+)\b/,
  },
  {
    tool: 'get_resource_usage',
    label: 'usage',
    pattern:
      /\b(cpu|ram|memory|mem|disk|storage|usage|load|resources?|utili[sz]ation|how (busy|full)|space)\b|\b(vm|guest|ct|lxc)\s*\d{2,9}\b|\b(vm|node) (is |running|up|down|ok|status|doing)|\b(status|state) of (the )?(vm|node)\b|\bhow is (the )?(vm|node)\b|^(vm|node)$/,
  },
  {
    tool: 'check_cluster_health',
    label: 'health',
    pattern: /\b(health\w*|status|quorum|ok|okay|fine|up|down|online|offline|cluster|nodes?|overview|everything|all good|problems?|issues?)\b/,
  },
];

const EXPLICIT_CLOUD =
  /(^|\s)\/(claude|cloud)\b|\b(ask|use|with|via|using|escalate to|let)\s+(the\s+)?(claude|cloud( model)?|anthropic|big model|smart model)\b|\bclaude[,:]/;

const COMPLEX_RULES: ReadonlyArray<{ label: string; pattern: RegExp }> = [
  { label: 'why/root cause', pattern: /\b(why|root cause|explain why|what caused|reason for)\b/ },
  {
    label: 'analysis',
    pattern:
      /\b(analy[sz]e|analysis|investigate|troubleshoot|correlate|compare|trend|forecast|predict|recommend\w*|suggest\w*|optimi[sz]e|plan|strategy|capacity planning)\b/,
  },
  { label: 'multi-step', pattern: /\b(and then|after that|afterwards|step by step|first\b.{0,80}\bthen|then\b.{0,40}\b(restart|stop|start|reboot|check))\b/ },
  { label: 'write/generate', pattern: /\b(write|draft|generate|create)\b.{0,30}\b(script|report|summary|runbook|documentation|config)\b/ },
  { label: 'migration/backup', pattern: /\b(migrat\w*|backup strategy|ha group|replicat\w*|upgrade)\b/ },
];

/**
 * Names the live cluster carries, so "restart home-assistant" reads as "restart vm": each known
 * name in the text is replaced by its kind (`container`, `vm`, `node`) before the rules run.
 * Only the tools offered change; what may run is still the kernel's decision.
 */
export interface ClassifierVocabulary {
  readonly guests?: readonly string[] | undefined;
  readonly nodes?: readonly string[] | undefined;
  readonly containers?: readonly string[] | undefined;
}

/** Most names looked at per kind (bounds the work at 10,000 guests). */
const MAX_NAMES = 20_000;
const NAME_CHAR = /[a-z0-9_.-]/;

/** Replaces whole-word occurrences of `name` in `text` by ` ${kind} `. */
function replaceName(text: string, name: string, kind: string): string {
  let out = text;
  let from = 0;
  for (;;) {
    const at = out.indexOf(name, from);
    if (at < 0) return out;
    const before = at === 0 ? '' : out[at - 1]!;
    const after = out[at + name.length] ?? '';
    if ((before === '' || !NAME_CHAR.test(before)) && (after === '' || !NAME_CHAR.test(after))) {
      out = `${out.slice(0, at)} ${kind} ${out.slice(at + name.length)}`;
      from = at + kind.length + 2;
    } else from = at + 1;
  }
}

function substituteNames(text: string, vocabulary: ClassifierVocabulary): string {
  let out = text;
  const kinds: [readonly string[] | undefined, string][] = [
    [vocabulary.containers, 'container'],
    [vocabulary.guests, 'vm'],
    [vocabulary.nodes, 'node'],
  ];
  for (const [names, kind] of kinds) {
    const forms = new Set<string>();
    for (const raw of (names ?? []).slice(0, MAX_NAMES)) {
      const name = normalizeRequestText(raw);
      if (name.length < 2 || name === kind) continue;
      forms.add(name);
      if (name.includes('-')) forms.add(name.replace(/-/g, ' '));
    }
    for (const name of [...forms].sort((a, b) => b.length - a.length)) if (out.includes(name)) out = replaceName(out, name, kind);
  }
  return out.replace(/\s+/g, ' ').trim();
}

/** Lower-cased, NFKC-normalised, whitespace-collapsed text the rules look at. */
export function normalizeRequestText(text: string): string {
  return String(text)
    .slice(0, MAX_CHARS)
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * Classifies one user request. Complex when a complex rule fires, more than three tools would be
 * needed, or two different act tools are asked for; explicit-cloud when the user names Claude or
 * the cloud. Tools are capped at three, in rule priority (act before read, specific before general).
 */
export function classifyRequest(text: string, vocabulary?: ClassifierVocabulary): Classification {
  // "hey jarvis, ..." addresses the assistant, not a guest or container that happens to be named jarvis.
  const addressed = normalizeRequestText(text).replace(/^((hey|hi|hello|ok|okay|yo)\s+)?jarvis\b[\s,:!.-]*/, '');
  const normalized = vocabulary ? substituteNames(addressed, vocabulary) : addressed;
  const reasons: string[] = [];
  const matched: ToolName[] = [];
  for (const rule of TOOL_RULES) {
    if (rule.pattern.test(normalized)) {
      matched.push(rule.tool);
      reasons.push(`tool:${rule.tool} (${rule.label})`);
    }
  }
  // "stop the docker container" is a docker action, not a guest action.
  if (matched.includes('manage_docker') && matched.includes('manage_vm') && !/\b(vm|vms|guest|lxc|ct)\b|\b\d{3,9}\b/.test(normalized)) {
    matched.splice(matched.indexOf('manage_vm'), 1);
    reasons.splice(
      reasons.findIndex((reason) => reason.startsWith('tool:manage_vm')),
      1,
    );
  }
  const tools = matched.slice(0, MAX_TOOLS);
  const actTools = matched.filter((tool) => tool === 'manage_vm' || tool === 'manage_docker' || tool === 'execute_remediation');

  let category: RequestCategory = 'routine';
  if (EXPLICIT_CLOUD.test(normalized)) {
    category = 'explicit-cloud';
    reasons.push('explicit-cloud: the request names Claude or the cloud model');
  } else {
    for (const rule of COMPLEX_RULES) {
      if (rule.pattern.test(normalized)) {
        category = 'complex';
        reasons.push(`complex:${rule.label}`);
      }
    }
    if (matched.length > MAX_TOOLS) {
      category = 'complex';
      reasons.push(`complex:needs ${matched.length} tools (more than ${MAX_TOOLS})`);
    }
    if (actTools.length > 1) {
      category = 'complex';
      reasons.push('complex:more than one kind of action');
    }
    if (normalized.length > 600) {
      category = 'complex';
      reasons.push('complex:long request');
    }
  }
  if (tools.length === 0 && /\b(vm|node|guest|cluster|proxmox|pve)\b/.test(normalized)) {
    tools.push('check_cluster_health');
    reasons.push('tool:check_cluster_health (default for a cluster question)');
  }
  if (category === 'routine') reasons.push('routine: one-step request');
  return { category, tools, reasons };
}
