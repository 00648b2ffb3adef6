/**
 * `lnlab grade --class DIR`: one folder per learner, graded as one queue of cells; a good, a bad and a corrupt
 * submission (broken JSON, a missing notebook, an endless loop) and an empty folder all end up in a
 * complete CSV and HTML report.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { EXERCISES } from '../../src/internal.js';
import { skeletonSpec, solutionSpec, writeLearner } from './notebook-fixture.js';
import { useTempDirs } from './temp-dirs.js';
import { lnlab, type CliRun } from './run-cli.js';

const tempDir = useTempDirs();
const ENDLESS = `function updateMonitor(this: ChannelMonitor, update: ChannelMonitorUpdate): void {
  for (;;) {}
}`;
const EMPTY = 'zed <script>';
const N = EXERCISES.length;
/** carol: 01 is corrupt, 02 is missing, updateMonitor loops; the rest are the reference. */
const carolPasses = (id: string) => {
  const exercise = EXERCISES.find((e) => e.id === id)!;
  return !['01-channel-monitor', '02-chain-monitor'].includes(exercise.notebook) && id !== 'updateMonitor';
};
const CAROL = EXERCISES.filter((e) => carolPasses(e.id)).length;

let root: string;
let run: CliRun;
let csv: string;
let html: string;

beforeAll(async () => {
  root = await tempDir();
  writeLearner(join(root, 'alice', 'notebooks'), solutionSpec); // a copy of the repository: notebooks/ inside
  writeLearner(join(root, 'bob'), skeletonSpec); // just the notebooks
  writeLearner(join(root, 'carol'), (e) => (e.id === 'updateMonitor' ? { cells: [ENDLESS] } : solutionSpec(e)), {
    raw: { '01-channel-monitor': 'not json at all' },
    omit: ['02-chain-monitor'],
  });
  mkdirSync(join(root, EMPTY));
  writeFileSync(join(root, 'notes.txt'), 'a file, not a learner');
  run = await lnlab(['grade', '--class', root, '--timeout', '8'], await tempDir());
  csv = readFileSync(join(root, 'grade-report.csv'), 'utf8');
  html = readFileSync(join(root, 'grade-report.html'), 'utf8');
}, 300_000);

describe('lnlab grade --class', () => {
  it('grades every learner and says where the report is', () => {
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('grading 4 learners');
    expect(run.stdout).toMatch(new RegExp(`✅ alice\\s+${N}/${N}`));
    expect(run.stdout).toMatch(new RegExp(`❌ bob\\s+0/${N}`));
    expect(run.stdout).toMatch(new RegExp(`❌ carol\\s+${CAROL}/${N}`));
    expect(run.stdout).toMatch(/\[█{10}\] \d+\/\d+ cells graded/);
    expect(run.stdout).toContain('grade-report.csv');
  });

  it('writes a CSV with one row per learner and one column per exercise', () => {
    const rows = csv.trim().split('\n');
    expect(rows[0]).toBe(`learner,passed,total,${EXERCISES.map((e) => e.id).join(',')},problems`);
    expect(rows).toHaveLength(5);
    expect(rows[1]).toBe(`alice,${N},${N},${EXERCISES.map(() => 'pass').join(',')},`);
    expect(rows[2]!.startsWith(`bob,0,${N},${EXERCISES.map(() => 'fail').join(',')},`)).toBe(true);
    expect(rows[3]!.startsWith(`carol,${CAROL},${N},${EXERCISES.map((e) => (carolPasses(e.id) ? 'pass' : 'fail')).join(',')},`)).toBe(true);
    expect(rows[3]).toContain('not a valid notebook');
    expect(rows[3]).toContain('02-chain-monitor.ipynb not found');
    expect(rows[3]).toContain('updateMonitor: timed out after 8 s');
    expect(rows[4]!.startsWith(`zed <script>,0,${N},`)).toBe(true);
  });

  it('writes a self-contained HTML report: the table, the most common failures, escaped names', () => {
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).not.toMatch(/<script|<link|src=|href=/i);
    for (const learner of ['alice', 'bob', 'carol', 'zed &#60;script&#62;']) expect(html).toContain(`<th>${learner}</th>`);
    for (const exercise of EXERCISES) expect(html).toContain(exercise.id);
    expect(html).toContain('Most common failing test per exercise');
    expect(html.match(/✅/g)?.length).toBe(N + CAROL);
    // Every learner but alice fails blockConnected, each for a different reason; watchChannel fails the same way for bob
    expect(html).toMatch(/not written yet|answers Completed and the monitor is on disk/);
  });
});
