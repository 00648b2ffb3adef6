/**
 * Grading a folder of notebooks: read each exercise cell (`submission.ts`), grade it in a child process
 * (`pool.ts`), and merge both into one result per exercise. An exercise passes only on a report that
 * says so; a missing cell, a broken notebook, a time-out or a crash is a failure with its reason.
 */
import type { TestOutcome } from '../curriculum/check/types.js';
import type { Exercise } from '../curriculum/registry.js';
import type { GradeJob } from './protocol.js';
import { WorkerPool, runJobs } from './pool.js';
import { readSubmissions } from './submission.js';
import { readProgress } from '../workshop/progress.js';
import { DEFAULT_EXERCISE_LIMIT_MS, type WorkerVerdict } from './worker.js';

/** The verdict on one exercise. */
export interface ExerciseResult {
  readonly id: string;
  readonly notebook: string;
  readonly passed: boolean;
  readonly tests: readonly TestOutcome[];
  readonly durationMs: number;
  /** What is wrong around the cell (missing, duplicated, edited check cell, time-out…), worst first. */
  readonly problems: readonly string[];
  /** Grading was cut short (time-out, the process exited): `tests` holds only where it stopped. */
  readonly stopped: boolean;
  /** TypeScript's errors inside the cell, `line N: …` (only looked for when the cell crashed). */
  readonly typeErrors: readonly string[];
  /** When the learner gave up on it and saw the solution (`giveUp` in a notebook), if they did. */
  readonly gaveUpAt?: string;
}

export interface GradeOptions {
  /** Time limit for loading the cell and for each test (default 20 s). */
  readonly exerciseLimitMs?: number;
  /** Child processes at once (default 2). */
  readonly lanes?: number;
  /** Where to take pre-started workers from (`--watch`); default: a pool for this call only. */
  readonly pool?: WorkerPool;
  /** The learner's `progress.json`, to report their give-ups; none by default. */
  readonly progressFile?: string;
}

/** Default number of grading processes at once: the workshop machines have two cores. */
export const DEFAULT_LANES = 2;

export function merge(exercise: Exercise, problems: readonly string[], verdict: WorkerVerdict | undefined): ExerciseResult {
  const base = { id: exercise.id, notebook: exercise.notebook };
  if (!verdict) return { ...base, passed: false, tests: [], durationMs: 0, problems, stopped: false, typeErrors: [] };
  return {
    ...base,
    passed: verdict.report.passed === true && verdict.problem === undefined,
    tests: verdict.report.tests,
    durationMs: verdict.durationMs,
    problems: verdict.problem ? [verdict.problem, ...problems] : problems,
    stopped: verdict.problem !== undefined,
    typeErrors: verdict.typeErrors,
  };
}

/** Grades `exercises` as handed in under `dir`; one result per exercise, in the order given. */
export async function gradeNotebooks(dir: string, exercises: readonly Exercise[], options: GradeOptions = {}): Promise<ExerciseResult[]> {
  const limitMs = options.exerciseLimitMs ?? DEFAULT_EXERCISE_LIMIT_MS;
  const submissions = readSubmissions(dir, exercises);
  const jobs: GradeJob[] = submissions.flatMap((s) => (s.source === undefined ? [] : [{ id: s.exercise.id, source: s.source }]));
  const pool = options.pool ?? new WorkerPool(limitMs);
  try {
    const verdicts = jobs.length > 0 ? await runJobs(jobs, pool, options.lanes ?? DEFAULT_LANES) : new Map<string, WorkerVerdict>();
    const progress = options.progressFile === undefined ? {} : readProgress(options.progressFile);
    return submissions.map((s) => {
      const result = merge(s.exercise, s.problems, verdicts.get(s.exercise.id));
      const gaveUpAt = progress[s.exercise.id]?.gaveUpAt;
      return gaveUpAt ? { ...result, gaveUpAt } : result;
    });
  } finally {
    if (!options.pool) pool.close();
  }
}
