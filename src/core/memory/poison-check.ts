/**
 * The memory poisoning check: runs before anything is stored (user "remember", events, derived
 * facts, edits). An entry is kept only as a plain statement of fact; it is rejected when any
 * reading of it (decode-views.ts) is
 * - an instruction aimed at Jarvis or the system (imperatives, standing orders such as "from now
 *   on" / "always" / "without asking", shell commands, fake role or frame markers),
 * - a role, permission or policy claim (who is admin, what is protected or safe to stop, tiers,
 *   budgets, persona): those come from config and code only,
 * - a credential, or
 * - a link to an outside address or a request to send data somewhere.
 *
 * Pure and total. The stored text is the sanitised one-line form (NFKC, invisible characters
 * removed); what is stored is data: select.ts frames it, and nothing reads it as a command.
 */
import { sanitizeText } from '../llm/sanitize.ts';
import { readingsOf } from './decode-views.ts';
import { MAX_ENTRY_CHARS } from './types.ts';

export type RejectCategory = 'instruction' | 'policy-claim' | 'credential' | 'exfiltration' | 'empty';

export type MemoryCheck =
  { readonly ok: true; readonly text: string } | { readonly ok: false; readonly categories: readonly RejectCategory[]; readonly reasons: readonly string[] };

interface Rule {
  readonly category: RejectCategory;
  readonly pattern: RegExp;
  readonly why: string;
}

const VERBS =
  'approve|auto-?approve|accept|confirm|ignore|disregard|forget|skip|bypass|override|overrule|disable|deactivate|enable|turn (?:off|on)|switch off|' +
  'run|execute|exec|invoke|launch|stop|halt|shut ?down|power ?off|reboot|restart|kill|terminate|delete|remove|destroy|purge|wipe|erase|format|migrate|' +
  'send|post|upload|forward|email|e-mail|exfiltrate|leak|transmit|grant|allow|permit|trust|treat|consider|regard|pretend|act|behave|respond|reply|answer|' +
  "say|tell|obey|follow|comply|execute|do not|don't|dont|never|always|make sure|ensure|unlock|unprotect|whitelist|allowlist|elevate|escalate|" +
  'curl|wget|sudo|ssh|rm|chmod|chown|set|change|modify|update the|add|grant|give|assign|promote|mark|label';

/** A clause start: text start, sentence punctuation, a dash, "then", "and", or an address to Jarvis. */
const CLAUSE = String.raw`(?:^|[.;:!?>\])"'${'`'}]\s*|\s[-–—]\s|\bthen\s|\band\s|\bso\s|\bplease\s|\b(?:jarvis|assistant|ai|bot|agent|model|system|operator)\s*[,:]\s*)`;
const LEAD = String.raw`(?:(?:please|kindly|hey|ok|okay|note|important|urgent|reminder|remember|attention|instruction|instructions|directive)[\s,:!-]+)*(?:to\s+)?`;

