// The closing line of scripts/run-tests.mjs, from vitest's JSON report. A test file that failed to
// load (import error, syntax error, a throwing top level) has no failed test in it, but the run
// failed: it is counted as one failed test so the line CI reads never hides it.

/**
 * @param {{ numPassedTests?: number, numFailedTests?: number, numPendingTests?: number, numTodoTests?: number, numTotalTests?: number,
 *   testResults?: { name?: string, status?: string, message?: string, assertionResults?: { status?: string }[] }[] }} report
 * @returns {{ line: string, failed: number, loadFailures: string[] }}
 */
export function summarize(report) {
  const loadFailures = (report.testResults ?? [])
    .filter((file) => file.status === 'failed' && !(file.assertionResults ?? []).some((test) => test.status === 'failed'))
    .map((file) => `${file.name ?? '?'}: ${(file.message ?? 'failed to load').split('\n')[0]}`);
  const failed = (report.numFailedTests ?? 0) + loadFailures.length;
  const skipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
  return { line: `${report.numPassedTests ?? 0} passed, ${failed} failed, ${skipped} skipped`, failed, loadFailures };
}
