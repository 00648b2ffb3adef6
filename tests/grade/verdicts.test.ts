/**
 * `lnlab grade` end to end, real processes and files: the reference solutions, placed in notebook cells,
 * pass every exercise; the skeletons fail every one; each classic mistake in `tests/fixtures/wrong/`
 * fails with a scoreboard that names the mistake (its manifest `mustSay`).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { EXERCISES, PROJECT_ROOT } from '../../src/internal.js';
import { skeletonSpec, solutionSpec, writeLearner } from './notebook-fixture.js';
import { useTempDirs } from './temp-dirs.js';
import { blockOf, jsonResults, lnlab, type CliRun } from './run-cli.js';

const SLOW = 240_000;
const tempDir = useTempDirs();

const wrongDir = join(PROJECT_ROOT, 'tests', 'fixtures', 'wrong');
const manifest = JSON.parse(readFileSync(join(wrongDir, 'manifest.json'), 'utf8')) as Record<string, { exercise: string; mustSay: string }>;

/** The wrong implementations spread over learner folders so that no folder has one exercise twice. */
function wrongGroups(): Array<Record<string, string>> {
  const groups: Array<Record<string, string>> = [];
  for (const [file, { exercise }] of Object.entries(manifest)) {
    let group = groups.find((g) => !(exercise in g));
    if (!group) groups.push((group = {}));
    group[exercise] = file;
  }
  return groups;
}

let solutions: CliRun;
let skeletons: CliRun;
const wrong: Array<{ files: Record<string, string>; run: CliRun }> = [];

beforeAll(async () => {
  const home = await tempDir();
  const solutionDir = writeLearner(join(await tempDir(), 'notebooks'), solutionSpec);
  const skeletonDir = writeLearner(join(await tempDir(), 'notebooks'), skeletonSpec);
  [solutions, skeletons] = await Promise.all([
    lnlab(['grade', '--dir', solutionDir], home),
    lnlab(['grade', '--dir', skeletonDir, '--json'], home),
  ]);
  for (const files of wrongGroups()) {
    const dir = writeLearner(await tempDir(), (exercise) =>
      files[exercise.id] ? { cells: [readFileSync(join(wrongDir, files[exercise.id]!), 'utf8')] } : solutionSpec(exercise));
    wrong.push({ files, run: await lnlab(['grade', '--dir', dir], await tempDir()) });
  }
}, SLOW * 2);

describe('lnlab grade on the reference solutions', () => {
  it('passes every exercise, with a full progress bar and exit code 0', () => {
    expect(solutions.stderr).toBe('');
    for (const exercise of EXERCISES) expect(blockOf(solutions.stdout, exercise.id), solutions.stdout).toMatch(/^✅ /);
    expect(solutions.stdout).toContain(`[██████████] ${EXERCISES.length}/${EXERCISES.length}`);
    expect(solutions.stdout).toContain(`all ${EXERCISES.length} graded exercises pass`);
    expect(solutions.code).toBe(0);
  });
});

describe('lnlab grade --json on the skeletons', () => {
  it('prints one parsable JSON object per exercise, each failed with every test failed; exit code 1', () => {
    const results = jsonResults(skeletons.stdout);
    expect(results.map((r) => r.id)).toEqual(EXERCISES.map((e) => e.id));
    for (const result of results) {
      expect(result.notebook).toBe(EXERCISES.find((e) => e.id === result.id)!.notebook);
      expect(result.passed, result.id).toBe(false);
      expect(result.tests.length, result.id).toBeGreaterThanOrEqual(3);
      expect(result.tests.filter((t) => t.passed), result.id).toEqual([]);
      expect(typeof result.duration_ms).toBe('number');
      expect(result.problem).toBeUndefined();
    }
    expect(skeletons.code).toBe(1);
  });
});

describe('lnlab grade on the classic mistakes', () => {
  it.each(Object.entries(manifest))('%s fails and the scoreboard says what is wrong', (file, { exercise, mustSay }) => {
    const { run } = wrong.find((w) => w.files[exercise] === file)!;
    const block = blockOf(run.stdout, exercise);
    expect(block, run.stdout).toMatch(new RegExp(`^❌ ${exercise} `));
    expect(block).toContain(mustSay);
    expect(run.code).toBe(1);
  });

  it('grades the correct exercises next to the wrong ones as passing', () => {
    for (const { files, run } of wrong) {
      for (const exercise of EXERCISES.filter((e) => !files[e.id])) expect(blockOf(run.stdout, exercise.id)).toMatch(/^✅ /);
    }
  });
});
