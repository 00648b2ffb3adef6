/**
 * Later notebooks run the learner's functions where they pass their checks and the reference elsewhere:
 * `assembleComponents` must pick exactly those, and the scale demo must measure what it says.
 */
import { describe, expect, it } from 'vitest';
import { compileCell, exerciseById, loadReference, skeletonCell, solutionCell } from '../../src/internal.js';
import { assembleComponents } from '../../src/workshop/your-code.js';
import { chainMonitorWithChannels, randomBlockTransactions, timeBlocks } from '../../src/workshop/scale-demo.js';
import { REFERENCE } from '../helpers/reference.js';

describe('assembleComponents', () => {
  it('installs a passing function, keeps the reference for a failing or missing one, and says which', async () => {
    const passing = await compileCell(exerciseById('blockConnected'), solutionCell(exerciseById('blockConnected')));
    const failing = await compileCell(exerciseById('watchChannel'), skeletonCell(exerciseById('watchChannel')));
    const assembled = await assembleComponents({ blockConnected: passing, watchChannel: failing, updateChannel: undefined }, false);
    expect(assembled.used).toEqual({ blockConnected: 'yours', watchChannel: 'reference', updateChannel: 'reference' });
    expect(assembled.ChannelMonitor.prototype.blockConnected).toBe(passing);
    expect(assembled.ChainMonitor.prototype.watchChannel).toBe(await loadReference(exerciseById('watchChannel')));
  });

  it('refuses an unknown exercise id rather than silently running the reference', async () => {
    await expect(assembleComponents({ blockConected: () => undefined }, false)).rejects.toThrow(/no exercise "blockConected"/);
  });

  it('gives the version asked for when two exercises fill one method', async () => {
    const seed = await assembleComponents({ transactionsConfirmed: undefined }, false);
    const scaled = await assembleComponents({ scaleTransactionsConfirmed: undefined }, false);
    expect(seed.ChainMonitor.prototype.transactionsConfirmed).toBe(await loadReference(exerciseById('transactionsConfirmed')));
    expect(scaled.ChainMonitor.prototype.transactionsConfirmed).toBe(await loadReference(exerciseById('scaleTransactionsConfirmed')));
  });
});

describe('the scale demo', () => {
  it('builds a ChainMonitor of the classes given, with that many channels, and times a block', async () => {
    const chainMonitor = chainMonitorWithChannels(10, REFERENCE);
    expect(chainMonitor.monitors.size).toBe(10);
    const block = randomBlockTransactions(20);
    expect(block).toHaveLength(20);
    const seed = (await loadReference(exerciseById('transactionsConfirmed'))) as never;
    expect(await timeBlocks(chainMonitor, seed, block, 1)).toBeGreaterThanOrEqual(0);
    expect(await timeBlocks(chainMonitor, REFERENCE.ChainMonitor.prototype.transactionsConfirmed, block)).toBeGreaterThanOrEqual(0);
  });
});
