/**
 * Benchmark: how long `lnlab grade` takes. Every figure is wall time on reference solutions in a fresh
 * temporary notebook folder, graded in real child processes:
 * - `grade_exercise`: one fast, non-mining exercise, end to end from a cold start — a new process loads
 *   tsx and the workshop (the cost of `lnlab grade <id>`, without the CLI's own start); median of 5;
 * - `grade_exercise_warm`: the same with a process started ahead of time, as `--watch` does after a save;
 * - `grade_all`: every registered exercise, as `lnlab grade` does (two processes at once); median of 3.
 *
 * Run directly: `node --import tsx bench/grade.ts` (prints JSON). Wired into `npm run bench`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DEFAULT_LANES, WorkerPool, gradeNotebooks, DEFAULT_EXERCISE_LIMIT_MS } from '../src/grade/index.js';
import { EXERCISES, exerciseById } from '../src/internal.js';
import { solutionSpec, writeLearner } from '../tests/grade/notebook-fixture.js';
import type { BenchResult } from './filestore.js';

/** The exercise timed by `grade_exercise`: its checks are among the fastest and mine no blocks. */
const BENCH_EXERCISE = 'watchChannel';
const EXERCISE_RUNS = 5;
const ALL_RUNS = 3;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function timed(run: () => Promise<readonly { passed: boolean }[]>): Promise<number> {
  const start = performance.now();
  const results = await run();
  const ms = performance.now() - start;
  if (!results.every((r) => r.passed)) throw new Error('bench: a reference solution failed to grade as passing');
  return ms;
}

export async function benchGrade(): Promise<BenchResult[]> {
  const dir = mkdtempSync(join(tmpdir(), 'lnlab-bench-grade-'));
  const cores = availableParallelism();
  try {
    writeLearner(dir, solutionSpec);
    const exercise = exerciseById(BENCH_EXERCISE);
    await gradeNotebooks(dir, [exercise]); // warm the disk cache and tsx's transform cache, untimed
    const cold: number[] = [];
    for (let i = 0; i < EXERCISE_RUNS; i++) cold.push(await timed(() => gradeNotebooks(dir, [exercise])));
    const warm: number[] = [];
    for (let i = 0; i < EXERCISE_RUNS; i++) {
      const pool = new WorkerPool(DEFAULT_EXERCISE_LIMIT_MS);
      pool.prewarm(1);
      await pool.ready();
      warm.push(await timed(() => gradeNotebooks(dir, [exercise], { pool, lanes: 1 })));
      pool.close();
    }
    const all: number[] = [];
    for (let i = 0; i < ALL_RUNS; i++) all.push(await timed(() => gradeNotebooks(dir, EXERCISES)));
    const params = { exercise: BENCH_EXERCISE, cores };
    return [
      { name: 'grade_exercise', value: Math.round(median(cold)), unit: 'ms', ...params, runs: EXERCISE_RUNS, start: 'cold' },
      { name: 'grade_exercise_warm', value: Math.round(median(warm)), unit: 'ms', ...params, runs: EXERCISE_RUNS, start: 'pre-started process' },
      { name: 'grade_all', value: Math.round(median(all)), unit: 'ms', exercises: EXERCISES.length, processes: DEFAULT_LANES, cores, runs: ALL_RUNS },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.log(JSON.stringify(await benchGrade(), null, 2));
}
