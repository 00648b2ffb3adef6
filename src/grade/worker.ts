/**
 * One grading job, as `lnlab grade` runs it: a learner's exercise cell graded in its own sandboxed child
 * (`sandbox/`), its locations put in the cell's own terms ("your cell, line 3"), and, when the cell
 * crashed, TypeScript's view of it. A worker is a child started ahead of time; it grades one job.
 */
import type { CheckReport, TestOutcome } from '../curriculum/check/types.js';
import { exerciseById } from '../curriculum/registry.js';
import { toCellLocations, type CellSpan } from './cell-errors.js';
import type { GradeJob } from './protocol.js';
import { DEFAULT_TEST_TIMEOUT_MS, gradeCell } from './sandbox/grade-cell.js';
import { SandboxChild, killAllSandboxChildren } from './sandbox/spawn.js';
import { setupCell } from '../curriculum/cells.js';

/** Default time limit, in ms, for loading a cell and for each of its checks. */
export const DEFAULT_EXERCISE_LIMIT_MS = DEFAULT_TEST_TIMEOUT_MS;

/** What grading one exercise produced. */
export interface WorkerVerdict {
  readonly report: CheckReport;
  /** Set when the child did not finish the job normally (time-out, exit, crash). */
  readonly problem?: string;
  readonly typeErrors: readonly string[];
  readonly durationMs: number;
  /** What the learner's code printed. */
  readonly output: string;
}

/** Kills every grading process still running (the grader is stopping). */
export function killAllWorkers(): void {
  killAllSandboxChildren();
}

function lineCount(text: string): number {
  return text.replace(/\n$/, '').split('\n').length;
}

export class GradeWorker {
  private readonly child: SandboxChild;

  constructor(private readonly exerciseLimitMs: number) {
    this.child = new SandboxChild(exerciseLimitMs);
  }

  get ready(): Promise<void> {
    return this.child.ready;
  }

  get alive(): boolean {
    return this.child.alive;
  }

  /** Grades `job` in this worker's child. Never rejects. */
  async run(job: GradeJob, options: { typeErrors?: boolean } = {}): Promise<WorkerVerdict> {
    const exercise = exerciseById(job.id);
    const verdict = await gradeCell(exercise, job.source, { testTimeoutMs: this.exerciseLimitMs, child: this.child });
    const span: CellSpan = { offset: lineCount(setupCell(exercise.notebook)), lines: lineCount(job.source) };
    const inCell = (text: string | undefined) => (text === undefined ? undefined : toCellLocations(text, span));
    const tests: TestOutcome[] = verdict.tests.map((t) => ({ ...t, message: inCell(t.message), actual: inCell(t.actual) }));
    let typeErrors: string[] = [];
    // TypeScript's view helps with a crash ("cannot read properties of undefined"), not with a wrong answer.
    if ((options.typeErrors ?? true) && tests.some((t) => !t.passed && /^your (code|cell) threw/.test(t.message ?? ''))) {
      try {
        const { cellTypeErrors } = await import('./typecheck.js');
        typeErrors = cellTypeErrors(exercise, job.source);
      } catch {
        // Diagnostics are a courtesy: the verdict stands without them.
      }
    }
    return {
      report: { id: job.id, passed: verdict.passed, tests, durationMs: verdict.durationMs },
      problem: verdict.problems[0] === undefined ? undefined : inCell(verdict.problems[0]),
      typeErrors,
      durationMs: verdict.durationMs,
      output: verdict.output,
    };
  }

  /** Lets an unused child exit. */
  close(): void {
    this.child.close();
  }

  kill(): void {
    this.child.kill();
  }
}
