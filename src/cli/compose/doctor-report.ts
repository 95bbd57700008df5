/** One line of `jarvis doctor` output. */
export type Verdict = 'OK' | 'WARN' | 'FAIL';

export interface CheckResult {
  readonly name: string;
  readonly verdict: Verdict;
  readonly detail: string;
  /** The fix, for WARN and FAIL. */
  readonly hint?: string | undefined;
}

export const check = (name: string, verdict: Verdict, detail: string, hint?: string): CheckResult => ({ name, verdict, detail, ...(hint ? { hint } : {}) });

/** `OK    name  detail` plus an indented `fix:` line for WARN/FAIL. */
export function formatCheck(result: CheckResult): string {
  const head = `${result.verdict.padEnd(5)} ${result.name.padEnd(18)} ${result.detail}`;
  return result.hint && result.verdict !== 'OK' ? `${head}\n      fix: ${result.hint}` : head;
}

/** Exit code of `jarvis doctor`: 0 when every check is OK or WARN, 1 otherwise. */
export function doctorExitCode(results: readonly CheckResult[]): number {
  return results.some((result) => result.verdict === 'FAIL') ? 1 : 0;
}
