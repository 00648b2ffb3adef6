/**
 * `lnlab grade` end to end, real processes and files: the reference solutions, placed in notebook cells,
 * pass every exercise; the skeletons fail every one; each classic mistake in `tests/fixtures/wrong/`
 * fails with a scoreboard that names the mistake (its manifest `mustSay`); each differently written
 * correct answer in `tests/fixtures/correct/` passes.
 *
 * The fixtures are spread over learner folders, at most one per exercise in a folder (the reference
 * solution fills the rest), and each folder is graded with `lnlab grade --dir`, two folders at a time.
 * Not `lnlab grade --class` (which would grade a solution cell repeated in several folders only once): its
 * report names a learner's first failing check and its message, but not the check's `fix:` line, which
 * the scoreboard prints and some `mustSay` texts come from.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { EXERCISES, PROJECT_ROOT } from '../../src/internal.js';
import { skeletonSpec, solutionSpec, writeLearner } from './notebook-fixture.js';
import { useTempDirs } from './temp-dirs.js';
import { blockOf, jsonResults, lnlab, type CliRun } from './run-cli.js';

const SLOW = 240_000;
/** `lnlab grade` runs at once; each grades two cells at a time, so this keeps four children on two cores. */
const RUNS_AT_ONCE = 2;
const tempDir = useTempDirs();

const fixtures = join(PROJECT_ROOT, 'tests', 'fixtures');
type Manifest = Record<string, { exercise: string; mustSay?: string }>;
const readManifest = (dir: string, name = 'manifest.json') => JSON.parse(readFileSync(join(fixtures, dir, name), 'utf8')) as Manifest;
const manifest = readManifest('wrong') as Record<string, { exercise: string; mustSay: string }>;
const correctManifest = readManifest('correct');

interface Fixture {
  readonly dir: 'wrong' | 'correct';
  readonly file: string;
  readonly exercise: string;
}

const fixtureList: Fixture[] = [
  ...Object.entries(manifest).map(([file, { exercise }]) => ({ dir: 'wrong' as const, file, exercise })),
  ...Object.entries(correctManifest).map(([file, { exercise }]) => ({ dir: 'correct' as const, file, exercise })),
];

/**
 * The fixtures spread over learner folders so that no folder has one exercise twice: folder i holds the
 * i-th fixture of every exercise that has one, so there are as many folders as the busiest exercise has
 * fixtures.
 */
function fixtureGroups(): Array<Record<string, Fixture>> {
  const groups: Array<Record<string, Fixture>> = [];
  for (const fixture of fixtureList) {
    let group = groups.find((g) => !(fixture.exercise in g));
    if (!group) groups.push((group = {}));
    group[fixture.exercise] = fixture;
  }
  return groups;
}

/** Runs `work` on every item, at most `lanes` at a time, in order; the results in the items' order. */
async function inLanes<T, R>(items: readonly T[], lanes: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const lane = async () => {
    for (let index = next++; index < items.length; index = next++) results[index] = await work(items[index]!);
  };
  await Promise.all(Array.from({ length: Math.min(lanes, items.length) }, lane));
  return results;
}

let solutions: CliRun;
let skeletons: CliRun;
const graded: Array<{ files: Record<string, Fixture>; run: CliRun }> = [];
/** The grading run of the folder that holds `fixture`. */
const runOf = (fixture: Pick<Fixture, 'dir' | 'file' | 'exercise'>) =>
  graded.find((g) => g.files[fixture.exercise]?.file === fixture.file && g.files[fixture.exercise]?.dir === fixture.dir)!.run;

beforeAll(async () => {
  const solutionDir = writeLearner(join(await tempDir(), 'notebooks'), solutionSpec);
  const skeletonDir = writeLearner(join(await tempDir(), 'notebooks'), skeletonSpec);
  const groups = fixtureGroups();
  const groupDirs: string[] = [];
  for (const files of groups) {
    groupDirs.push(writeLearner(await tempDir(), (exercise) => {
      const fixture = files[exercise.id];
      return fixture ? { cells: [readFileSync(join(fixtures, fixture.dir, fixture.file), 'utf8')] } : solutionSpec(exercise);
    }));
  }
  const runs: Array<() => Promise<CliRun>> = [
    async () => lnlab(['grade', '--dir', solutionDir], await tempDir()),
    async () => lnlab(['grade', '--dir', skeletonDir, '--json'], await tempDir()),
    ...groupDirs.map((dir) => async () => lnlab(['grade', '--dir', dir], await tempDir())),
  ];
  const results = await inLanes(runs, RUNS_AT_ONCE, (run) => run());
  solutions = results[0]!;
  skeletons = results[1]!;
  groups.forEach((files, i) => graded.push({ files, run: results[i + 2]! }));
}, SLOW * 2);

describe('the mutation suite', () => {
  it('has, for every exercise, at least 5 wrong implementations and 2 differently written correct ones', () => {
    // createChannel's own cells are graded by tests/grading/mutations-channel-manager.test.ts.
    const channelManager = (dir: string) => Object.values(readManifest(dir, 'channel-manager.json')).map((e) => e.exercise);
    const wrong = [...Object.values(manifest).map((e) => e.exercise), ...channelManager('wrong')];
    const correct = [...Object.values(correctManifest).map((e) => e.exercise), ...channelManager('correct')];
    for (const exercise of EXERCISES) {
      expect(wrong.filter((id) => id === exercise.id).length, `wrong ${exercise.id}`).toBeGreaterThanOrEqual(5);
      expect(correct.filter((id) => id === exercise.id).length, `correct ${exercise.id}`).toBeGreaterThanOrEqual(2);
    }
    for (const { file, exercise } of fixtureList) expect(file.startsWith(`${exercise.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}--`), file).toBe(true);
  });
});

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
    const run = runOf({ dir: 'wrong', file, exercise });
    const block = blockOf(run.stdout, exercise);
    expect(block, run.stdout).toMatch(new RegExp(`^❌ ${exercise} `));
    expect(block).toContain(mustSay);
    expect(run.code).toBe(1);
  });

  it('grades the reference solutions next to the fixtures as passing', () => {
    for (const { files, run } of graded) {
      for (const exercise of EXERCISES.filter((e) => !files[e.id])) expect(blockOf(run.stdout, exercise.id), run.stdout).toMatch(/^✅ /);
    }
  });
});

describe('lnlab grade on differently written correct answers', () => {
  it.each(Object.entries(correctManifest))('%s passes', (file, { exercise }) => {
    const run = runOf({ dir: 'correct', file, exercise });
    const block = blockOf(run.stdout, exercise);
    expect(block, run.stdout).toMatch(new RegExp(`^✅ ${exercise} `));
    expect(block, block).not.toContain('⚠️');
  });
});
