/**
 * Learner code and learner notebooks cannot break the grader: an endless loop, a syntax error, a throw,
 * a misspelt property, `process.exit`, a deleted, duplicated or converted cell, an edited check or setup
 * cell, a notebook that is not JSON, a missing notebook — each gets its own clear message, and every
 * other exercise is still graded.
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { EXERCISES, NOTEBOOK_PRELUDE, exerciseById, loadTests, solutionCell } from '../../src/internal.js';
import { skeletonSpec, solutionSpec, writeLearner } from './notebook-fixture.js';
import { useTempDirs } from './temp-dirs.js';
import { blockOf, jsonResults, lnlab, type CliRun } from './run-cli.js';

const tempDir = useTempDirs();
/** Short, so the endless loop costs little; ample for the fast exercises graded next to it. */
const LIMIT_S = 8;

const THROWS_ON_LINE_4 = `async function transactionsConfirmed(this: ChainMonitor, header: Block, txdata: Transaction[], height: number): Promise<void> {
  console.log('debug output from the learner', height); // printed while the checks run: not a verdict
  const monitors = [...this.monitors.values()];
  throw new Error('unsure what to do with ' + monitors.length + ' monitors');
}`;
const ENDLESS_LOOP = `async function watchChannel(this: ChainMonitor, fundingOutpoint: OutPoint, monitor: ChannelMonitor): Promise<ChannelMonitorUpdateStatus> {
  while (true) {}
}`;
const SYNTAX_ERROR_ON_LINE_3 = `async function blockConnected(this: ChannelMonitor, header: Block, txdata: Transaction[], height: number, broadcaster: BroadcasterInterface, feeEstimator: FeeEstimator): Promise<void> {
  this.bestBlock = { hash: header.getId(), height };
  for (const tx of txdata {
  }
}`;
const TYPO_ON_LINE_3 = `async function watchChannel(this: ChainMonitor, fundingOutpoint: OutPoint, monitor: ChannelMonitor): Promise<ChannelMonitorUpdateStatus> {
  const key = outpointKey(fundingOutpoint);
  if (this.monitor.has(key)) throw new ChannelAlreadyWatchedError(key);
  return ChannelMonitorUpdateStatus.Completed;
}`;
const UNAWAITED_REJECTION_ON_LINE_3 = `async function transactionsConfirmed(this: ChainMonitor, header: Block, txdata: Transaction[], height: number): Promise<void> {
  for (const monitor of this.monitors.values()) await monitor.blockConnected(header, txdata, height, this.broadcaster, this.feeEstimator);
  Promise.reject(new Error('nobody awaits me'));
}`;
/** A cell that ends the process before any test ran: silence that a careless grader would count as a pass. */
const EXITS = `process.exit(0);\n${solutionCell(exerciseById('scaleTransactionsConfirmed'))}`;

let broken: CliRun;
let brokenJson: ReturnType<typeof jsonResults>;
let syntax: CliRun;

beforeAll(async () => {
  const updateChannel = solutionCell(exerciseById('updateChannel'));
  const brokenDir = writeLearner(await tempDir(), (exercise) => {
    switch (exercise.id) {
      case 'transactionsConfirmed': return { cells: [THROWS_ON_LINE_4], checkSource: "await check('transactionsConfirmed', async () => {});" };
      case 'watchChannel': return { cells: [ENDLESS_LOOP] };
      case 'updateMonitor': return { cells: [] };
      case 'updateChannel': return { cells: [updateChannel, skeletonSpec(exercise).cells[0]!] };
      case 'scaleTransactionsConfirmed': return { cells: [EXITS] };
      default: return solutionSpec(exercise);
    }
  }, { raw: { '01-channel-monitor': '{"cells": [ {"cell_type": "code", ' }, setup: { '02-chain-monitor': `${NOTEBOOK_PRELUDE}\nconst mine = 1;` } });
  const syntaxDir = writeLearner(await tempDir(), (exercise) =>
    exercise.id === 'blockConnected' ? { cells: [SYNTAX_ERROR_ON_LINE_3] }
      : exercise.id === 'watchChannel' ? { cells: [TYPO_ON_LINE_3], noCheck: true }
        : exercise.id === 'transactionsConfirmed' ? { cells: [UNAWAITED_REJECTION_ON_LINE_3] }
          : skeletonSpec(exercise), { omit: ['03-updating-channels'] });
  let brokenRun: CliRun;
  [brokenRun, syntax] = await Promise.all([
    lnlab(['grade', '--dir', brokenDir, '--json', '--timeout', String(LIMIT_S)], await tempDir()),
    lnlab(['grade', '--dir', syntaxDir], await tempDir()),
  ]);
  broken = brokenRun;
  brokenJson = jsonResults(broken.stdout);
}, 240_000);

const result = (id: string) => brokenJson.find((r) => r.id === id)!;

