/**
 * What a notebook's cells call: `check`, `hint` and `solution`. Each prints for the learner; `check`
 * also returns the report so a grader or a test can read it.
 *
 * A check grades the exercise cell the learner last ran (the workshop kernel records each cell's source)
 * in a sandboxed child, exactly as `lnlab grade` grades a saved notebook: the same names, the same checks,
 * the same isolation, so a ✅ in the notebook is a ✅ in the grader.
 */
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { readSubmissions } from '../grade/submission.js';
import { formatReport, FAIL_MARK } from '../curriculum/check/runner.js';
import type { CheckReport } from '../curriculum/check/types.js';
import { solutionFile, type Exercise } from '../curriculum/exercise.js';
import { EXERCISES, exerciseById } from '../curriculum/registry.js';
import { hasReference } from '../curriculum/references.js';
import { solutionCell } from '../curriculum/solution-source.js';
import { inWorkshopKernel, recordedCell } from '../kernel/cell-record.js';
import { readProgress, recordGiveUp, recordProgress } from './progress.js';
import { roomVerdictFromCheckReport } from '../room/from-grade.js';
import { reportVerdicts } from '../room/reporter.js';

type KernelCheck = typeof import('../grade/kernel-check.js');
/**
 * The grading side, loaded on first use by a path the bundler cannot follow: the grading child bundles
 * this module (learners' cells import `lightning-lab`), and must not bundle the grader itself.
 */
function kernelCheck(): Promise<KernelCheck> {
  return import(/* @vite-ignore */ new URL('../grade/kernel-check.js', import.meta.url).href) as Promise<KernelCheck>;
}

/** In the workshop kernel, the setup cell starts a grading child in the background, so the first check is quick. */
if (inWorkshopKernel()) void kernelCheck().then((grader) => grader.warmGrader()).catch(() => undefined);

/** A report with one failed check saying why nothing could be graded. */
function cannotGrade(exercise: Exercise, name: string, message: string, hint: string): CheckReport {
  return { id: exercise.id, passed: false, tests: [{ name, passed: false, message, hint }], durationMs: 0 };
}

/** Prints what the learner's code printed while checked, indented so no line of it can pose as a verdict. */
function printLearnerOutput(output: string): void {
  const lines = output.replace(/\s+$/, '').split('\n').filter((line) => line.length > 0);
  if (lines.length === 0) return;
  const shown = lines.slice(0, 20).map((line) => `   │ ${line}`);
  if (lines.length > 20) shown.push(`   │ … and ${lines.length - 20} more lines`);
  process.stdout.write(`   Your code printed while it was checked:\n${shown.join('\n')}\n`);
}

/**
 * Grades `source` — a whole exercise cell — for exercise `id` in a sandboxed child, prints the verdict and
 * records it. `check` calls this with the cell the kernel recorded; tests and tools may call it directly.
 */
export async function checkSource(id: string, source: string): Promise<CheckReport> {
  const exercise = exerciseById(id);
  const { gradeInKernel } = await kernelCheck();
  const { report, verdict } = await gradeInKernel(exercise, source);
  printLearnerOutput(verdict.output);
  return finishCheck(exercise, report);
}

function finishCheck(exercise: Exercise, report: CheckReport): CheckReport {
  try {
    recordProgress(exercise.id, report.passed);
  } catch {
    // A read-only workspace must not turn a passing check into a crash; `lnlab doctor` reports it.
  }
  reportVerdicts([roomVerdictFromCheckReport(report)]); // to the instructor's class view, if the learner joined one
  process.stdout.write(`${formatReport(report)}\n`);
  if (report.passed) process.stdout.write(`   Compare with the reference: solution('${exercise.id}')\n`);
  else process.stdout.write(`   Stuck? hint('${exercise.id}')\n`);
  return quietInNotebook(report);
}

/** Hints already shown in this kernel, per exercise: each `hint(id)` call reveals the next one. */
const hintsShown = new Map<string, number>();

