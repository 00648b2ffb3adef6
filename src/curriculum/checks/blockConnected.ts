/**
 * Checks of ⚡️ `blockConnected`: Alice's monitor for the demo channel, after a few payments, is handed
 * blocks and must react exactly to what spends what it watches.
 * @see BOLT 5 "Revoked Transaction Close Handling"
 */
import type { Block, Transaction } from 'bitcoinjs-lib';
import type { BroadcasterInterface, FeeEstimator } from '../../chain/interfaces.js';
import type { ChannelMonitor } from '../../node/channel-monitor.js';
import { DEMO_ALICE_DESTINATION } from '../../workshop/demo-channel.js';
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
];