describe('a notebook that is not valid JSON', () => {
  it('fails its exercises with its own message, and the other notebooks are graded', () => {
    expect(result('blockConnected').passed).toBe(false);
    expect(result('blockConnected').problem).toMatch(/01-channel-monitor\.ipynb is not a valid notebook \(.*JSON.*\).*git checkout/);
    expect(brokenJson.map((r) => r.id)).toHaveLength(EXERCISES.length);
    expect(result('updateChannel').passed).toBe(true);
  });
});

describe('learner code', () => {
  it('an endless loop times out after the limit, and the exercises after it are still graded', () => {
    const loop = result('watchChannel');
    expect(loop.passed).toBe(false);
    expect(loop.problem).toContain(`timed out after ${LIMIT_S} s in check "answers Completed and the monitor is on disk"`);
    expect(loop.problem).toContain('endless loop');
    // Stopped by --timeout, not by the 20 s default (a child's start-up on a busy machine comes on top).
    expect(loop.duration_ms).toBeLessThan(20_000);
    expect(result('updateChannel').passed).toBe(true);
  });

  it('a throw is reported with its line in the learner\'s cell', () => {
    const failing = result('transactionsConfirmed').tests.find((t) => !t.passed)!;
    expect(failing.message).toContain('your code threw Error: unsure what to do with');
    expect(failing.message).toContain('your cell, line 4');
    expect(failing.message).not.toMatch(/\.lnlab\/cells/);
  });

  it('a cell that exits the grading process is a failure, never a pass by silence', () => {
    const exits = result('scaleTransactionsConfirmed');
    expect(exits.passed).toBe(false);
    expect(exits.problem).toMatch(/stopped before it finished \(exit code 0\).*process\.exit/);
  });

  it('a syntax error is reported with the line in the learner\'s cell', () => {
    const block = blockOf(syntax.stdout, 'blockConnected');
    expect(block, syntax.stdout).toMatch(/^❌ blockConnected/);
    expect(block).toContain('SyntaxError in your cell, line 3: Expected ")" but found "{"');
  });

  it('a misspelt property: the crash and TypeScript\'s diagnosis, both on the cell\'s line', () => {
    const block = blockOf(syntax.stdout, 'watchChannel');
    expect(block, syntax.stdout).toContain("TypeError: Cannot read properties of undefined (reading 'has')");
    expect(block).toContain('(at ChainMonitor.watchChannel (your cell, line 3))');
    expect(block).toContain("TypeScript: line 3: Property 'monitor' does not exist on type 'ChainMonitor'. Did you mean 'monitors'?");
  });
});

describe('errors that escape the checks', () => {
  it('a promise the cell does not await, rejecting later, fails the exercise with its line', () => {
    const block = blockOf(syntax.stdout, 'transactionsConfirmed');
    expect(block, syntax.stdout).toMatch(/^❌ transactionsConfirmed/);
    expect(block).toContain('your code threw Error: nobody awaits me (your cell, line 3) outside the checks — a promise that was not awaited?');
  });
});

describe('the notebook around the code', () => {
  it('a deleted exercise cell: "exercise cell missing" and how to restore it', () => {
    expect(result('updateMonitor').passed).toBe(false);
    expect(result('updateMonitor').problem).toContain('exercise cell missing — `lnlab reset updateMonitor` restores it');
  });

  it('a duplicated exercise cell: reported, and the first one graded', () => {
    const duplicated = result('updateChannel');
    expect(duplicated.passed).toBe(true); // the first copy is the solution; the second (a skeleton) would fail
    expect(duplicated.problem).toMatch(/2 exercise cells for updateChannel \(cell \d+, cell \d+\): graded the first one/);
  });

  it('an edited check cell: tampering reported, and the original check run (a no-op check does not pass)', async () => {
    const tampered = result('transactionsConfirmed');
    expect(tampered.passed).toBe(false);
    expect(tampered.tests.length).toBe((await loadTests(exerciseById('transactionsConfirmed'))).length);
    expect(tampered.problem).toMatch(/the check cell of transactionsConfirmed \(cell \d+\) was edited; graded with the original check/);
  });

  it('an edited setup cell is reported for the exercises of that notebook', () => {
    expect(result('watchChannel').problem).toMatch(/the setup cell of .*02-chain-monitor\.ipynb \(cell 2\) was edited/);
    expect(result('transactionsConfirmed').problem).toContain('setup cell');
  });

  it('a deleted check cell and a missing notebook are named; nothing else is affected', () => {
    expect(blockOf(syntax.stdout, 'watchChannel')).toContain('the check cell of watchChannel is missing');
    expect(blockOf(syntax.stdout, 'updateMonitor')).toMatch(/03-updating-channels\.ipynb not found/);
  });

  it('exits 1 when anything fails, and says what to do next', () => {
    expect(broken.code).toBe(1);
    expect(syntax.code).toBe(1);
    expect(syntax.stdout).toContain('next up: blockConnected in 01-channel-monitor.ipynb');
  });
});
