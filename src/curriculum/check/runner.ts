/**
 * Runs an exercise's tests against a learner's implementation and renders the verdict. A pass needs a
 * positive result from every test; an exercise with no tests, a test that threw something unexpected, or
 * one that timed out is a failure, never a silent pass.
 */
import { NotImplementedError } from '../../errors.js';
import { CheckFailure, isErrorOf } from './expect.js';
import type { CheckReport, ExerciseTest, TestOutcome } from './types.js';

/** A test still running after this long is stuck (an endless loop waiting on a promise, say). */
export const TEST_TIMEOUT_MS = 30_000;

export const PASS_MARK = '✅';
export const FAIL_MARK = '❌';

export function withTimeout<T>(promise: Promise<T>, ms: number, name: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms / 1000} s (${name})`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * The outcome of a check that threw `err`. `ownMethod` is the method the exercise fills in
 * (`ChannelMonitor.prototype.blockConnected`): reaching that method's hole means the learner's code
 * called the very method it is meant to write, which is said plainly.
 */
export function outcomeOf(name: string, err: unknown, firstHint: string, ownMethod?: string): TestOutcome {
  if (isErrorOf(err, CheckFailure)) {
    const failure = err as CheckFailure;
    return { name, passed: false, message: failure.message, what: failure.what, expected: failure.expected, actual: failure.actual, hint: failure.hint };
  }
  if (isErrorOf(err, NotImplementedError)) {
    const holeName = (err as NotImplementedError).holeName;
    if (holeName !== undefined && holeName === ownMethod) {
      return {
        name,
        passed: false,
        message: `your function called ${holeName}, the empty method your cell is meant to fill: the exercise must be your own code`,
        hint: firstHint,
      };
    }
    if (holeName !== undefined) {
      return { name, passed: false, message: `this check needs ${holeName}, which is not written yet (${(err as Error).message.split('\n')[0]})`, hint: (err as NotImplementedError).fix ?? firstHint };
    }
    return { name, passed: false, message: 'not written yet: the exercise still throws NotImplementedError', hint: firstHint };
  }
  const text = err instanceof Error ? `${err.name}: ${err.message.split('\n')[0]}` : String(err);
  const where = err instanceof Error ? learnerFrame(err.stack) : undefined;
  return { name, passed: false, message: `your code threw ${text}${where ? ` (${where})` : ''}`, hint: firstHint };
}

/** The first stack frame outside the workshop's own code and node internals: most likely the learner's cell. */
function learnerFrame(stack: string | undefined): string | undefined {
  for (const line of (stack ?? '').split('\n').slice(1)) {
    if (/node_modules|node:internal|src\/workshop\/check/.test(line)) continue;
    return line.trim().replace(/^at /, 'at ');
  }
  return undefined;
}

export async function runTests<Impl>(
  id: string,
  tests: readonly ExerciseTest<Impl>[],
  impl: Impl,
  firstHint: string,
  timeoutMs = TEST_TIMEOUT_MS,
  ownMethod?: string,
): Promise<CheckReport> {
  const started = performance.now();
  const outcomes: TestOutcome[] = [];
  if (typeof impl !== 'function') {
    outcomes.push({
      name: 'the exercise defines its function',
      passed: false,
      message: `expected a function named ${id}, got ${typeof impl}`,
      hint: `run the exercise cell above (it defines \`${id}\`), then this check again`,
    });
  } else {
    for (const test of tests) {
      try {
        await withTimeout(test.run(impl), timeoutMs, test.name);
        outcomes.push({ name: test.name, passed: true });
      } catch (err) {
        outcomes.push(outcomeOf(test.name, err, firstHint, ownMethod));
      }
    }
  }
  const passed = outcomes.length > 0 && outcomes.every((o) => o.passed) && tests.length > 0;
  return Object.freeze({ id, passed, tests: outcomes, durationMs: Math.round(performance.now() - started) });
}

/** The verdict as text: `✅ id` on success; otherwise `❌ id` and, per failing test, expected/actual/hint. */
export function formatReport(report: CheckReport): string {
  const total = report.tests.length;
  const failed = report.tests.filter((t) => !t.passed);
  if (report.passed) return `${PASS_MARK} ${report.id}: all ${total} checks passed`;
  const lines = [`${FAIL_MARK} ${report.id}: ${failed.length} of ${total} checks failed`];
  for (const test of report.tests) {
    if (test.passed) {
      lines.push(`  ${PASS_MARK} ${test.name}`);
      continue;
    }
    lines.push(`  ${FAIL_MARK} ${test.name}`);
    if (test.expected !== undefined) {
      lines.push(`     ${test.what}`);
      lines.push(`     expected: ${test.expected}`);
      lines.push(`     actual:   ${test.actual}`);
    } else if (test.message) {
      lines.push(`     ${test.message}`);
    }
    if (test.hint) lines.push(`     hint:     ${test.hint}`);
  }
  return lines.join('\n');
}
