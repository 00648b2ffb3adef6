/**
 * The `createChannel` mutation suite, through the real grader: every wrong implementation in
 * `tests/fixtures/wrong/channel-manager.json` is graded in a sandboxed child (`gradeCell`, as `lnlab grade`
 * and a check cell do) and must be ❌ with a message naming the requirement it breaks; every correct
 * alternative in `tests/fixtures/correct/channel-manager.json` must be ✅.
 *
 * Like `lnlab grade --class`, the cells are graded two at a time on ONE shared regtest node, so this also
 * shows the checks are safe beside each other (faucets racing for coins, blocks mined by the other child).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT, exerciseById } from '../../src/internal.js';
import { gradeCell } from '../../src/grade/sandbox/grade-cell.js';
import { stopSharedCheckChain } from '../../src/grade/sandbox/check-chain.js';
import type { SandboxVerdict } from '../../src/grade/sandbox/spawn.js';
import { cellTypeErrors } from '../../src/grade/typecheck.js';

/** Two children at once, as the class grader runs them on a 2-core machine. */
const LANES = 2;
/** Generous: 19 cells of live-chain checks on two busy cores. */
const SUITE_TIMEOUT_MS = 300_000;

const fixtures = join(PROJECT_ROOT, 'tests', 'fixtures');
type Manifest = Record<string, { exercise: string; mustSay?: string }>;
const read = (dir: string) => JSON.parse(readFileSync(join(fixtures, dir, 'channel-manager.json'), 'utf8')) as Manifest;
const wrong = Object.entries(read('wrong')).map(([file, entry]) => ({ dir: 'wrong', file, ...entry }));
const correct = Object.entries(read('correct')).map(([file, entry]) => ({ dir: 'correct', file, ...entry }));
const cells = [...wrong, ...correct];
const source = (cell: { dir: string; file: string }) => readFileSync(join(fixtures, cell.dir, cell.file), 'utf8');

/** Everything a verdict says, as one text to search. */
function verdictText(verdict: SandboxVerdict): string {
  const tests = verdict.tests.map((t) => [t.passed ? '✅' : '❌', t.name, t.message, t.what, t.expected, t.actual, t.hint].filter(Boolean).join(' | '));
  return [...tests, ...verdict.problems].join('\n');
}

/** Runs `work` on every item, at most `lanes` at a time, in order. */
async function inLanes<T, R>(items: readonly T[], lanes: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const lane = async () => {
    for (let index = next++; index < items.length; index = next++) results[index] = await work(items[index]!);
  };
  await Promise.all(Array.from({ length: lanes }, lane));
  return results;
}

const verdicts = new Map<string, SandboxVerdict>();
let gradingMs = 0;

describe('createChannel mutation suite (sandboxed grader, one shared node, two lanes)', () => {
  beforeAll(async () => {
    const started = performance.now();
    const graded = await inLanes(cells, LANES, (cell) => gradeCell(exerciseById(cell.exercise), source(cell)));
    gradingMs = performance.now() - started;
    graded.forEach((verdict, i) => verdicts.set(cells[i]!.file, verdict));
  }, SUITE_TIMEOUT_MS);

  afterAll(async () => {
    await stopSharedCheckChain();
  });

  it('has at least 5 wrong implementations and 2 correct alternatives', () => {
    expect(wrong.length).toBeGreaterThanOrEqual(5);
    expect(correct.length).toBeGreaterThanOrEqual(2);
    for (const cell of wrong) expect(cell.mustSay, cell.file).toBeTruthy();
    // A mean of well under 5 s per cell, two at a time: the suite stays affordable in `npm test`.
    process.stdout.write(`createChannel mutation suite: ${cells.length} cells graded in ${(gradingMs / 1000).toFixed(1)} s (${LANES} lanes)\n`);
  });

  it.each(wrong.map((cell) => [cell.file, cell.mustSay!] as const))('%s is ❌ and says "%s"', (file, mustSay) => {
    const verdict = verdicts.get(file)!;
    const text = verdictText(verdict);
    expect(verdict.passed, text).toBe(false);
    expect(text).toContain(mustSay);
  });

  it.each(correct.map((cell) => [cell.file] as const))('%s is ✅', (file) => {
    const verdict = verdicts.get(file)!;
    expect(verdict.passed, verdictText(verdict)).toBe(true);
    expect(verdict.problems).toEqual([]);
  });

  it('every cell compiles as the notebook kernel compiles it (they are mistakes of logic, not of typing)', () => {
    for (const cell of cells) expect(cellTypeErrors(exerciseById(cell.exercise), source(cell)), cell.file).toEqual([]);
  });
});
