/**
 * What a notebook's cells call: `check`, `hint` and `solution`. Each prints for the learner; `check`
 * also returns the report so a grader or a test can read it.
 */
import { runTests, formatReport } from './check/runner.js';
import type { CheckReport } from './check/types.js';
import { exerciseById } from './exercises.js';
import { readProgress, recordProgress } from './progress.js';
import { solutionCell } from './solution-source.js';

/** Hints already shown in this kernel, per exercise: each `hint(id)` call reveals the next one. */
const hintsShown = new Map<string, number>();

/**
 * Runs exercise `id`'s tests against `impl` (the function the exercise cell defined) and prints the
 * verdict: `✅ id` or, per failing test, `❌` with expected, actual and a hint.
 */
export async function check(id: string, impl: unknown): Promise<CheckReport> {
  const exercise = exerciseById(id);
  const tests = await exercise.tests();
  const report = await runTests(id, tests, impl as never, exercise.hints[0]);
  try {
    recordProgress(id, report.passed);
  } catch {
    // A read-only workspace must not turn a passing check into a crash; `lnlab doctor` reports it.
  }
  process.stdout.write(`${formatReport(report)}\n`);
  if (report.passed) process.stdout.write(`   Compare with the reference: solution('${id}')\n`);
  else process.stdout.write(`   Stuck? hint('${id}')\n`);
  return report;
}

/** Prints the next hint for exercise `id`: first a pointer, then something concrete. */
export function hint(id: string): void {
  const exercise = exerciseById(id);
  const shown = hintsShown.get(id) ?? 0;
  if (shown >= exercise.hints.length) {
    process.stdout.write(`💡 No more hints for ${id}. Read ${exercise.reading}; the solution opens once the check passes.\n`);
    return;
  }
  hintsShown.set(id, shown + 1);
  process.stdout.write(`💡 Hint ${shown + 1}/${exercise.hints.length} for ${id}: ${exercise.hints[shown]}\n`);
}

/** Prints the reference solution of `id` — only once the exercise has passed. */
export function solution(id: string): void {
  const exercise = exerciseById(id);
  if (!readProgress()[id]?.passed) {
    process.stdout.write(`🔒 The solution of ${id} opens once your check passes. Try hint('${id}').\n`);
    return;
  }
  process.stdout.write(`${solutionCell(exercise)}\n`);
}
