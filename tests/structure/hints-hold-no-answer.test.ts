/**
 * Hints guide, they never answer: no hint of any exercise contains a statement of its reference solution
 * (issue 13, "A guard test: no hint contains a complete statement of its solution"). Compared with spaces,
 * backticks and trailing semicolons ignored, so a hint cannot slip a line through by reformatting it.
 */
import { describe, expect, it } from 'vitest';
import { EXERCISES, GIVEN_MARKER, solutionCell } from '../../src/internal.js';

/** Below this many characters a statement is plumbing (`return;`, `continue;`), not an answer. */
const TRIVIAL_STATEMENT_CHARS = 12;

const normalise = (text: string): string => text.replace(/`/g, '').replace(/\s+/g, '').replace(/;+$/, '');

/** The solution's own statements: its body without comments, given lines, and bare braces. */
export function solutionStatements(cell: string): string[] {
  const lines = cell.split('\n');
  const bodyStart = lines.findIndex((l) => /^(async )?function /.test(l));
  const body = lines
    .slice(bodyStart + 1)
    .filter((l) => !l.includes(GIVEN_MARKER))
    .map((l) => l.replace(/\/\/.*$/, ''))
    .join('\n');
  const pieces = [...body.split('\n'), ...body.split(/;|\n\s*\n/)];
  return [...new Set(pieces.map(normalise).filter((s) => s.replace(/[{}()]/g, '').length >= TRIVIAL_STATEMENT_CHARS))];
}

describe('no hint holds its solution', () => {
  it.each(EXERCISES.map((e) => [e.id, e] as const))('%s: neither hint contains a statement of the solution', (_id, exercise) => {
    const statements = solutionStatements(solutionCell(exercise));
    expect(statements.length, `${exercise.id}: found no statements to compare`).toBeGreaterThan(0);
    const leaks = exercise.hints.flatMap((hint, i) => statements.filter((s) => normalise(hint).includes(s)).map((s) => `hint ${i + 1} contains \`${s}\``));
    expect(leaks).toEqual([]);
  });

  it('catches a hint that pastes a line of the solution, however it is spaced', () => {
    const cell = "function f(this: X): void {\n  // step\n  this.buckets[secretBucket(index)] = Object.freeze({ index, secret });\n}\n";
    const statements = solutionStatements(cell);
    expect(statements.some((s) => normalise('Write `this.buckets[ secretBucket(index) ] = Object.freeze({index, secret})`.').includes(s))).toBe(true);
  });
});
