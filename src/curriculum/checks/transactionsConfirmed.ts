/**
 * Checks of ⚡️ `transactionsConfirmed` (notebook 02): every monitor gets every block, whole.
 * @see LDK `chain::Confirm::transactions_confirmed`
 */
import { fakeHeader } from '../../workshop/fakes.js';
import { checkPick } from '../check/context.js';
import { expectEqual } from '../check/expect.js';
import type { ExerciseTest } from '../check/types.js';
import { blockTests, type TransactionsConfirmed } from './block-dispatch.js';
import { addMonitors, chainMonitorWith, showTxids, spendOf, unrelatedTransaction } from './chain-monitor-scenario.js';

export type { TransactionsConfirmed };

export const tests: ExerciseTest<TransactionsConfirmed>[] = [
  ...blockTests('transactionsConfirmed', 'every'),
  {
    name: "gives every monitor all of the block's transactions, in order",
    async run(impl) {
      const t = await chainMonitorWith('transactionsConfirmed', impl);
      try {
        const monitors = await addMonitors(t, checkPick([2, 3]));
        const block = [unrelatedTransaction(), spendOf(monitors[0]!.fundingOutpoint), unrelatedTransaction()];
        await t.chainMonitor.transactionsConfirmed(fakeHeader(130), block, 130);
        const last = monitors[monitors.length - 1]!;
        expectEqual(showTxids(t.journal.callsOf(last)[0]?.txids ?? []), showTxids(block.map((tx) => tx.getId())),
          'txids handed to a monitor', 'pass `txdata` itself: in this version each monitor decides what concerns it');
      } finally {
        t.cleanup();
      }
    },
  },
];
