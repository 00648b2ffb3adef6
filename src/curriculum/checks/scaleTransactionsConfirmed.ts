/**
 * Checks of ⚡️ `scaleTransactionsConfirmed` (notebook 06): everything the first version must do, and
 * each monitor is handed only the transactions that spend what it watches.
 */
import { fakeHeader } from '../../workshop/fakes.js';
import { checkPick } from '../check/context.js';
import { expectEqual } from '../check/expect.js';
import type { ExerciseTest } from '../check/types.js';
import { blockTests, type TransactionsConfirmed } from './block-dispatch.js';
import { addMonitors, chainMonitorWith, showTxids, spendOf, unrelatedTransaction } from './chain-monitor-scenario.js';

export const tests: ExerciseTest<TransactionsConfirmed>[] = [
  ...blockTests('scaleTransactionsConfirmed'),
  {
    name: 'gives each monitor only the transactions that concern it',
    async run(impl) {
      const t = await chainMonitorWith('scaleTransactionsConfirmed', impl);
      try {
        const monitors = await addMonitors(t, 20);
        const cheated = monitors[checkPick([0, 7, 13, 19])]!;
        const cheat = spendOf(cheated.fundingOutpoint);
        const noise = Array.from({ length: 50 }, () => unrelatedTransaction());
        const block = [...noise.slice(0, 25), cheat, ...noise.slice(25)];
        await t.chainMonitor.transactionsConfirmed(fakeHeader(130), block, 130);
        expectEqual(showTxids(t.journal.callsOf(cheated)[0]?.txids ?? []), showTxids([cheat.getId()]),
          'txids handed to the monitor whose funding output was spent',
          'look up `this.watchIndex.relevantTransactions(txdata)` and hand each monitor `relevant.get(key) ?? []`');
        const handedToOthers = t.journal.blockCalls.filter((c) => c.monitor !== cheated).reduce((n, c) => n + c.txids.length, 0);
        expectEqual(handedToOthers, 0, 'transactions handed to the 19 monitors that watch none of them',
          'give a monitor only its own entry of `relevantTransactions` (most get none)');
      } finally {
        t.cleanup();
      }
    },
  },
];
