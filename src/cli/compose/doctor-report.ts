/** One line of `jarvis doctor` output. */
export type Verdict = 'OK' | 'WARN' | 'FAIL';

export interface CheckResult {
  readonly name: string;
  readonly verdict: Verdict;
  readonly detail: string;
  /** The fix, for WARN and FAIL (kept under this name for existing `--json` readers; `fix` is the same text). */
  readonly hint?: string | undefined;
  /** The exact fix, for WARN and FAIL: the key, command or setting to change. Same text as `hint`. */
  readonly fix?: string | undefined;
  /** Why it failed, when the doctor diagnosed it (TLS and Docker failures): one sentence. */
  readonly cause?: string | undefined;
}

export const check = (name: string, verdict: Verdict, detail: string, hint?: string, cause?: string): CheckResult => ({
  name,
  verdict,
  detail,
  ...(hint ? { hint, fix: hint } : {}),
  ...(cause ? { cause } : {}),
});

/** `OK    name  detail` plus indented `cause:` and `fix:` lines for WARN/FAIL. */
export function formatCheck(result: CheckResult): string {
  const head = `${result.verdict.padEnd(5)} ${result.name.padEnd(18)} ${result.detail}`;
  if (result.verdict === 'OK') return head;
  const cause = result.cause ? `\n      cause: ${result.cause}` : '';
  const fix = result.hint ? `\n      fix: ${result.hint}` : '';
  return `${head}${cause}${fix}`;
}

/** Exit code of `jarvis doctor`: 0 when every check is OK or WARN, 1 otherwise. */
export function doctorExitCode(results: readonly CheckResult[]): number {
  return results.some((result) => result.verdict === 'FAIL') ? 1 : 0;
}
