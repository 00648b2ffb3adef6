/**
 * Later notebooks run the learner's functions where they pass their checks and the reference elsewhere:
 * `assembleComponents` must pick exactly those, and the scale demo must measure what it says.
 */
import { describe, expect, it } from 'vitest';
import { ChainMonitor, ChannelMonitor, transactionsConfirmed as seedTransactionsConfirmed } from '../../solutions/index.js';
import { compileCell, exerciseById, skeletonCell, solutionCell } from '../../src/index.js';
import { assembleComponents } from '../../src/workshop/your-code.js';
import { chainMonitorWithChannels, randomBlockTransactions, timeBlocks } from '../../src/workshop/scale-demo.js';

describe('assembleComponents', () => {
  it('installs a passing function, keeps the reference for a failing or missing one, and says which', async () => {
    const passing = await compileCell(exerciseById('blockConnected'), solutionCell(exerciseById('blockConnected')));
    const failing = await compileCell(exerciseById('watchChannel'), skeletonCell(exerciseById('watchChannel')));
    const assembled = await assembleComponents({ blockConnected: passing, watchChannel: failing, updateChannel: undefined }, false);
    expect(assembled.used).toEqual({ blockConnected: 'yours', watchChannel: 'reference', updateChannel: 'reference' });
    expect(assembled.ChannelMonitor.prototype.blockConnected).toBe(passing);
    expect(assembled.ChainMonitor.prototype.watchChannel).toBe(ChainMonitor.prototype.watchChannel);
  });

  it('refuses an unknown exercise id rather than silently running the reference', async () => {
    await expect(assembleComponents({ blockConected: () => undefined }, false)).rejects.toThrow(/no exercise "blockConected"/);
  });
});

describe('the scale demo', () => {
  it('builds a ChainMonitor of the class given, with that many channels, and times a block', async () => {
    const chainMonitor = chainMonitorWithChannels(10);
    expect(chainMonitor.monitors.size).toBe(10);
    const block = randomBlockTransactions(20);
    expect(block).toHaveLength(20);
    expect(await timeBlocks(chainMonitor, seedTransactionsConfirmed, block, 1)).toBeGreaterThanOrEqual(0);
    expect(await timeBlocks(chainMonitor, ChainMonitor.prototype.transactionsConfirmed, block)).toBeGreaterThanOrEqual(0);
  });
});