/**
 * The check cell: grades the exercise cell the learner last ran in this kernel (the cell that declared
 * `impl`'s function) and prints the verdict: `✅ id` or, per failing check, `❌` with expected, actual and
 * a hint. `impl` is what the check cell names; the grade is of the cell's source, as the grader sees it.
 */
export async function check(id: string, impl: unknown): Promise<CheckReport> {
  const exercise = exerciseById(id);
  void impl;
  if (!inWorkshopKernel()) {
    return finishCheck(exercise, cannotGrade(exercise, 'the notebook runs on the workshop kernel', `this notebook is not running on the "TypeScript (Lightning Lab)" kernel, which records the cells a check grades`,
      'choose Kernel ▸ Change Kernel ▸ TypeScript (Lightning Lab) (started by `npm start`), then run the cells again'));
  }
  const cell = recordedCell(exercise.functionName);
  if (!cell) {
    return finishCheck(exercise, cannotGrade(exercise, 'the exercise cell has been run', `no cell in this kernel has defined \`${exercise.functionName}\` yet`,
      'run the exercise cell above (it defines the function), then this check again'));
  }
  if (!cell.ok) {
    return finishCheck(exercise, cannotGrade(exercise, 'the exercise cell compiles and runs', `your exercise cell does not compile or failed when it ran (see its output): the check grades the cell as you last ran it`,
      'fix the error shown under the exercise cell, run it again, then this check'));
  }
  if (changedOnDiskSince(exercise, cell.source, cell.at)) {
    return finishCheck(exercise, cannotGrade(exercise, 'the exercise cell has been run as saved', `the exercise cell in ${exercise.notebook}.ipynb changed on disk after you last ran it (\`lnlab reset\`, or an edit you saved without running it)`,
      'run the exercise cell again (reload the notebook from disk first if lnlab reset changed it), then this check'));
  }
  return checkSource(id, cell.source);
}

/**
 * Whether the saved notebook holds another version of the exercise cell than the one the kernel ran, saved
 * after that run: the check would otherwise grade code that is no longer in the notebook.
 */
function changedOnDiskSince(exercise: Exercise, ran: string, ranAt: number): boolean {
  try {
    const file = join(process.cwd(), `${exercise.notebook}.ipynb`);
    if (!existsSync(file) || statSync(file).mtimeMs <= ranAt) return false;
    const saved = readSubmissions(process.cwd(), [exercise])[0]?.source;
    return saved !== undefined && saved !== ran;
  } catch {
    return false;
  }
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
    process.stdout.write(`💡 No more hints for ${id}. Read ${exercise.reading}; the solution opens once the check passes (or with giveUp('${id}'), which your grade report will show).\n`);
    return;
  }
  hintsShown.set(id, shown + 1);
  process.stdout.write(`💡 Hint ${shown + 1}/${exercise.hints.length} for ${id}: ${exercise.hints[shown]}\n`);
}

/** Prints the reference solution of `id` — once the exercise has passed (or after `giveUp`), if this copy has it. */
export function solution(id: string): void {
  const exercise = exerciseById(id);
  const progress = readProgress()[id];
  if (!progress?.passed && !progress?.gaveUpAt) {
    process.stdout.write(`🔒 The solution of ${id} opens once your check passes. Try hint('${id}'); or, to see it now, giveUp('${id}') — your grade report will say you did.\n`);
    return;
  }
  printSolution(exercise);
}

/**
 * Gives up on exercise `id`: records it (for good — \`lnlab grade\` and the class report show it) and
 * prints the reference solution.
 */
export function giveUp(id: string): void {
  const exercise = exerciseById(id);
  recordGiveUp(id);
  process.stdout.write(`🏳️  Recorded: you gave up on ${id}. Here is the reference; type it in your own words, and its check will still tell you whether it works.\n`);
  printSolution(exercise);
}

function printSolution(exercise: Exercise): void {
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
