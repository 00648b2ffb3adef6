/**
 * Runs grading jobs on a few child processes at once, one fresh process per job; a pool starts them ahead
 * of time, so a job waits for its checks, not for a process to load the workshop.
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
 * Grades `jobs` on at most `lanes` processes at a time, in order of the queue, each job in a fresh process
 * of its own (the next one already starting while a job runs): one learner's cell never meets another's,
 * and a cell that misbehaved cannot touch the next verdict. Every job gets a verdict.
 */
export async function runJobs(
  jobs: readonly (GradeJob & { readonly key?: string })[],
  pool: WorkerPool,
  lanes: number,
  onVerdict?: (key: string, verdict: WorkerVerdict) => void,
): Promise<Map<string, WorkerVerdict>> {
  const queue = [...jobs];
  const verdicts = new Map<string, WorkerVerdict>();
  const lane = async () => {
    for (let job = queue.shift(); job; job = queue.shift()) {
      const worker = pool.take();
      if (queue.length > 0) pool.prewarm(1);
      const verdict = await worker.run(job);
      verdicts.set(job.key ?? job.id, verdict);
      onVerdict?.(job.key ?? job.id, verdict);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(lanes, jobs.length)) }, lane));
  return verdicts;
}
