/**
 * Checks shared by both versions of `transactionsConfirmed` (notebook 02 and the scaled one of 06): a
 * block must reach every monitor, with the ChainMonitor's broadcaster, and what it changed must be saved.
 */
import type { Block, Transaction } from 'bitcoinjs-lib';
import type { ChainMonitor } from '../../node/chain-monitor.js';
import { fakeHeader } from '../../workshop/fakes.js';
import { expectEqual } from '../check/expect.js';
import type { ExerciseTest } from '../check/types.js';
import { applyAll, chainMonitorWith, otherMonitor, register, storedMonitors, type ChainScene } from './chain-monitor-scenario.js';

export type TransactionsConfirmed = (this: ChainMonitor, header: Block, txdata: Transaction[], height: number) => Promise<void>;

/** Registers Alice's monitor, makes one payment, then connects a block with Bob's revoked commitment #0. */
export async function connectRevokedCommitment(t: ChainScene): Promise<void> {
  await register(t.chainMonitor, t.monitor);
  await applyAll(t, t.pair.pay('alice', 1_000_000n).alice);
  await t.chainMonitor.transactionsConfirmed(fakeHeader(101), [t.pair.signedCommitment('bob', 0n)], 101);
}

export function blockTests(id: string): ExerciseTest<TransactionsConfirmed>[] {
  return [
    {
      name: 'hands the block to every monitor',
      async run(impl) {
        const t = await chainMonitorWith(id, impl);
        try {
          await register(t.chainMonitor, t.monitor);
          const other = otherMonitor(t, { txid: 'ef'.repeat(32), vout: 2 });
          await register(t.chainMonitor, other);
          await t.chainMonitor.transactionsConfirmed(fakeHeader(120), [], 120);
          expectEqual(t.monitor.bestBlock.height, 120, "first monitor's bestBlock.height", 'call `monitor.blockConnected(...)` for every monitor in `this.monitors`');
          expectEqual(other.bestBlock.height, 120, "second monitor's bestBlock.height", 'loop over all of `this.monitors.values()`');
        } finally {
          t.cleanup();
        }
      },
    },
    {
      name: "a revoked commitment in the block is punished with the ChainMonitor's broadcaster",
      async run(impl) {
        const t = await chainMonitorWith(id, impl);
        try {
          await connectRevokedCommitment(t);
          expectEqual(t.broadcaster.broadcast.length, 1, 'justice transactions broadcast',
            "pass the block's transactions and `this.broadcaster`, `this.feeEstimator` to `monitor.blockConnected`");
        } finally {
          t.cleanup();
        }
      },
    },
    {
      name: 'persists the monitors the block changed',
      async run(impl) {
        const t = await chainMonitorWith(id, impl);
        try {
          await connectRevokedCommitment(t);
          const [onDisk] = await storedMonitors(t);
          expectEqual(onDisk?.closure?.kind, 'RevokedCommitment', 'the closure recorded on disk',
            'keep the given `await this.afterBlock(header, txdata, height)` at the end: it persists what changed');
        } finally {
          t.cleanup();
        }
      },
    },
  ];
}
