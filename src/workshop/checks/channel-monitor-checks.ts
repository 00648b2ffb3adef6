/**
 * Checks for the two ChannelMonitor exercises. Each builds Alice's monitor for the demo channel, lets
 * the channel move on a few times, and looks at what the learner's method did.
 * @see BOLT 5 "Revoked Transaction Close Handling"; BOLT 3 "Per-commitment Secret Requirements"
 */
import type { Block, Transaction } from 'bitcoinjs-lib';
import type { BroadcasterInterface, FeeEstimator } from '../../chain/interfaces.js';
import { InvalidSecretError } from '../../ln/errors.js';
import { FIRST_PER_COMMITMENT_INDEX } from '../../ln/secrets.js';
import { spentTxid } from '../../monitor/outpoints.js';
import type { ChannelMonitorUpdate } from '../../monitor/updates.js';
import { ChannelMonitor } from '../../../solutions/channel-monitor.js';
import { DEMO_ALICE_DESTINATION, demoChannelPair } from '../demo-channel.js';
import { FixedFeeEstimator, RecordingBroadcaster, fakeHeader } from '../fakes.js';
import { CheckFailure, expectEqual, expectThat, expectThrows, show } from '../check/expect.js';
import type { ExerciseTest } from '../check/types.js';
import { withMethod } from './install.js';

export type BlockConnected = (
  this: ChannelMonitor,
  header: Block,
  txdata: Transaction[],
  height: number,
  broadcaster: BroadcasterInterface,
  feeEstimator: FeeEstimator,
) => Promise<void>;
export type UpdateMonitor = (this: ChannelMonitor, update: ChannelMonitorUpdate) => void;

const START = { hash: '00'.repeat(32), height: 100 };

/** Alice's monitor (with `method` replaced by the learner's) after `payments` payments, and the pair. */
function aliceMonitor(method: 'blockConnected' | 'updateMonitor', impl: unknown, payments = 3) {
  const pair = demoChannelPair();
  const Monitor = withMethod(ChannelMonitor, method, impl);
  const monitor = new Monitor(pair.monitorInit('alice', DEMO_ALICE_DESTINATION, START));
  for (let i = 0; i < payments; i++) {
    // Updates go through the reference updateMonitor, whatever is being checked.
    for (const update of pair.pay('alice', 10_000_000n).alice) ChannelMonitor.prototype.updateMonitor.call(monitor, update);
  }
  return { pair, monitor };
}

async function connect(monitor: ChannelMonitor, txs: Transaction[], height = 101) {
  const broadcaster = new RecordingBroadcaster();
  await monitor.blockConnected(fakeHeader(height), txs, height, broadcaster, new FixedFeeEstimator());
  return broadcaster;
}

const spendsFrom = (tx: Transaction, txid: string) => tx.ins.some((_, i) => spentTxid(tx, i) === txid);

export const blockConnectedTests: ExerciseTest<BlockConnected>[] = [
  {
    name: 'remembers the block as bestBlock',
    async run(impl) {
      const { monitor } = aliceMonitor('blockConnected', impl);
      await connect(monitor, [], 150);
      expectEqual(monitor.bestBlock?.height, 150, 'bestBlock.height after connecting block 150',
        'set `this.bestBlock` from the header and height (`this.bestBlockOf(header, height)`)');
    },
  },
  {
    name: 'broadcasts a justice transaction when a revoked commitment is mined',
    async run(impl) {
      const { pair, monitor } = aliceMonitor('blockConnected', impl);
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
      const { pair, monitor } = aliceMonitor('blockConnected', impl);
      const revoked = pair.signedCommitment('bob', 1n);
      const broadcaster = await connect(monitor, [revoked]);
      const justice = broadcaster.broadcast.find((tx) => spendsFrom(tx, revoked.getId()));
      expectThat(justice !== undefined, 'a justice transaction', 'broadcast', 'none', 'broadcast the reaction first');
      expectThat(monitor.outputsToWatch.has(revoked.getId()), 'outputsToWatch', `an entry for the revoked commitment`,
        show([...monitor.outputsToWatch.keys()]), 'add `reaction.outputsToWatch` with `this.watchOutputs(...)`');
      expectThat(monitor.outputsToWatch.has(justice!.getId()), 'outputsToWatch', 'an entry for the justice transaction',
        show([...monitor.outputsToWatch.keys()]), 'add `reaction.outputsToWatch` with `this.watchOutputs(...)`');
    },
  },
  {
    name: 'ignores transactions that spend nothing it watches',
    async run(impl) {
      const { pair, monitor } = aliceMonitor('blockConnected', impl);
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
      const { pair, monitor } = aliceMonitor('blockConnected', impl);
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
      const { pair, monitor } = aliceMonitor('blockConnected', impl);
      const broadcaster = await connect(monitor, [pair.signedCommitment('bob')]);
      expectEqual(broadcaster.broadcast.length, 0, 'broadcasts for a current commitment', 'broadcast only the claims `this.reactTo` returns');
      expectEqual(monitor.closure?.kind, 'CounterpartyForceClose', 'closure', 'let `this.reactTo` record how the channel closed');
    },
  },
];

