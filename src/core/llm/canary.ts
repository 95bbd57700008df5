/**
 * The canary: a known-answer question whose answer is fixed by config (the management VM's VMID),
 * judged deterministically. A model that cannot repeat one number it was just told is not fit to
 * turn findings into prose; work shifts to rules or escalation while it fails.
 */
export interface CanaryQuestion {
  readonly system: string;
  readonly question: string;
  readonly expected: string;
}

/** The question for a management VM `vmid` (the fact is in the prompt: the check is comprehension, not memory). */
export function managementVmCanary(vmid: number): CanaryQuestion {
  return {
    system:
      'You are Jarvis, the operator of a Proxmox VE cluster. Jarvis itself runs on the management VM. ' +
      `The management VM has VMID ${vmid}. Answer with the number only.`,
    question: 'What is the VMID of the management VM?',
    expected: String(vmid),
  };
}

/** Passes when the answer's numbers are exactly the expected one (once or repeated), nothing else. */
export function judgeCanary(answer: string, expected: string): { ok: boolean; detail: string } {
  const numbers = answer.slice(0, 2000).match(/\d+/g) ?? [];
  if (numbers.length === 0) return { ok: false, detail: `expected ${expected}, the answer had no number` };
  const wrong = numbers.filter((number) => number !== expected);
  if (wrong.length > 0) return { ok: false, detail: `expected ${expected}, got ${wrong.slice(0, 3).join(', ')}` };
  return { ok: true, detail: `answered ${expected}` };
}
