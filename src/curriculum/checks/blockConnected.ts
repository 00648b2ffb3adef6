/**
 * Checks of ⚡️ `blockConnected`: Alice's monitor for the demo channel, after a few payments, is handed
 * blocks and must react exactly to what spends what it watches.
 * @see BOLT 5 "Revoked Transaction Close Handling"
 */
import { Transaction, type Block } from 'bitcoinjs-lib';
import type { BroadcasterInterface, ConfirmationTarget, FeeEstimator } from '../../chain/interfaces.js';
import { BroadcastRejectedError } from '../../chain/errors.js';
import { checkPick } from '../check/context.js';
import type { ChannelMonitor } from '../../node/channel-monitor.js';
import { DEMO_ALICE_DESTINATION, DEMO_TO_SELF_DELAY } from '../../workshop/demo-channel.js';
import { FixedFeeEstimator, RecordingBroadcaster, fakeHeader } from '../../workshop/fakes.js';
import { CheckFailure, expectEqual, expectThat, show } from '../check/expect.js';
import type { ExerciseTest } from '../check/types.js';
import { recordedAliceMonitor, recordedCommitment, recordedRevocationKeys, recordedSpends } from './demo-monitor-fixture.js';
import { nodeWith, spendsFrom } from './support.js';

export type BlockConnected = (
  this: ChannelMonitor,
  header: Block,
  txdata: Transaction[],
  height: number,
  broadcaster: BroadcasterInterface,
  feeEstimator: FeeEstimator,
) => Promise<void>;

/**
 * Alice's monitor (with the learner's `impl`) after the recorded payments, and the pair in the same state.
 * Read from a recording, so no `updateMonitor` (another exercise) is needed.
 */
function aliceMonitor(impl: BlockConnected) {
  // `reactTo` uses two deep dives, `classifySpend` and `revocationPrivkey`: the recording stands in for them.
  const standIns = { ChannelMonitor: { ...recordedSpends().ChannelMonitor, ...recordedRevocationKeys().ChannelMonitor } };
  const { ChannelMonitor: Monitor } = nodeWith('blockConnected', impl, standIns);
  return { pair: { signedCommitment: recordedCommitment }, monitor: recordedAliceMonitor(Monitor) };
}

async function connect(monitor: ChannelMonitor, txs: Transaction[], height = 101) {
  const broadcaster = new RecordingBroadcaster();
  await monitor.blockConnected(fakeHeader(height), txs, height, broadcaster, new FixedFeeEstimator());
  return broadcaster;
}

/** A transaction shaped like a coinbase (one input spending nothing): first in every real block. */
function coinbaseLike(): Transaction {
  const tx = new Transaction();
  tx.addInput(new Uint8Array(32), 0xffffffff);
  tx.addOutput(Uint8Array.from(DEMO_ALICE_DESTINATION), 312_500_000n);
  return tx;
}

/** A fee estimator that answers every confirmation target differently (LDK's do). */
class PerTargetFeeEstimator implements FeeEstimator {
  readonly rates: Record<ConfirmationTarget, number> = { UrgentOnChainSweep: checkPick([5_000, 7_500]), NonAnchorChannelFee: 2_000, ChannelCloseMinimum: 253 };
  async getEstSatPer1000Weight(target: ConfirmationTarget): Promise<number> {
    return this.rates[target];
  }
}

/** A broadcaster that answers after a moment, as a real node does over RPC. */
class SlowBroadcaster extends RecordingBroadcaster {
  override async broadcastTransactions(...txs: Transaction[]): Promise<string[]> {
    await new Promise<void>((resolve) => setImmediate(resolve));
    await new Promise<void>((resolve) => setImmediate(resolve));
    return super.broadcastTransactions(...txs);
  }
}

/** A broadcaster whose node refuses everything (the cheater's own sweep won the race). */
class RefusingBroadcaster implements BroadcasterInterface {
  attempts = 0;
  async broadcastTransactions(...txs: Transaction[]): Promise<string[]> {
    this.attempts++;
    throw new BroadcastRejectedError(txs[0]!.getId(), -26, 'txn-mempool-conflict');
  }
}

/** What `justice` pays in fees per 1,000 weight units, spending outputs of `spent`. */
function feeratePerKw(justice: Transaction, spent: Transaction): number {
  const inputs = justice.ins.reduce((sum, input) => sum + Number(spent.outs[input.index]!.value), 0);
  const outputs = justice.outs.reduce((sum, output) => sum + Number(output.value), 0);
  return ((inputs - outputs) * 1000) / justice.weight();
}

