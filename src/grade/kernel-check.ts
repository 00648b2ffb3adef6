/**
 * A check cell's grading, from inside a notebook kernel: the exercise cell the learner last ran, graded in
 * a sandboxed child exactly as `lnlab grade` grades a saved notebook. The kernel keeps one child started
 * ahead, so a check waits only for its checks.
 */
import type { CheckReport } from '../curriculum/check/types.js';
import type { Exercise } from '../curriculum/exercise.js';
import { GradeWorker, type WorkerVerdict } from './worker.js';
import { DEFAULT_TEST_TIMEOUT_MS } from './sandbox/grade-cell.js';
import { ensureChildBundle } from './sandbox/bundle.js';
import { transpileCell } from './sandbox/transpile.js';
import { rememberVerdict } from '../workshop/your-node.js';

let spare: GradeWorker | undefined;

/** Starts a child now, so the next check finds it ready (and warms the compiler the parent uses). */
export function prewarmChecks(): void {
  if (spare?.alive) return;
  spare = new GradeWorker(DEFAULT_TEST_TIMEOUT_MS);
  spare.ready.catch(() => undefined);
}

/** Builds the grader and warms esbuild, without starting a child (the setup cell does this in the background). */
export async function warmGrader(): Promise<void> {
  await ensureChildBundle();
  transpileCell({ id: 'warm', functionName: 'warm', notebook: '00-welcome' } as Exercise, 'function warm() {}', '');
  prewarmChecks();
}

/** Grades `source` (a whole exercise cell) for `exercise`; never rejects. */
export async function gradeInKernel(exercise: Exercise, source: string): Promise<{ report: CheckReport; verdict: WorkerVerdict }> {
  const worker = spare?.alive ? spare : new GradeWorker(DEFAULT_TEST_TIMEOUT_MS);
  spare = undefined;
  const verdict = await worker.run({ id: exercise.id, source }, { typeErrors: false });
  prewarmChecks();
  const failed = verdict.report.tests.filter((t) => !t.passed).length;
  rememberVerdict(exercise, source, verdict.report.passed && verdict.problem === undefined, failed, verdict.report.tests.length, true);
  const tests = verdict.problem && verdict.report.tests.every((t) => t.passed)
    ? [...verdict.report.tests, { name: 'the grading process ended cleanly', passed: false, message: verdict.problem }]
    : verdict.report.tests;
  return { report: { ...verdict.report, tests, passed: verdict.report.passed && verdict.problem === undefined }, verdict };
}
