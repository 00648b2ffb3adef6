/**
 * What a notebook's cells call: `check`, `hint` and `solution`. Each prints for the learner; `check`
 * also returns the report so a grader or a test can read it.
 */
import { inspect } from 'node:util';
import { runTests, formatReport } from '../curriculum/check/runner.js';
import type { CheckReport } from '../curriculum/check/types.js';
import { solutionFile } from '../curriculum/exercise.js';
import { EXERCISES, exerciseById, loadTests } from '../curriculum/registry.js';
import { hasReference } from '../curriculum/references.js';
import { solutionCell } from '../curriculum/solution-source.js';
import { readProgress, recordProgress } from './progress.js';

/** Hints already shown in this kernel, per exercise: each `hint(id)` call reveals the next one. */
const hintsShown = new Map<string, number>();

/**
 * Runs exercise `id`'s tests against `impl` (the function the exercise cell defined) and prints the
 * verdict: `✅ id` or, per failing test, `❌` with expected, actual and a hint.
 */
export async function check(id: string, impl: unknown): Promise<CheckReport> {
  const exercise = exerciseById(id);
  const tests = await loadTests(exercise);
  const report = await runTests(id, tests, impl as never, exercise.hints[0]);
  try {
    recordProgress(id, report.passed);
  } catch {
    // A read-only workspace must not turn a passing check into a crash; `lnlab doctor` reports it.
  }
  process.stdout.write(`${formatReport(report)}\n`);
  if (report.passed) process.stdout.write(`   Compare with the reference: solution('${id}')\n`);
  else process.stdout.write(`   Stuck? hint('${id}')\n`);
  return quietInNotebook(report);
}

/**
 * The report, unchanged for code that reads it, but shown in one short line: tslab prints the value of a
 * cell's last expression, and a check cell is exactly `await check(…);` — the verdict is already above.
 */
function quietInNotebook(report: CheckReport): CheckReport {
  const summary = `(${report.tests.length} checks in ${(report.durationMs / 1000).toFixed(1)} s)`;
  return Object.freeze(Object.defineProperty({ ...report }, inspect.custom, { value: () => summary, enumerable: false }));
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

/** Prints the reference solution of `id` — only once the exercise has passed, and only if this copy has it. */
export function solution(id: string): void {
  const exercise = exerciseById(id);
  if (!readProgress()[id]?.passed) {
    process.stdout.write(`🔒 The solution of ${id} opens once your check passes. Try hint('${id}').\n`);
    return;
  }
  if (!hasReference(exercise)) {
    process.stdout.write(`📭 This copy of the workshop has no solutions (${solutionFile(exercise)} is not here): your passing version is the answer. Your instructor has the reference.\n`);
    return;
  }
  process.stdout.write(`${solutionCell(exercise)}\n`);
}

/**
 * The last cell of every notebook: the exercises of `notebook` with where the learner stands on each, and
 * the notebook to open next. It always ends with the line `🏁 End of <notebook>`, so a run that reached
 * the end of a notebook can be told from one that stopped early.
 */
export function summary(notebook: string, next?: string): void {
  const progress = readProgress();
  const lines = EXERCISES.filter((e) => e.notebook === notebook).map((e) => {
    const state = progress[e.id] === undefined ? 'not checked yet' : progress[e.id]!.passed ? 'passed' : 'not passing yet';
    return `  ${e.id.padEnd(28)} ${state}`;
  });
  if (lines.length > 0) process.stdout.write(`Your exercises in this notebook:\n${lines.join('\n')}\n`);
  process.stdout.write(`🏁 End of ${notebook}.${next ? ` Next: ${next}.ipynb` : ''}\n`);
}
