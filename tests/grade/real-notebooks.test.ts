/**
 * The grader on the workshop's real notebooks (`notebooks/*.ipynb`, as the builder generates them),
 * copied to a temporary folder: as shipped, every exercise fails and no cell counts as tampered; with the
 * reference solutions typed into the exercise cells, every exercise passes; `reset` gives back exactly
 * the cell the notebook shipped with.
 */
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { EXERCISES, PROJECT_ROOT, cellSource, cellsWith, exerciseById, readNotebook, solutionCell, type Notebook } from '../../src/internal.js';
import { jsonResults, lnlab, type CliRun } from './run-cli.js';
import { useTempDirs } from './temp-dirs.js';

const tempDir = useTempDirs();
const shipped = join(PROJECT_ROOT, 'notebooks');
const present = EXERCISES.every((e) => existsSync(join(shipped, `${e.notebook}.ipynb`)));

function copyNotebooks(to: string): string {
  mkdirSync(to, { recursive: true });
  for (const name of readdirSync(shipped).filter((n) => n.endsWith('.ipynb'))) copyFileSync(join(shipped, name), join(to, name));
  return to;
}

/** What a learner who solved everything saves: each exercise cell holds the reference solution. */
function solveAll(dir: string): void {
  for (const name of new Set(EXERCISES.map((e) => e.notebook))) {
    const file = join(dir, `${name}.ipynb`);
    const notebook = JSON.parse(readFileSync(file, 'utf8')) as Notebook;
    for (const cell of cellsWith(notebook, 'exercise')) {
      (cell as { source: string | string[] }).source = solutionCell(exerciseById(cell.metadata.lnlab!.exercise!));
    }
    writeFileSync(file, JSON.stringify(notebook, null, 1));
  }
}

let asShipped: CliRun;
let solved: CliRun;
let solvedDir: string;

describe.skipIf(!present)('lnlab grade on the real notebooks', () => {
  beforeAll(async () => {
    const home = await tempDir();
    solvedDir = copyNotebooks(join(await tempDir(), 'notebooks'));
    solveAll(solvedDir);
    [asShipped, solved] = await Promise.all([
      lnlab(['grade', '--json', '--dir', copyNotebooks(join(await tempDir(), 'notebooks'))], home),
      lnlab(['grade', '--json', '--dir', solvedDir], await tempDir()),
    ]);
  }, 240_000);

  it('as shipped: every exercise fails, and no cell counts as missing or tampered', () => {
    const results = jsonResults(asShipped.stdout);
    expect(results.map((r) => r.id)).toEqual(EXERCISES.map((e) => e.id));
    for (const result of results) {
      expect(result.passed, result.id).toBe(false);
      expect(result.problem, result.id).toBeUndefined();
    }
    expect(asShipped.code).toBe(1);
  });

  it('with the reference solutions in the exercise cells: every exercise passes', () => {
    const results = jsonResults(solved.stdout);
    for (const result of results) expect(result.passed, JSON.stringify(result)).toBe(true);
    expect(results).toHaveLength(EXERCISES.length);
    expect(solved.code).toBe(0);
  });

  it('reset gives back exactly the exercise cell the notebook shipped with', async () => {
    const exercise = exerciseById('watchChannel');
    const original = cellsWith(readNotebook(join(shipped, `${exercise.notebook}.ipynb`)), 'exercise', exercise.id)[0]!;
    const reset = await lnlab(['reset', exercise.id, '--dir', solvedDir], await tempDir());
    expect(reset.code, reset.stderr).toBe(0);
    const restored = cellsWith(readNotebook(join(solvedDir, `${exercise.notebook}.ipynb`)), 'exercise', exercise.id)[0]!;
    expect(cellSource(restored)).toBe(cellSource(original));
    expect(restored.id).toBe(original.id);
  });
});
