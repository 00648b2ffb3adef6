/**
 * Runs grading jobs on a few child processes at once. Each run uses fresh processes (one learner's code
 * never meets another's); a pool can start them ahead of time, so in `--watch` a saved notebook is graded
 * by a process that has already loaded the workshop.
 */
import type { GradeJob } from './protocol.js';
import { GradeWorker, type WorkerVerdict } from './worker.js';

export class WorkerPool {
  private spares: GradeWorker[] = [];

  constructor(readonly exerciseLimitMs: number) {}

  /** A fresh worker: a pre-started one if there is one, else a new one. */
  take(): GradeWorker {
    this.spares = this.spares.filter((worker) => worker.alive);
    return this.spares.shift() ?? new GradeWorker(this.exerciseLimitMs);
  }

  /** Starts workers now so that the next `count` takes find them loaded. */
  prewarm(count: number): void {
    this.spares = this.spares.filter((worker) => worker.alive);
    while (this.spares.length < count) this.spares.push(new GradeWorker(this.exerciseLimitMs));
  }

  /** Resolves once every pre-started worker has loaded the workshop (or failed to). */
  async ready(): Promise<void> {
    await Promise.all(this.spares.map((worker) => worker.ready.catch(() => undefined)));
  }

  /** Stops the pre-started workers. */
  close(): void {
    for (const worker of this.spares.splice(0)) worker.kill();
  }
}

/**
 * Grades `jobs` on at most `lanes` processes at a time, in order of the queue. A process that timed out
 * or died is replaced for the remaining jobs; every job gets a verdict.
 */
export async function runJobs(jobs: readonly GradeJob[], pool: WorkerPool, lanes: number): Promise<Map<string, WorkerVerdict>> {
  const queue = [...jobs];
  const verdicts = new Map<string, WorkerVerdict>();
  const lane = async () => {
    let worker: GradeWorker | undefined;
    for (let job = queue.shift(); job; job = queue.shift()) {
      if (!worker?.alive) worker = pool.take();
      verdicts.set(job.id, await worker.run(job));
    }
    worker?.close();
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(lanes, jobs.length)) }, lane));
  return verdicts;
}