export const tests: ExerciseTest<BlockConnected>[] = [
  {
    name: 'remembers the block as bestBlock',
    async run(impl) {
      const { monitor } = aliceMonitor(impl);
      await connect(monitor, [], 150);
      expectEqual(monitor.bestBlock?.height, 150, 'bestBlock.height after connecting block 150',
        'set `this.bestBlock` from the header and height (`this.bestBlockOf(header, height)`)');
    },
  },
  {
    name: 'broadcasts a justice transaction when a revoked commitment is mined',
    async run(impl) {
      const { pair, monitor } = aliceMonitor(impl);
      const revoked = pair.signedCommitment('bob', 0n);
      const broadcaster = await connect(monitor, [revoked]);
      const sent = broadcaster.broadcast;
      expectThat(sent.length > 0, 'transactions broadcast', 'a justice transaction', 'no broadcast at all',
        'when `this.reactTo(tx, …)` returns claims, hand them to the broadcaster');
      if (sent.some((tx) => tx.getId() === revoked.getId())) {
        throw new CheckFailure('what was broadcast', 'a new transaction that spends the revoked commitment',
          `the cheater's own commitment ${revoked.getId().slice(0, 16)}… again`,
          'rebroadcasting the spending transaction punishes no one: broadcast `reaction.claims`, the justice transaction');
      }
      const justice = sent.find((tx) => spendsFrom(tx, revoked.getId()));
      expectThat(justice !== undefined, 'the broadcast transaction', 'one spending the revoked commitment',
        show(sent.map((tx) => tx.getId())), 'broadcast the claims `this.reactTo` built for this transaction');
      expectEqual(Buffer.from(justice!.outs[0]!.script).toString('hex'), Buffer.from(DEMO_ALICE_DESTINATION).toString('hex'),
        'where the justice transaction pays', 'build the reaction with `this.reactTo`, which pays `this.destinationScript`');
    },
  },
  {
    name: 'adds the claimed outputs and the justice output to outputsToWatch',
    async run(impl) {
      const { pair, monitor } = aliceMonitor(impl);
      const revoked = pair.signedCommitment('bob', 1n);
      const broadcaster = await connect(monitor, [revoked]);
      const justice = broadcaster.broadcast.find((tx) => spendsFrom(tx, revoked.getId()));
      expectThat(justice !== undefined, 'a justice transaction', 'broadcast', 'none', 'broadcast the reaction first');
      expectThat(monitor.outputsToWatch.has(revoked.getId()), 'outputsToWatch', 'an entry for the revoked commitment',
        show([...monitor.outputsToWatch.keys()]), 'add `reaction.outputsToWatch` with `this.watchOutputs(...)`');
      expectThat(monitor.outputsToWatch.has(justice!.getId()), 'outputsToWatch', 'an entry for the justice transaction',
        show([...monitor.outputsToWatch.keys()]), 'add `reaction.outputsToWatch` with `this.watchOutputs(...)`');
    },
  },
  {
    name: 'ignores transactions that spend nothing it watches',
    async run(impl) {
      const { pair, monitor } = aliceMonitor(impl);
      const unrelated = pair.signedCommitment('bob', 0n).clone();
      unrelated.ins[0]!.hash = new Uint8Array(32).fill(7);
      const broadcaster = await connect(monitor, [unrelated]);
      expectEqual(broadcaster.broadcast.length, 0, 'broadcasts for an unrelated transaction',
        'check `this.spendsWatchedOutput(tx)` first and skip the transactions that return false');
      expectEqual(monitor.closure, null, 'closure after an unrelated transaction', 'react only to spends of watched outputs');
    },
  },
  {
    name: 'connecting the same block twice changes nothing',
    async run(impl) {
      const { pair, monitor } = aliceMonitor(impl);
      const revoked = pair.signedCommitment('bob', 0n);
      const first = await connect(monitor, [revoked]);
      const watched = monitor.watchedOutputCount();
      const second = await connect(monitor, [revoked]);
      expectEqual(second.broadcast.length, 0, 'broadcasts the second time', 'broadcast only what `this.reactTo` returns (it returns nothing for a transaction seen before)');
      expectEqual(monitor.watchedOutputCount(), watched, 'watched outputs after the repeat', 'use `this.watchOutputs`, which skips outputs already watched');
      expectThat(first.broadcast.length > 0, 'the first connection', 'a broadcast', 'none', 'broadcast the justice transaction');
    },
  },
  {
    name: 'does not punish the current (unrevoked) counterparty commitment',
    async run(impl) {
      const { pair, monitor } = aliceMonitor(impl);
      const broadcaster = await connect(monitor, [pair.signedCommitment('bob')]);
      expectEqual(broadcaster.broadcast.length, 0, 'broadcasts for a current commitment', 'broadcast only the claims `this.reactTo` returns');
      expectEqual(monitor.closure?.kind, 'CounterpartyForceClose', 'closure', 'let `this.reactTo` record how the channel closed');
    },
  },
  {
    name: 'punishes a cheater whatever comes before it in the block (a coinbase, unrelated transactions)',
    async run(impl) {
      const { pair, monitor } = aliceMonitor(impl);
      const revoked = pair.signedCommitment('bob', 1n);
      const unrelated = pair.signedCommitment('bob', 0n).clone();
      unrelated.ins[0]!.hash = new Uint8Array(32).fill(9);
      const broadcaster = await connect(monitor, [coinbaseLike(), unrelated, revoked]);
      expectThat(broadcaster.broadcast.some((tx) => spendsFrom(tx, revoked.getId())), 'a justice transaction for the revoked commitment',
        'broadcast', 'none', 'skip a transaction that spends nothing watched with `continue`, not `return`: the rest of the block still counts');
    },
  },
  {
    name: "pays the justice transaction the fee estimator's urgent rate",
    async run(impl) {
      const { pair, monitor } = aliceMonitor(impl);
      const revoked = pair.signedCommitment('bob', 0n);
      const fees = new PerTargetFeeEstimator();
      const broadcaster = new RecordingBroadcaster();
      await monitor.blockConnected(fakeHeader(101), [revoked], 101, broadcaster, fees);
      const justice = broadcaster.broadcast.find((tx) => spendsFrom(tx, revoked.getId()));
      expectThat(justice !== undefined, 'a justice transaction', 'broadcast', 'none', 'broadcast the claims `this.reactTo` built');
      const paid = Math.round(feeratePerKw(justice!, revoked));
      const urgent = fees.rates.UrgentOnChainSweep;
      expectThat(Math.abs(paid - urgent) <= urgent * 0.1, 'feerate of the justice transaction (sat per 1,000 weight)', `about ${urgent} (UrgentOnChainSweep)`,
        String(paid), "ask `feeEstimator.getEstSatPer1000Weight('UrgentOnChainSweep')`: the justice transaction races the cheater's delay");
    },
  },
  {
    name: 'waits for the broadcast before returning',
    async run(impl) {
      const { pair, monitor } = aliceMonitor(impl);
      const revoked = pair.signedCommitment('bob', 0n);
      const broadcaster = new SlowBroadcaster();
      await monitor.blockConnected(fakeHeader(101), [revoked], 101, broadcaster, new FixedFeeEstimator());
      expectThat(broadcaster.broadcast.length > 0, 'justice transactions the node had received when blockConnected returned', 'one', 'none yet',
        '`await this.broadcast(broadcaster, reaction.claims)`: the next block must not come before the node has the justice transaction');
    },
  },
  {
    name: 'a broadcast the node refuses is recorded, not thrown',
    async run(impl) {
      const { pair, monitor } = aliceMonitor(impl);
      const broadcaster = new RefusingBroadcaster();
      try {
        await monitor.blockConnected(fakeHeader(101), [pair.signedCommitment('bob', 0n)], 101, broadcaster, new FixedFeeEstimator());
      } catch (err) {
        throw new CheckFailure('blockConnected when the node refuses the justice transaction', 'it returns, the refusal recorded',
          `it threw ${err instanceof Error ? err.name : String(err)}`, 'broadcast with the given `this.broadcast(broadcaster, claims)`: it records a refusal in `rejectedBroadcasts` and goes on');
      }
      expectEqual(monitor.rejectedBroadcasts.length, broadcaster.attempts, 'refusals recorded in rejectedBroadcasts',
        'broadcast with the given `this.broadcast(broadcaster, claims)`, which records each refusal');
    },
  },
  {
    name: 'sweeps our own to_local once its timelock has passed',
    async run(impl) {
      const { pair, monitor } = aliceMonitor(impl);
      const ours = pair.signedCommitment('alice');
      const broadcaster = new RecordingBroadcaster();
      const fees = new FixedFeeEstimator();
      await monitor.blockConnected(fakeHeader(101), [ours], 101, broadcaster, fees);
      for (let height = 102; height <= 100 + DEMO_TO_SELF_DELAY; height++) await monitor.blockConnected(fakeHeader(height), [], height, broadcaster, fees);
      expectThat(broadcaster.broadcast.some((tx) => spendsFrom(tx, ours.getId())), `a sweep of our to_local by block ${100 + DEMO_TO_SELF_DELAY}`,
        'broadcast', 'none', 'keep the given last line, `await this.broadcastMaturedClaims(height, broadcaster, feeEstimator)`');
    },
  },
];
