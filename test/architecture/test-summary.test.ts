import { describe, expect, it } from 'vitest';
// @ts-expect-error -- plain ESM script without type declarations
import { summarize } from '../../scripts/test-summary.mjs';

describe('the test runner closing line', () => {
  it('counts a test file that failed to load as failed', () => {
    const report = {
      numPassedTests: 4,
      numFailedTests: 0,
      numPendingTests: 0,
      numTodoTests: 0,
      numTotalTests: 4,
      testResults: [
        { name: 'a.test.ts', status: 'passed', assertionResults: [{ status: 'passed' }, { status: 'passed' }, { status: 'passed' }, { status: 'passed' }] },
        { name: 'broken.test.ts', status: 'failed', message: "Cannot find module './nope.ts'\n  at ...", assertionResults: [] },
      ],
    };
    expect(summarize(report)).toEqual({ line: '4 passed, 1 failed, 0 skipped', failed: 1, loadFailures: ["broken.test.ts: Cannot find module './nope.ts'"] });
  });

  it('does not count a file twice when it has failed tests of its own', () => {
    const report = {
      numPassedTests: 1,
      numFailedTests: 1,
      numPendingTests: 1,
      numTodoTests: 0,
      testResults: [{ name: 'x.test.ts', status: 'failed', assertionResults: [{ status: 'passed' }, { status: 'failed' }] }],
    };
    expect(summarize(report).line).toBe('1 passed, 1 failed, 1 skipped');
  });
});
