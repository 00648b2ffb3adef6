/**
 * How grades are shown: the learner's scoreboard (a progress bar, ✅/❌ per exercise, for a failure its
 * first failing check with expected and actual, the next hint, and what to do next) and `--json` lines.
 */
import { FAIL_MARK, PASS_MARK } from '../curriculum/check/runner.js';
import { exerciseById } from '../curriculum/registry.js';
import type { ExerciseResult } from './grade.js';
import { COMPILE_TEST_NAME } from './protocol.js';
import type { GradeChanges } from './history.js';

/** Width of the progress bar, in blocks. */
const BAR_WIDTH = 10;
const WARNING = '⚠️ ';

/** `[██████░░░░] 3/6` */
export function progressBar(passed: number, total: number, width = BAR_WIDTH): string {
  const filled = total === 0 ? 0 : Math.round((passed / total) * width);
  return `[${'█'.repeat(filled)}${'░'.repeat(width - filled)}] ${passed}/${total}`;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

/** Which hint comes next for a failing exercise: the second once it has already failed before. */
function hintIndex(result: ExerciseResult, changes: GradeChanges | undefined): number {
  const previous = changes?.before[result.id];
  const hints = exerciseById(result.id).hints;
  // Nothing written yet: the first hint is where to start, however often the grader ran.
  if (result.tests.find((t) => !t.passed)?.message?.startsWith('not written yet')) return 0;
  return previous && !previous.passed ? Math.min(previous.failedRuns, hints.length - 1) : 0;
}

/** The lines under a failed exercise: first failing check, the hint, TypeScript's errors, problems. */
function failureLines(result: ExerciseResult, changes: GradeChanges | undefined): string[] {
  const exercise = exerciseById(result.id);
  const lines: string[] = [];
  const failing = result.tests.find((t) => !t.passed);
  const shownProblems = new Set<string>();
  if (failing) {
    lines.push(`     ${FAIL_MARK} ${failing.name}`);
    if (failing.expected !== undefined) {
      lines.push(`        ${failing.what}`, `        expected: ${failing.expected}`, `        actual:   ${failing.actual}`);
    } else if (failing.message) {
      lines.push(`        ${failing.message}`);
      shownProblems.add(failing.message);
    }
    if (failing.hint && !exercise.hints.includes(failing.hint)) lines.push(`        fix:      ${failing.hint}`);
    const more = result.tests.filter((t) => !t.passed).length - 1;
    if (more > 0) lines.push(`     … and ${more} more failing check${more === 1 ? '' : 's'}`);
  }
  for (const error of result.typeErrors) lines.push(`     TypeScript: ${error}`);
  for (const problem of result.problems) if (!shownProblems.has(problem)) lines.push(`     ${WARNING} ${problem}`);
  // A hint is about the exercise; it does not help a cell that never ran to the end.
  if (failing && !result.stopped && failing.name !== COMPILE_TEST_NAME) {
    const index = hintIndex(result, changes);
    lines.push(`     💡 hint ${index + 1}/${exercise.hints.length}: ${exercise.hints[index]}`);
  }
  return lines;
}

/** One exercise's block of the scoreboard. */
export function exerciseLines(result: ExerciseResult, changes?: GradeChanges): string[] {
  const head = `${result.id.padEnd(28)} ${result.notebook.padEnd(22)}`;
  const gaveUp = result.gaveUpAt ? [`     🏳️  you gave up on this one and saw the solution (${result.gaveUpAt.slice(0, 16).replace('T', ' ')})`] : [];
  if (result.passed) {
    const total = result.tests.length;
    return [
      `${PASS_MARK} ${head} ${total}/${total} checks  ${seconds(result.durationMs)}`,
      ...gaveUp,
      ...result.problems.map((problem) => `     ${WARNING} ${problem}`),
    ];
  }
  const failed = result.tests.filter((t) => !t.passed).length;
  const summary = result.stopped ? 'stopped' : result.tests.length > 0 ? `${failed} of ${result.tests.length} checks failed` : 'not graded';
  return [`${FAIL_MARK} ${head} ${summary}`, ...gaveUp, ...failureLines(result, changes)];
}

/** The closing lines: the bar, what changed, and the next exercise to work on. */
export function summaryLines(results: readonly ExerciseResult[], changes?: GradeChanges): string[] {
  const passed = results.filter((r) => r.passed).length;
  const lines = [`${progressBar(passed, results.length)} exercises pass`];
  if (changes?.newlyPassing.length) lines.push(`🎉 newly passing: ${changes.newlyPassing.join(', ')}`);
  if (changes?.newlyFailing.length) lines.push(`📉 newly failing: ${changes.newlyFailing.join(', ')}`);
  const next = results.find((r) => !r.passed);
  lines.push(next ? `next up: ${next.id} in ${next.notebook}.ipynb` : `🏁 all ${results.length} graded exercises pass`);
  return lines;
}

/** The whole scoreboard for one grading run. */
export function formatScoreboard(title: string, results: readonly ExerciseResult[], changes?: GradeChanges): string {
  const lines = [title, ''];
  for (const result of results) lines.push(...exerciseLines(result, changes));
  lines.push('', ...summaryLines(results, changes));
  return lines.join('\n');
}

/** `--json`: one object per exercise — `{id, notebook, passed, tests: [{name, passed, message?, hint?}], duration_ms, problem?, type_errors?}`. */
export function jsonLine(result: ExerciseResult): string {
  return JSON.stringify({
    id: result.id,
    notebook: result.notebook,
    passed: result.passed,
    tests: result.tests.map((t) => ({
      name: t.name,
      passed: t.passed,
      ...(t.message === undefined ? {} : { message: t.message }),
      ...(t.hint === undefined ? {} : { hint: t.hint }),
    })),
    duration_ms: result.durationMs,
    ...(result.problems.length > 0 ? { problem: result.problems.join('; ') } : {}),
    ...(result.typeErrors.length > 0 ? { type_errors: result.typeErrors } : {}),
    ...(result.gaveUpAt ? { gave_up_at: result.gaveUpAt } : {}),
  });
}
