/**
 * Every notebook, executed top to bottom in real Jupyter with the tslab kernel, each against a throwaway
 * regtest node of its own:
 * - with the reference solution in every exercise cell, every check cell prints `✅ <id>`;
 * - as shipped (skeletons), every check cell prints `❌ <id>` and nothing passes — and the notebook still
 *   runs to its last cell, which later notebooks depend on (they fall back to the reference).
 * A notebook without exercises is the same in both variants and runs once.
 *
 * Runs go in parallel (`LNLAB_NOTEBOOK_JOBS`, default 3): each costs a kernel start and a type-check of the
 * workshop module, which is most of its time.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/chain/index.js';
import { EXERCISES } from '../../src/curriculum/registry.js';
import { buildNotebook, buildSolutionNotebook } from '../../src/curriculum/notebook-builder.js';
import { executeNotebook, limitConcurrency, type NotebookRun } from './jupyter-run.js';
import { runProblems, type Variant } from './run-verdicts.js';

const SOURCES = join(PROJECT_ROOT, 'notebooks', 'src');
const JOBS = Number(process.env.LNLAB_NOTEBOOK_JOBS) || 3;
/** A test waits for its run, which may queue behind others: the whole folder's budget, not one run's. */
const WAIT_MS = 420_000;

const names = readdirSync(SOURCES).filter((f) => f.endsWith('.md')).map((f) => f.replace(/\.md$/, '')).sort();
const hasExercises = (name: string) => EXERCISES.some((e) => e.notebook === name);

interface Job {
  readonly name: string;
  readonly variant: Variant;
}
// Exercise notebooks first (two runs each, and the longest), so the queue drains evenly.
const jobs: Job[] = [
  ...names.filter(hasExercises).flatMap((name) => [{ name, variant: 'solutions' as const }, { name, variant: 'skeletons' as const }]),
  ...names.filter((name) => !hasExercises(name)).map((name) => ({ name, variant: 'skeletons' as const })),
];

const runs = new Map<string, Promise<NotebookRun>>();
const key = (job: Job) => `${job.name}/${job.variant}`;
const settled = limitConcurrency(
  jobs.map((job) => () => {
    const text = readFileSync(join(SOURCES, `${job.name}.md`), 'utf8');
    const notebook = job.variant === 'solutions' ? buildSolutionNotebook(job.name, text) : buildNotebook(job.name, text);
    return executeNotebook(job.name, job.variant, notebook);
  }),
  JOBS,
);
jobs.forEach((job, i) => {
  const run = settled[i]!;
  run.catch(() => undefined); // reported by its own test
  runs.set(key(job), run);
});

afterAll(async () => {
  const lines = await Promise.all(jobs.map(async (job) => {
    const run = await runs.get(key(job))!.catch(() => undefined);
    return `  ${key(job).padEnd(34)} ${run ? `${run.seconds} s` : 'failed to run'}`;
  }));
  console.log(`notebook runs (${JOBS} at a time):\n${lines.join('\n')}`);
});

describe.each(names)('notebook %s', (name) => {
  if (hasExercises(name)) {
    it('with the solutions: every check cell prints ✅, every cell runs, the last one ends the notebook', async () => {
      const run = await runs.get(`${name}/solutions`)!;
      expect(runProblems(name, 'solutions', run), `${name} took ${run.seconds} s`).toEqual([]);
    }, WAIT_MS);
  }

  it(hasExercises(name)
    ? 'as shipped: every check cell prints ❌ and nothing passes, yet the notebook runs to its end'
    : 'as shipped (no exercises): every cell runs and the last one ends the notebook', async () => {
    const run = await runs.get(`${name}/skeletons`)!;
    expect(runProblems(name, 'skeletons', run), `${name} took ${run.seconds} s`).toEqual([]);
  }, WAIT_MS);
});
