/**
 * Checks shared by both versions of `transactionsConfirmed` (notebook 02 and the scaled one of 06): a
 * block must reach every monitor, once, in turn, with the ChainMonitor's own broadcaster and fee
 * estimator, and what it changed must be saved. The monitors are recording stand-ins (see
 * `./chain-monitor-scenario.ts`), so the checks see what the ChainMonitor did and nothing else.
 */
import type { Block, Transaction } from 'bitcoinjs-lib';
import type { ChainMonitor } from '../../node/chain-monitor.js';
import { fakeHeader } from '../../workshop/fakes.js';
import { checkPick } from '../check/context.js';
import { expectEqual, expectThat, show } from '../check/expect.js';
import type { ExerciseTest } from '../check/types.js';
import { addMonitors, chainMonitorWith, spendOf, unrelatedTransaction } from './chain-monitor-scenario.js';

export type TransactionsConfirmed = (this: ChainMonitor, header: Block, txdata: Transaction[], height: number) => Promise<void>;

/** A height the checks connect: never the same, so a fixed answer cannot match. */
function someHeight(): number {
  return checkPick([101, 117, 150, 263, 400]);
}

/**
 * Which monitors a version must call: `every` (notebook 02: each monitor decides for itself) or
 * `concerned` (notebook 06: only those the watch index names; the others learn the tip in `afterBlock`).
 */
export type Reach = 'every' | 'concerned';

export function blockTests(id: string, reach: Reach): ExerciseTest<TransactionsConfirmed>[] {
  return [
    {
      name: reach === 'every' ? 'hands the block to every monitor, once' : 'hands the block to each monitor it concerns, once',
      async run(impl) {
        const t = await chainMonitorWith(id, impl);
        try {
          const monitors = await addMonitors(t, checkPick([3, 4, 5]));
          const height = someHeight();
          // In the block: a spend of every monitor's funding output but one, among unrelated transactions.
          const idle = monitors[checkPick([0, 1, 2])]!;
          const block = [unrelatedTransaction(), ...monitors.filter((m) => m !== idle).map((m) => spendOf(m.fundingOutpoint))];
          await t.chainMonitor.transactionsConfirmed(fakeHeader(height), block, height);
          const calls = monitors.map((m) => t.journal.callsOf(m).length);
          const expected = monitors.map((m) => (reach === 'every' || m !== idle ? 1 : 0));
          expectEqual(show(calls), show(expected), `blockConnected calls per monitor (${monitors.length} monitors${reach === 'every' ? '' : `, the block concerns ${monitors.length - 1}`})`,
            reach === 'every'
              ? 'call `monitor.blockConnected(...)` once for every monitor in `this.monitors.values()`'
              : 'call `blockConnected` once for each entry of `this.watchIndex.relevantTransactions(txdata)`, and for no other monitor');
          expectThat(t.journal.blockCalls.every((c) => c.height === height), 'the height handed to the monitors', String(height),
            show(t.journal.blockCalls.map((c) => c.height)), 'pass the `height` you were given');
        } finally {
          t.cleanup();
        }
      },
    },
    {
      name: "passes the ChainMonitor's own broadcaster and fee estimator",
      async run(impl) {
        const t = await chainMonitorWith(id, impl);
        try {
          const monitors = await addMonitors(t, checkPick([2, 3]));
          const [cheated] = monitors;
          const cheat = spendOf(cheated!.fundingOutpoint);
          await t.chainMonitor.transactionsConfirmed(fakeHeader(101), [unrelatedTransaction(), cheat, ...monitors.slice(1).map((m) => spendOf(m.fundingOutpoint))], 101);
          expectThat(t.journal.blockCalls.length > 0 && t.journal.blockCalls.every((c) => c.broadcaster === t.chainMonitor.broadcaster),
            'the broadcaster each monitor got', '`this.broadcaster`', t.journal.blockCalls.length ? 'another object' : 'no call at all',
            'pass `this.broadcaster` to `blockConnected`: a justice transaction must reach the network');
          expectThat(t.journal.blockCalls.every((c) => c.feeEstimator === t.chainMonitor.feeEstimator), 'the fee estimator each monitor got',
            '`this.feeEstimator`', 'another object', 'pass `this.feeEstimator` to `blockConnected`');
          expectEqual(t.broadcaster.broadcast.length, monitors.length, "transactions broadcast for the cheaters' commitments in the block",
            "give each monitor the block's transactions: the one watching the spent funding output answers with a justice transaction");
        } finally {
          t.cleanup();
        }
      },
    },
    {
      name: 'waits for each monitor before the next, and for all before returning',
      async run(impl) {
        const t = await chainMonitorWith(id, impl);
        try {
          const monitors = await addMonitors(t, checkPick([3, 4]));
          await t.chainMonitor.transactionsConfirmed(fakeHeader(120), monitors.map((m) => spendOf(m.fundingOutpoint)), 120);
          expectEqual(t.journal.blockCalls.some((c) => c.overlapped), false, 'a monitor started while another was still busy',
            '`await` each `blockConnected` inside a `for … of` loop (a `forEach` with an async callback does not wait)');
          expectEqual(t.journal.finished, monitors.length, 'monitors finished when transactionsConfirmed returned',
            'await every `blockConnected` before going on: the next block must not arrive before the reaction to this one');
        } finally {
          t.cleanup();
        }
      },
    },
    {
      name: 'persists the monitors the block changed, after they saw it',
      async run(impl) {
        const t = await chainMonitorWith(id, impl);
        try {
          const [cheated] = await addMonitors(t, 2);
          const height = someHeight();
          const cheat = spendOf(cheated!.fundingOutpoint);
          await t.chainMonitor.transactionsConfirmed(fakeHeader(height), [cheat], height);
          const saved = (await t.onDisk()).find((m) => m.fundingOutpoint.txid === cheated!.fundingOutpoint.txid);
          expectThat(saved?.handledTxids.has(cheat.getId()) === true, "the cheated monitor's reaction, as stored on disk", 'recorded',
            'not there (it was persisted before the monitor saw the block)',
            'call the monitors first and keep the given `await this.afterBlock(header, txdata, height)` as the last line: it persists what they changed');
        } finally {
          t.cleanup();
        }
      },
    },
  ];
}
