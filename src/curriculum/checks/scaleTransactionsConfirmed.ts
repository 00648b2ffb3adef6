/**
 * Checks of ⚡️ `scaleTransactionsConfirmed` (notebook 06): what the first version must do, but only for
 * the monitors a block concerns, each handed only the transactions that spend what it watches. Work is
 * counted (calls, transactions handed over), never timed.
 */
import { fakeHeader } from '../../workshop/fakes.js';
import { checkPick } from '../check/context.js';
import { expectEqual } from '../check/expect.js';
import type { ExerciseTest } from '../check/types.js';
import { blockTests, type TransactionsConfirmed } from './block-dispatch.js';
import { addMonitors, chainMonitorWith, randomOutpoint, showTxids, spendOf, unrelatedTransaction } from './chain-monitor-scenario.js';
import { DEMO_ALICE_DESTINATION } from '../../workshop/demo-channel.js';

export const tests: ExerciseTest<TransactionsConfirmed>[] = [
  ...blockTests('scaleTransactionsConfirmed', 'concerned'),
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
          'look up `this.watchIndex.relevantTransactions(txdata)` once and hand each monitor it names only its own entry');
        const handedToOthers = t.journal.blockCalls.filter((c) => c.monitor !== cheated).reduce((n, c) => n + c.txids.length, 0);
        expectEqual(handedToOthers, 0, 'transactions handed to the 19 monitors that watch none of them',
          'give a monitor only its own entry of `relevantTransactions`');
        expectEqual(t.journal.blockCalls.length, 1, 'blockConnected calls for a block that concerns 1 monitor of 20',
          'call only the monitors `relevantTransactions` names: the others learn the new tip in the given `afterBlock`');
      } finally {
        t.cleanup();
      }
    },
  },
  {
    name: 'a monitor with several transactions in the block gets them all in one call, and only its own',
    async run(impl) {
      const t = await chainMonitorWith('scaleTransactionsConfirmed', impl);
      try {
        // Alice's monitor also watches an output of an earlier transaction (as after a justice broadcast).
        const busy = t.monitor();
        const earlier = { txid: randomOutpoint().txid, vout: 1 };
        busy.outputsToWatch.set(earlier.txid, [[earlier.vout, Uint8Array.from(DEMO_ALICE_DESTINATION)]]);
        await t.add(busy);
        const [other] = await addMonitors(t, 1);
        const mine = [spendOf(busy.fundingOutpoint), spendOf(earlier)];
        const theirs = spendOf(other!.fundingOutpoint);
        await t.chainMonitor.transactionsConfirmed(fakeHeader(140), [mine[0]!, unrelatedTransaction(), theirs, mine[1]!], 140);
        const busyCalls = t.journal.callsOf(busy);
        expectEqual(busyCalls.length, 1, 'blockConnected calls for a monitor with two transactions in the block',
          'call each monitor once per block, with the whole list `relevantTransactions` gives it (not once per transaction)');
        expectEqual(showTxids(busyCalls[0]!.txids), showTxids(mine.map((tx) => tx.getId())), 'txids handed to that monitor',
          "hand each monitor its own entry of `relevantTransactions`, not the others' transactions");
        expectEqual(showTxids(t.journal.callsOf(other!)[0]?.txids ?? []), showTxids([theirs.getId()]), 'txids handed to the other concerned monitor',
          "hand each monitor its own entry of `relevantTransactions`, not the others' transactions");
      } finally {
        t.cleanup();
      }
    },
  },
];
