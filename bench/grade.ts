/**
 * Benchmark: how long a learner and an instructor wait for a verdict. Wall time, reference solutions in a
 * fresh temporary notebook folder, real sandboxed children:
 * - `grade_exercise`: `node bin/lnlab.js grade <exercise> --dir D`, the whole command from a cold start
 *   (Node, the prebuilt CLI, reading the notebook, one child, its checks); median of 5; goal < 500 ms;
 * - `check_cell`: what a check cell costs in a kernel: its child already started (the kernel keeps one
 *   ready), then compiling the cell and running the checks; median of 7; goal < 300 ms for a non-chain
 *   exercise;
 * - `grade_all`: every exercise, as `lnlab grade` grades a notebook folder (two children at once);
 * - `grade_class`: `lnlab grade --class` of 30 learners × every exercise, with a realistic mix (a third
 *   have solved everything, each cell reworded so no two are identical; a third are half-way, the rest
 *   untouched skeletons); goal < 60 s on 2 cores.
 *
 * Run directly: `node --import tsx bench/grade.ts` (prints JSON). Wired into `npm run bench`.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DEFAULT_LANES, GradeWorker, gradeClass, gradeNotebooks, DEFAULT_EXERCISE_LIMIT_MS, CLASS_LANES } from '../src/grade/index.js';
import { EXERCISES, PROJECT_ROOT, exerciseById, solutionCell, skeletonCell } from '../src/internal.js';
import { stopSharedCheckChain } from '../src/grade/sandbox/check-chain.js';
import { solutionSpec, writeLearner } from '../tests/grade/notebook-fixture.js';
import type { BenchResult } from './filestore.js';

/** The exercise timed alone: its checks mine no blocks. */
const BENCH_EXERCISE = 'updateMonitor';
const COLD_RUNS = 5;
const CHECK_RUNS = 7;
const CLASS_SIZE = 30;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** The reference, reworded per learner: another comment line, so no two learners hand in the same text. */
function reworded(id: string, learner: number): string {
  return solutionCell(exerciseById(id)).replace(/\{\n/, `{\n  // learner ${learner}'s version\n`);
}

export async function benchGrade(): Promise<BenchResult[]> {
  const dir = mkdtempSync(join(tmpdir(), 'lnlab-bench-grade-'));
  const cores = availableParallelism();
  try {
    const notebooks = writeLearner(join(dir, 'learner'), solutionSpec);
    const bin = join(PROJECT_ROOT, 'bin', 'lnlab.js');
    const env = { ...process.env, LNLAB_HOME: join(dir, 'home') };
    const run = () => execFileSync(process.execPath, [bin, 'grade', BENCH_EXERCISE, '--dir', notebooks], { env, stdio: 'ignore' });
    run(); // builds the CLI and the child if needed, warms the disk cache: untimed
    const cold: number[] = [];
    for (let i = 0; i < COLD_RUNS; i++) {
      const started = performance.now();
      run();
      cold.push(performance.now() - started);
    }
    const check: number[] = [];
    for (let i = 0; i < CHECK_RUNS; i++) {
      const worker = new GradeWorker(DEFAULT_EXERCISE_LIMIT_MS);
      await worker.ready;
      const started = performance.now();
      const verdict = await worker.run({ id: BENCH_EXERCISE, source: solutionCell(exerciseById(BENCH_EXERCISE)) }, { typeErrors: false });
      check.push(performance.now() - started);
      if (!verdict.report.passed) throw new Error(`bench: the reference of ${BENCH_EXERCISE} failed its checks`);
    }
    const allStarted = performance.now();
    const all = await gradeNotebooks(notebooks, EXERCISES);
    const allMs = performance.now() - allStarted;

    const classRoot = join(dir, 'class');
    const third = Math.floor(CLASS_SIZE / 3);
    for (let learner = 0; learner < CLASS_SIZE; learner++) {
      const solved = (id: string) => learner < third || (learner < 2 * third && EXERCISES.findIndex((e) => e.id === id) < EXERCISES.length / 2);
      writeLearner(join(classRoot, `learner-${String(learner).padStart(2, '0')}`), (e) => ({ cells: [solved(e.id) ? reworded(e.id, learner) : skeletonCell(e)] }));
    }
    const classStarted = performance.now();
    const grades = await gradeClass(classRoot, { exerciseLimitMs: DEFAULT_EXERCISE_LIMIT_MS });
    const classMs = performance.now() - classStarted;
    const classPassed = grades.reduce((n, g) => n + g.results.filter((r) => r.passed).length, 0);
    return [
      { name: 'grade_exercise', value: Math.round(median(cold)), unit: 'ms', exercise: BENCH_EXERCISE, runs: COLD_RUNS, start: 'cold CLI', goal: '< 500' },
      { name: 'check_cell', value: Math.round(median(check)), unit: 'ms', exercise: BENCH_EXERCISE, runs: CHECK_RUNS, start: 'child started ahead, as a kernel keeps one', goal: '< 300' },
      { name: 'grade_all', value: Math.round(allMs), unit: 'ms', exercises: EXERCISES.length, passed: all.filter((r) => r.passed).length, processes: DEFAULT_LANES, cores },
      { name: 'grade_class', value: Math.round(classMs / 100) / 10, unit: 's', learners: CLASS_SIZE, cells: CLASS_SIZE * EXERCISES.length, passed: classPassed, processes: CLASS_LANES, cores, goal: '< 60' },
    ];
  } finally {
    await stopSharedCheckChain();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  for (const result of await benchGrade()) console.log(JSON.stringify(result));
}
