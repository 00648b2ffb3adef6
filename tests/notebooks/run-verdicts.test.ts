/**
 * The judge of an executed notebook never takes silence for success: a check cell with no output (what
 * tslab gives a request that arrives within 200 ms of a failed cell, with status "abort") is a failure, in
 * either variant. And an error thrown with a second copy of a workshop class still counts as that class.
 */
import { describe, expect, it } from 'vitest';
import { isErrorOf } from '../../src/curriculum/check/expect.js';
import { checkVerdict, type Notebook, type NotebookCell } from '../../src/curriculum/notebook-format.js';
import { endMarker, runProblems, type ExecutedNotebook } from './run-verdicts.js';

const stream = (text: string) => [{ output_type: 'stream', name: 'stdout', text }];
const cell = (role: 'setup' | 'exercise' | 'check' | 'code', outputs: unknown[], exercise?: string): NotebookCell => ({
  cell_type: 'code', source: '', metadata: { lnlab: { role, ...(exercise ? { exercise } : {}) } }, outputs, execution_count: 1,
});

/** A run of a tiny notebook: setup, exercise, check (with `checkOutputs`), and the closing cell. */
function run(checkOutputs: unknown[], checkStatus = 'ok'): ExecutedNotebook {
  const notebook: Notebook = {
    cells: [cell('setup', []), cell('exercise', [], 'watchChannel'), cell('check', checkOutputs, 'watchChannel'), cell('code', stream(`${endMarker('02-x')}.\n`))],
    metadata: {}, nbformat: 4, nbformat_minor: 5,
  };
  return { notebook, statuses: ['ok', 'ok', checkStatus, 'ok'], error: null };
}

describe('judging an executed notebook', () => {
  it('accepts a check cell that prints ✅ (solutions) or ❌ (skeletons) for its exercise', () => {
    expect(runProblems('02-x', 'solutions', run(stream('✅ watchChannel: all 5 checks passed\n')))).toEqual([]);
    expect(runProblems('02-x', 'skeletons', run(stream('❌ watchChannel: 5 of 5 checks failed\n  ❌ answers Completed\n')))).toEqual([]);
  });

  it('fails a check cell with no output, in both variants: silence is not a verdict', () => {
    for (const variant of ['solutions', 'skeletons'] as const) {
      expect(runProblems('02-x', variant, run([]))).toEqual([expect.stringMatching(/cell 3 \(check watchChannel\): .*says no-verdict: \(no output\)/)]);
    }
  });

  it('fails a check cell that tslab aborted (status "abort", no output)', () => {
    const problems = runProblems('02-x', 'solutions', run([], 'abort'));
    expect(problems).toContain('cell 3 (check watchChannel): status abort, output (no output)');
    expect(problems).toHaveLength(2);
  });

  it('fails a pass that is another exercise\'s, and a skeleton check that passed some tests', () => {
    expect(runProblems('02-x', 'solutions', run(stream('✅ updateChannel: all 4 checks passed\n')))).toHaveLength(1);
    expect(runProblems('02-x', 'skeletons', run(stream('❌ watchChannel: 4 of 5 checks failed\n  ✅ answers Completed\n')))).toHaveLength(1);
  });

  it('fails a notebook whose last cell did not print its end marker', () => {
    const stopped = run(stream('✅ watchChannel: all 5 checks passed\n'));
    (stopped.notebook.cells[3] as { outputs: unknown[] }).outputs = [];
    expect(runProblems('02-x', 'solutions', stopped)).toEqual([expect.stringContaining('the last cell did not print "🏁 End of 02-x"')]);
  });

  it('reads verdict lines only at the start of a line, for the right exercise', () => {
    expect(checkVerdict('', 'watchChannel')).toBe('no-verdict');
    expect(checkVerdict('  ❌ watchChannel: nested line', 'watchChannel')).toBe('no-verdict');
    expect(checkVerdict('✅ watchChannel: all 5 checks passed', 'watchChannel')).toBe('passed');
    expect(checkVerdict('✅ watchChannel: ok\n❌ watchChannel: then failed', 'watchChannel')).toBe('failed');
  });
});

describe('isErrorOf', () => {
  it('matches an instance, or one of a twin class (same name, another copy of the module), and nothing else', () => {
    class UnknownChannelError extends Error {
      override name = 'UnknownChannelError';
    }
    const Twin = class UnknownChannelError extends Error {
      override name = 'UnknownChannelError';
    };
    expect(isErrorOf(new UnknownChannelError(), UnknownChannelError)).toBe(true);
    expect(isErrorOf(new Twin(), UnknownChannelError)).toBe(true);
    expect(isErrorOf(new TypeError('x'), UnknownChannelError)).toBe(false);
    expect(isErrorOf('UnknownChannelError', UnknownChannelError)).toBe(false);
  });
});