export const updateMonitorTests: ExerciseTest<UpdateMonitor>[] = [
  {
    name: 'stores a payment preimage',
    async run(impl) {
      const { monitor } = aliceMonitor('updateMonitor', impl, 0);
      const preimage = new Uint8Array(32).fill(0x42);
      monitor.updateMonitor({ kind: 'PaymentPreimage', paymentPreimage: preimage });
      expectEqual(monitor.preimages.length, 1, 'preimages.length after one PaymentPreimage', 'push the preimage onto `this.preimages`');
    },
  },
  {
    name: 'stores the same preimage only once',
    async run(impl) {
      const { monitor } = aliceMonitor('updateMonitor', impl, 0);
      monitor.updateMonitor({ kind: 'PaymentPreimage', paymentPreimage: new Uint8Array(32).fill(1) });
      monitor.updateMonitor({ kind: 'PaymentPreimage', paymentPreimage: new Uint8Array(32).fill(1) });
      expectEqual(monitor.preimages.length, 1, 'preimages.length after the same preimage twice', 'skip a preimage already in `this.preimages` (compare bytes)');
    },
  },
  {
    name: 'stores commitment secrets so the revoked commitment can be punished',
    async run(impl) {
      const pair = demoChannelPair();
      const Monitor = withMethod(ChannelMonitor, 'updateMonitor', impl);
      const monitor = new Monitor(pair.monitorInit('alice', DEMO_ALICE_DESTINATION, START));
      for (const update of pair.pay('alice', 10_000_000n).alice) monitor.updateMonitor(update);
      const stored = monitor.commitmentSecrets.getSecret(FIRST_PER_COMMITMENT_INDEX);
      expectEqual(stored, pair.keys.bob.perCommitmentSecret(0n), 'commitmentSecrets.getSecret(2^48 - 1)',
        'give the secret to `this.commitmentSecrets.provideSecret(update.index, update.secret)`');
    },
  },
  {
    name: 'rejects an invalid commitment secret with an error, and changes nothing',
    async run(impl) {
      const { monitor } = aliceMonitor('updateMonitor', impl, 0);
      const pair = demoChannelPair();
      for (let i = 0; i < 3; i++) for (const u of pair.pay('alice', 1_000_000n).alice) monitor.updateMonitor(u);
      const before = Buffer.from(monitor.commitmentSecrets.toBytes());
      const forged: ChannelMonitorUpdate = { kind: 'CommitmentSecret', index: FIRST_PER_COMMITMENT_INDEX - 3n, secret: new Uint8Array(32).fill(3) };
      await expectThrows(() => monitor.updateMonitor(forged), InvalidSecretError, 'updateMonitor with a forged secret',
        "don't push secrets into an array: `provideSecret` checks BOLT 3's rule and throws on a secret that cannot derive the stored ones");
      expectEqual(Buffer.from(monitor.commitmentSecrets.toBytes()).equals(before), true, 'secret store unchanged after the rejection',
        'let `provideSecret` do the storing: it leaves the store unchanged when it throws');
    },
  },
];
