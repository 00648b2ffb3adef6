/**
 * One learner's grades, and how a failure is summed up in one line: what the class report, its HTML page
 * and the live class view all show.
 */
import type { ExerciseResult } from './grade.js';

export interface LearnerGrade {
  readonly learner: string;
  readonly dir: string;
  readonly results: readonly ExerciseResult[];
}

/** Why a learner failed an exercise, in one line: its first failing test, or the problem that stopped it. */
export function failureReason(result: ExerciseResult): string {
  const failing = result.tests.find((t) => !t.passed);
  if (failing && result.problems[0] && failing.message === result.problems[0]) return result.problems[0];
  if (failing) return failing.name;
  return result.problems[0] ?? 'not graded';
}