const RULES: readonly Rule[] = [
  // Instructions aimed at Jarvis or the system
  { category: 'instruction', pattern: new RegExp(`${CLAUSE}${LEAD}(?:${VERBS})\\b`, 'u'), why: 'it is phrased as a command' },
  {
    category: 'instruction',
    pattern:
      /\b(?:from now on|from this point|henceforth|hereafter|going forward|for all future|in (?:the )?future|next time|every time|each time|whenever (?:you|jarvis|asked|someone)|until (?:told|further notice))\b/u,
    why: 'it is a standing order',
  },
  {
    category: 'instruction',
    pattern:
      /\b(?:you|jarvis|the (?:assistant|ai|model|agent|bot|system)|assistant|ai|agents?|models?|the operator ai)\b\s*(?:must|should|shall|will|need to|needs to|has to|have to|are to|is to|may|can|is allowed|are allowed|is permitted|is required|always|never|do not|don't|mustn't|shouldn't|won't|cannot|can't|ought)\b/u,
    why: 'it tells Jarvis what to do',
  },
  {
    category: 'instruction',
    pattern:
      /\b(?:without (?:asking|confirmation|confirming|approval|a ticket|checking|the kernel|review|permission)|no (?:need|confirmation|approval|ticket) (?:is )?(?:needed|required|necessary)?|auto-?approv\w*|skip(?:ping)? (?:the )?(?:confirmation|approval|ticket|check|kernel|safety|review)s?)\b/u,
    why: 'it asks to skip a confirmation',
  },
  {
    category: 'instruction',
    pattern:
      /\b(?:ignore|disregard|forget|override|bypass)\b.{0,40}\b(?:instructions?|prompts?|rules?|guidelines?|polic(?:y|ies)|safety|restrictions?|guardrails?|previous|prior|above|earlier|system)\b/u,
    why: 'it asks to drop the rules',
  },
  {
    category: 'instruction',
    pattern:
      /(?:system prompt|new instructions?|updated instructions?|jailbreak|developer mode|do anything now|\bdan mode\b|prompt injection|\[inst\]|<\|im_start\|>|<\|system\|>|<\/?\s*(?:system|instructions?|assistant|user|cluster[ _-]?data)\b|^(?:system|assistant|user|human)\s*:|#{2,}\s*(?:system|instruction))/u,
    why: 'it imitates a prompt or a frame marker',
  },
  {
    category: 'instruction',
    pattern:
      /\b(?:rm -[rf]+|curl\s+\S|wget\s+\S|sudo\s|chmod\s+[0-7+]|qm (?:stop|destroy|shutdown|reboot|set|unlock|migrate)|pct (?:stop|destroy|shutdown|reboot|set|unlock)|pvesh (?:create|set|delete)|systemctl (?:stop|disable|mask|restart|kill)|mkfs|dd if=|:\(\)\s*\{|\|\s*(?:ba)?sh\b|nc -e|base64 -d)/u,
    why: 'it contains a shell command',
  },
  {
    category: 'instruction',
    pattern: /\bif (?:anyone|someone|somebody|a user|the user|you are) (?:asks?|asked|requests?)\b/u,
    why: 'it is a conditional instruction',
  },
  // Role, permission and policy claims
  {
    category: 'policy-claim',
    pattern:
      /\b(?:i am|i'm|im|we are|user \S+ is|\S+ is (?:now )?(?:an? |the )?|they are|he is|she is)\s*(?:now\s+)?(?:an? |the )?(?:admin|administrator|root|superuser|super-user|owner|sysadmin|operator with|privileged)\b/u,
    why: 'it claims a role',
  },
  {
    category: 'policy-claim',
    pattern:
      /\b(?:has|have|got|granted|given)\s+(?:full |admin(?:istrator)? |root |owner |elevated |super-?user )?(?:admin|root|owner|full|elevated|superuser|unrestricted)\s*(?:rights|access|role|privileges?|permissions?|control)\b/u,
    why: 'it claims a permission',
  },
  {
    category: 'policy-claim',
    pattern:
      /\b(?:is|are|was|were|be|been|being)\s+(?:now\s+|also\s+|hereby\s+)?(?:pre-?)?(?:authori[sz]ed|allowed|permitted|approved|trusted|exempt(?:ed)?|whitelisted|allowlisted|cleared|sanctioned)\b/u,
    why: 'it claims a permission',
  },
  {
    category: 'policy-claim',
    pattern:
      /\b(?:(?:is|are)(?: now)? (?:not|no longer|never) (?:protected|critical|important|in use|needed|essential|monitored)|unprotected|un-protected|not on the protected|removed from the protected|no longer protected|protection (?:was |is |has been )?(?:removed|lifted|disabled|off))\b/u,
    why: 'it claims a protection changed',
  },
  {
    category: 'policy-claim',
    pattern:
      /\b(?:safe|ok|okay|fine|harmless|allowed|free) to (?:stop|reboot|shut|shutdown|delete|destroy|migrate|restart|kill|wipe|remove|power|touch|modify|format|act)\b/u,
    why: 'it claims an action is safe',
  },
  {
    category: 'policy-claim',
    pattern:
      /\bcan (?:safely |always |freely )?be (?:stopped|rebooted|shut down|deleted|destroyed|migrated|wiped|removed|restarted|killed|formatted|powered off|touched)\b/u,
    why: 'it claims an action is safe',
  },
  {
    category: 'policy-claim',
    pattern: /\b(?:does ?n[o']?t|do ?n[o']?t|never) (?:need|require)s? (?:approval|confirmation|a ticket|tickets|review|permission|a human)\b/u,
    why: 'it claims a confirmation is not needed',
  },
  {
    category: 'policy-claim',
    pattern:
      /\b(?:green|yellow|red|black)[- ]tier\b|\btiers? (?:is|are|=|:|of)\b|\b(?:safety kernel|the kernel (?:allows|permits|approves|decides|says)|protected (?:list|resources?|guests?|nodes?)|never[- ]act|maintenance window|(?:cloud |token |spend(?:ing)? |model |monthly |daily )?budget|spending (?:cap|limit)|cost cap|persona|guardrails?|polic(?:y|ies)|rules? (?:say|says|allow|are)|security (?:settings?|checks?))\b/u,
    why: 'it refers to safety policy, budgets or persona',
  },
  {
    category: 'policy-claim',
    pattern:
      /\b(?:you are|you're|your (?:name|role|persona|purpose|job|task|instructions?|creator|owner) (?:is|are)|act as|pretend|role-?play|impersonate|speak as|respond as|answer as)\b/u,
    why: 'it tries to change the persona',
  },
  // Credentials
  {
    category: 'credential',
    pattern:
      /\b(?:password|passwd|pwd|passphrase|pass ?code|passcode|pin code|secret|api[ _-]?key|api[ _-]?token|access[ _-]?token|auth[ _-]?token|bearer|token secret|private[ _-]?key|ssh[ _-]?key|credentials?|login|otp|2fa|totp)\b\s*(?:is|are|was|for\s+\S+\s+is|=|:|->)/u,
    why: 'it contains a credential',
  },
  {
    category: 'credential',
    pattern:
      /-----begin [a-z ]*private key-----|pveapitoken=|\b[\w.-]+@(?:pam|pve)!\S+|\bbearer\s+[a-z0-9._~+/-]{12,}|\b(?:akia|asia)[a-z0-9]{16}\b|\bgh[pousr]_[a-z0-9]{20,}|\bsk-[a-z0-9_-]{16,}|\bxox[abpr]-[a-z0-9-]{10,}|\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/u,
    why: 'it contains a credential',
  },
  // Exfiltration
  {
    category: 'exfiltration',
    pattern:
      /\b(?:send|post|upload|forward|e-?mail|mail|exfiltrate|leak|transmit|copy|push|beacon|report|ship|sync|submit|share|paste)\b.{0,100}(?:https?:|ftp:|wss?:|\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:com|net|org|io|xyz|ru|cn|top|site|online|info|biz|me|co|dev|app|sh|to|cc|tk|ml|pw)\b|@[a-z0-9-]+\.[a-z]{2,}|\b(?:\d{1,3}\.){3}\d{1,3}:\d+)/u,
    why: 'it asks to send data somewhere',
  },
  {
    category: 'exfiltration',
    pattern: /!\[[^\]]*\]\(|\b(?:webhook|requestbin|pastebin|ngrok|burpcollaborator|interact\.sh|pipedream|hookbin)\b/u,
    why: 'it points to a data-collection endpoint',
  },
];

/** URLs are kept only when they point inside the homelab (private addresses, .lan/.local/.internal/.home.arpa, bare hostnames) without a query. */
const URL_PATTERN = /\b(?:https?|ftp|wss?|file|gopher|data|javascript|smb|sftp):(?:\/\/)?([^\s/?#]*)([^\s]*)/giu;

function outsideUrl(reading: string): boolean {
  for (const match of reading.matchAll(URL_PATTERN)) {
    const scheme = match[0].split(':')[0] ?? '';
    if (!['http', 'https'].includes(scheme)) return true;
    const host = (match[1] ?? '')
      .replace(/^[^@]*@/, '')
      .replace(/:\d+$/, '')
      .replace(/^\[|\]$/g, '');
    const rest = match[2] ?? '';
    if ((match[1] ?? '').includes('@')) return true;
    if (rest.includes('?') || rest.includes('=')) return true;
    const privateHost =
      /^(?:10\.\d+\.\d+\.\d+|192\.168\.\d+\.\d+|172\.(?:1[6-9]|2\d|3[01])\.\d+\.\d+|127\.\d+\.\d+\.\d+|localhost|fd[0-9a-f:]+|fe80:[0-9a-f:]*)$/.test(host) ||
      /(?:^|\.)(?:lan|local|internal|home\.arpa|home|localdomain)$/.test(host) ||
      /^[a-z0-9-]+$/.test(host);
    if (!privateHost) return true;
  }
  return false;
}

const HIGH_ENTROPY = /[A-Za-z0-9+/_=-]{32,}/g;

/** A long token that mixes upper, lower and digits, as keys and tokens do (checked on the raw text, case kept). */
function looksLikeSecret(raw: string): boolean {
  for (const match of raw.matchAll(HIGH_ENTROPY)) {
    const token = match[0];
    const classes = [/[a-z]/, /[A-Z]/, /\d/].filter((re) => re.test(token)).length;
    if (classes === 3) return true;
  }
  return false;
}

/** The stored form: one line, sanitised, capped. */
export function storedForm(text: string): string {
  return sanitizeText(text, { singleLine: true, maxLength: MAX_ENTRY_CHARS }).replace(/\s+/g, ' ').trim();
}

/** Checks one candidate entry; see the module comment. */
export function checkMemoryText(raw: string): MemoryCheck {
  const text = storedForm(typeof raw === 'string' ? raw : String(raw));
  if (text.length === 0) return { ok: false, categories: ['empty'], reasons: ['it is empty'] };
  const readings = readingsOf(typeof raw === 'string' ? raw : String(raw));
  const categories = new Set<RejectCategory>();
  const reasons: string[] = [];
  for (const reading of readings) {
    for (const rule of RULES) {
      if (rule.category === 'credential' && reading.leet) continue;
      if (rule.pattern.test(reading.text)) {
        categories.add(rule.category);
        const reason = `${rule.why}${reading.decoded ? ' (found after decoding)' : ''}`;
        if (!reasons.includes(reason)) reasons.push(reason);
      }
    }
    if (!reading.leet && outsideUrl(reading.text)) {
      categories.add('exfiltration');
      if (!reasons.includes('it links to an address outside the homelab')) reasons.push('it links to an address outside the homelab');
    }
  }
  if (looksLikeSecret(raw)) {
    categories.add('credential');
    reasons.push('it contains a key-like token');
  }
  if (categories.size > 0) return { ok: false, categories: [...categories], reasons };
  return { ok: true, text };
}

/** One sentence for the user: what was refused and how to say it as a fact instead. */
export function explainRejection(check: Extract<MemoryCheck, { ok: false }>): string {
  return `Not remembered: ${check.reasons.join('; ')}. Memory holds plain facts only (e.g. "VM 101 runs PostgreSQL", "I prefer short answers"); rules, roles, protected resources and budgets come from the configuration, never from memory.`;
}
