/**
 * How the workshop's own verdicts become room verdicts: a notebook check cell's `CheckReport` and
 * `lnlab grade`'s `ExerciseResult`s. Only the exercise id, pass/fail and the failing check's name cross
 * over — never a check's message, its expected/actual values, the grader's problems text or TypeScript's
 * errors, all of which can quote the learner's code or paths.
 *
 * The lead wires these in: the check cell calls `reportVerdicts([roomVerdictFromCheckReport(report)])`,
 * `lnlab grade` calls `reportVerdicts(roomVerdictsFromResults(results))` and awaits `flushReports()`.
 */
import type { ExerciseResult } from '../grade/grade.js';
import type { CheckReport, TestOutcome } from '../curriculum/check/types.js';
import type { RoomVerdict } from './protocol.js';

/** A failure with no failing check behind it: the grader stopped it (time limit, crash). */
export const GRADING_STOPPED_CHECK = 'grading stopped: time limit or crash';
/** A failure with nothing graded at all: the cell is missing, duplicated, or its notebook unreadable. */
export const NOT_GRADABLE_CHECK = 'the exercise cell could not be graded';

function firstFailing(tests: readonly TestOutcome[]): string | undefined {
  return tests.find((test) => !test.passed)?.name;
}

/** The room verdict of one check cell run. */
export function roomVerdictFromCheckReport(report: CheckReport, at: Date = new Date()): RoomVerdict {
  const failingCheck = report.passed ? undefined : firstFailing(report.tests);
  return { exercise: report.id, passed: report.passed, via: 'check-cell', at: at.toISOString(), ...(failingCheck ? { failingCheck } : {}) };
}

/** The room verdicts of one `lnlab grade` run, one per graded exercise, in the grader's order. */
export function roomVerdictsFromResults(results: readonly ExerciseResult[], at: Date = new Date()): RoomVerdict[] {
  return results.map((result) => {
    if (result.passed) return { exercise: result.id, passed: true, via: 'grade', at: at.toISOString() };
    const failingCheck = firstFailing(result.tests) ?? (result.stopped ? GRADING_STOPPED_CHECK : NOT_GRADABLE_CHECK);
    return { exercise: result.id, passed: false, failingCheck, via: 'grade', at: at.toISOString() };
  });
}
