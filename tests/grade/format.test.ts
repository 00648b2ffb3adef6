/** The grader's small pure parts: cell locations, the progress bar, the scoreboard, the CSV. */
import { describe, expect, it } from 'vitest';
const PRELUDE_LINES = 9;
const span = (lines: number) => ({ offset: PRELUDE_LINES, lines });
import { classCsv, exerciseLines, formatScoreboard, jsonLine, progressBar, type ExerciseResult } from '../../src/grade/index.js';
import { compileErrorMessage, toCellLocations } from '../../src/grade/cell-errors.js';

const passed = (id: string, notebook: string): ExerciseResult =>
  ({ id, notebook, passed: true, tests: [{ name: 'a', passed: true }], durationMs: 1200, problems: [], stopped: false, typeErrors: [] });
const failed = (id: string, notebook: string): ExerciseResult => ({
  id, notebook, passed: false, durationMs: 900, problems: [], stopped: false, typeErrors: [],
  tests: [{ name: 'answers Completed', passed: false, message: 'm', what: 'status', expected: '"Completed"', actual: 'undefined', hint: 'return it' }],
});

describe('cell locations', () => {
  it('maps compiled-module lines back to lines of the learner\'s cell', () => {
    const line = PRELUDE_LINES + 4;
    expect(toCellLocations(`at f (file:///repo/.lnlab/cells/watchChannel-0a1b2c.ts:${line}:7)`, span(10))).toBe('at f (your cell, line 4)');
    expect(toCellLocations(`/repo/.lnlab/cells/x-1.ts:${PRELUDE_LINES + 11}:1`, span(10))).toBe('the end of your cell (line 10)');
  });

  it('turns an esbuild syntax error into one line with the cell line', () => {
    const err = new Error(`Transform failed with 1 error:\n/r/.lnlab/cells/a-1.ts:${PRELUDE_LINES + 2}:4: ERROR: Unexpected ";"`);
    expect(compileErrorMessage(err, span(5))).toBe('SyntaxError in your cell, line 2: Unexpected ";"');
  });
});

describe('the scoreboard', () => {
  it('draws the progress bar', () => {
    expect(progressBar(3, 6)).toBe('[█████░░░░░] 3/6');
    expect(progressBar(0, 0)).toBe('[░░░░░░░░░░] 0/0');
    expect(progressBar(6, 6)).toBe('[██████████] 6/6');
  });

  it('shows expected and actual of the first failure, the next hint, and what is next', () => {
    const text = formatScoreboard('title', [passed('blockConnected', '01-channel-monitor'), failed('watchChannel', '02-chain-monitor')]);
    expect(text).toContain('✅ blockConnected');
    expect(text).toMatch(/❌ watchChannel .*1 of 1 checks failed/);
    expect(text).toContain('expected: "Completed"');
    expect(text).toContain('actual:   undefined');
    expect(text).toContain('fix:      return it');
    expect(text).toContain('💡 hint 1/2:');
    expect(text).toContain('next up: watchChannel in 02-chain-monitor.ipynb');
    expect(exerciseLines(passed('a', 'n'))[0]).toContain('1.2 s');
  });

  it('gives the second hint after a repeated failure', () => {
    const changes = { newlyPassing: [], newlyFailing: [], before: { watchChannel: { passed: false, failedRuns: 1, gradedAt: '' } } };
    expect(exerciseLines(failed('watchChannel', '02-chain-monitor'), changes).join('\n')).toContain('💡 hint 2/2:');
  });

  it('--json lines carry the documented fields', () => {
    const line = JSON.parse(jsonLine({ ...failed('watchChannel', '02'), problems: ['p1', 'p2'] }));
    expect(Object.keys(line)).toEqual(['id', 'notebook', 'passed', 'tests', 'duration_ms', 'problem']);
    expect(line.problem).toBe('p1; p2');
    expect(line.tests[0]).toEqual({ name: 'answers Completed', passed: false, message: 'm', hint: 'return it' });
  });
});

describe('the class CSV', () => {
  it('quotes fields that need it and defuses spreadsheet formulas', () => {
    const text = classCsv([{ learner: '=cmd, "x"', dir: '/', results: [failed('watchChannel', '02')] }], []);
    expect(text.split('\n')[1]).toBe(`"'=cmd, ""x""",0,0,watchChannel: answers Completed`);
  });
});
