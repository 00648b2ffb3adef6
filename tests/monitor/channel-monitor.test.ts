import { describe, expect, it } from 'vitest';
import { Transaction } from 'bitcoinjs-lib';
import {
  CorruptRecordError,
  deriveCommitmentKeys,
  deriveRevocationPublicKey,
  InvalidSecretError,
  p2wshScriptPubKey,
  perCommitmentPoint,
  toLocalScript,
  verifyWitnessSignature,
  type ChannelMonitorUpdate,
} from '../../src/internal.js';
import { ChannelMonitor } from '../helpers/reference.js';
import { FixedFeeEstimator, RecordingBroadcaster, fakeHeader } from '../helpers/fakes.js';
import { ALICE_DESTINATION, TO_SELF_DELAY, aliceKeys, bobKeys, makePair } from '../helpers/channel.js';

const START = { hash: '00'.repeat(32), height: 100 };

/** Alice's monitor after three payments, with every update applied; and the pair to cheat with. */
function aliceAfterPayments(payments = 3) {
  const pair = makePair();
  const monitor = new ChannelMonitor(pair.monitorInit('alice', ALICE_DESTINATION, START));
  for (let i = 0; i < payments; i++) {
    for (const update of pair.pay('alice', 10_000_000n).alice) monitor.updateMonitor(update);
  }
  return { pair, monitor };
}

describe('ChannelMonitor.blockConnected', () => {
  it('answers a revoked counterparty commitment with a justice transaction, not a rebroadcast', async () => {
    const { pair, monitor } = aliceAfterPayments();
    const revoked = pair.signedCommitment('bob', 0n);
    const broadcaster = new RecordingBroadcaster();
    await monitor.blockConnected(fakeHeader(101), [revoked], 101, broadcaster, new FixedFeeEstimator());

    expect(broadcaster.broadcast).toHaveLength(1);
    const justice = broadcaster.broadcast[0]!;
    expect(justice.getId()).not.toBe(revoked.getId());
    // It spends Bob's to_local of the revoked commitment, through the revocation branch.
    const secret = bobKeys.perCommitmentSecret(0n);
    const keys = deriveCommitmentKeys(perCommitmentPoint(secret), bobKeys.pubkeys, aliceKeys.pubkeys);
    const script = toLocalScript(keys.revocationPubkey, TO_SELF_DELAY, keys.broadcasterDelayedPubkey);
    const toLocalVout = revoked.outs.findIndex((o) => Buffer.from(o.script).equals(Buffer.from(p2wshScriptPubKey(script))));
    expect(toLocalVout).toBeGreaterThanOrEqual(0);
    expect(Buffer.from(justice.ins[0]!.hash).reverse().toString('hex')).toBe(revoked.getId());
    expect(justice.ins[0]!.index).toBe(toLocalVout);
    const witness = justice.ins[0]!.witness;
    expect(Buffer.from(witness[1]!)).toEqual(Buffer.from([1]));
    expect(Buffer.from(witness[2]!)).toEqual(Buffer.from(script));
    const revocationPubkey = deriveRevocationPublicKey(aliceKeys.pubkeys.revocationBasepoint, perCommitmentPoint(secret));
    const spec = { inputIndex: 0, witnessScript: script, amountSat: revoked.outs[toLocalVout]!.value };
    expect(verifyWitnessSignature(justice, spec, witness[0]!, revocationPubkey)).toBe(true);
    // It pays Alice, less a fee.
    expect(Buffer.from(justice.outs[0]!.script)).toEqual(Buffer.from(ALICE_DESTINATION));
    expect(justice.outs[0]!.value).toBeLessThan(revoked.outs[toLocalVout]!.value);
    expect(justice.outs[0]!.value).toBeGreaterThan(revoked.outs[toLocalVout]!.value - 5_000n);
    expect(monitor.closure).toMatchObject({ kind: 'RevokedCommitment', commitmentNumber: 0n });
  });

  it('watches the claimed outputs and the justice output', async () => {
    const { pair, monitor } = aliceAfterPayments();
    const revoked = pair.signedCommitment('bob', 1n);
    const broadcaster = new RecordingBroadcaster();
    await monitor.blockConnected(fakeHeader(101), [revoked], 101, broadcaster, new FixedFeeEstimator());
    const justice = broadcaster.broadcast[0]!;
    expect(monitor.outputsToWatch.get(revoked.getId())).toEqual([[justice.ins[0]!.index, revoked.outs[justice.ins[0]!.index]!.script]]);
    expect(monitor.outputsToWatch.get(justice.getId())).toEqual([[0, justice.outs[0]!.script]]);
  });

  it('connecting the same block twice neither broadcasts twice nor duplicates watched outputs', async () => {
    const { pair, monitor } = aliceAfterPayments();
    const revoked = pair.signedCommitment('bob', 0n);
    const broadcaster = new RecordingBroadcaster();
    await monitor.blockConnected(fakeHeader(101), [revoked], 101, broadcaster, new FixedFeeEstimator());
    const watched = monitor.watchedOutputCount();
    await monitor.blockConnected(fakeHeader(101), [revoked], 101, broadcaster, new FixedFeeEstimator());
    expect(broadcaster.broadcast).toHaveLength(1);
    expect(monitor.watchedOutputCount()).toBe(watched);
  });

  it('records the current counterparty commitment without punishing it', async () => {
    const { pair, monitor } = aliceAfterPayments();
    const broadcaster = new RecordingBroadcaster();
    await monitor.blockConnected(fakeHeader(101), [pair.signedCommitment('bob')], 101, broadcaster, new FixedFeeEstimator());
    expect(broadcaster.broadcast).toHaveLength(0);
    expect(monitor.closure).toMatchObject({ kind: 'CounterpartyForceClose', commitmentNumber: 3n });
  });

  it('claims our own to_local once to_self_delay has passed, not before', async () => {
    const { pair, monitor } = aliceAfterPayments();
    const ours = pair.signedCommitment('alice');
    const broadcaster = new RecordingBroadcaster();
    const fees = new FixedFeeEstimator();
    await monitor.blockConnected(fakeHeader(101), [ours], 101, broadcaster, fees);
    expect(monitor.closure).toMatchObject({ kind: 'HolderForceClose' });
    for (let height = 102; height < 101 + TO_SELF_DELAY - 1; height++) {
      await monitor.blockConnected(fakeHeader(height), [], height, broadcaster, fees);
    }
    expect(broadcaster.broadcast).toHaveLength(0);
    await monitor.blockConnected(fakeHeader(100 + TO_SELF_DELAY), [], 100 + TO_SELF_DELAY, broadcaster, fees);
    expect(broadcaster.broadcast).toHaveLength(1);
    const sweep = broadcaster.broadcast[0]!;
    expect(sweep.ins[0]!.sequence).toBe(TO_SELF_DELAY);
    expect(Buffer.from(sweep.ins[0]!.hash).reverse().toString('hex')).toBe(ours.getId());
  });

  it('marks a cooperative close', async () => {
    const { monitor } = aliceAfterPayments(1);
    const close = new Transaction();
    close.version = 2;
    close.addInput(Buffer.from('ab'.repeat(32), 'hex').reverse(), 0, 0xffffffff);
    close.addOutput(ALICE_DESTINATION, 500_000n);
    const broadcaster = new RecordingBroadcaster();
    await monitor.blockConnected(fakeHeader(101), [close], 101, broadcaster, new FixedFeeEstimator());
    expect(monitor.closure).toMatchObject({ kind: 'CooperativeClose', txid: close.getId() });
    expect(broadcaster.broadcast).toHaveLength(0);
  });

  it('ignores unrelated transactions but moves its best block', async () => {
    const { monitor } = aliceAfterPayments(1);
    const unrelated = new Transaction();
    unrelated.addInput(Buffer.alloc(32, 7), 0);
    unrelated.addOutput(ALICE_DESTINATION, 1_000n);
    const broadcaster = new RecordingBroadcaster();
    await monitor.blockConnected(fakeHeader(150), [unrelated], 150, broadcaster, new FixedFeeEstimator());
    expect(broadcaster.broadcast).toHaveLength(0);
    expect(monitor.closure).toBeNull();
    expect(monitor.bestBlock).toEqual({ hash: fakeHeader(150).getId(), height: 150 });
  });
});

describe('ChannelMonitor.updateMonitor', () => {
  it('stores a preimage once', () => {
    const { monitor } = aliceAfterPayments(0);
    const preimage = new Uint8Array(32).fill(9);
    monitor.updateMonitor({ kind: 'PaymentPreimage', paymentPreimage: preimage });
    monitor.updateMonitor({ kind: 'PaymentPreimage', paymentPreimage: Uint8Array.from(preimage) });
    expect(monitor.preimages).toHaveLength(1);
  });

  it('rejects a preimage of the wrong length', () => {
    const { monitor } = aliceAfterPayments(0);
    expect(() => monitor.updateMonitor({ kind: 'PaymentPreimage', paymentPreimage: new Uint8Array(31) })).toThrow(/32 bytes/);
    expect(monitor.preimages).toHaveLength(0);
  });

  it('rejects a commitment secret that does not derive the stored ones, and changes nothing', () => {
    // After three payments the store holds indices 2^48-1..2^48-3; index 2^48-4 ends in two zero bits, so
    // BOLT 3 requires it to derive the two before it: a made-up secret cannot.
    const { monitor } = aliceAfterPayments(3);
    const before = monitor.toBytes();
    const forged: ChannelMonitorUpdate = {
      kind: 'CommitmentSecret',
      index: (1n << 48n) - 4n,
      secret: new Uint8Array(32).fill(1),
    };
    expect(() => monitor.updateMonitor(forged)).toThrow(InvalidSecretError);
    expect(Buffer.from(monitor.toBytes())).toEqual(Buffer.from(before));
  });
});

describe('ChannelMonitor serialization', () => {
  it('round-trips every field', async () => {
    const { pair, monitor } = aliceAfterPayments();
    await monitor.blockConnected(fakeHeader(101), [pair.signedCommitment('bob', 0n)], 101, new RecordingBroadcaster(), new FixedFeeEstimator());
    const restored = ChannelMonitor.fromBytes(monitor.toBytes());
    expect(Buffer.from(restored.toBytes())).toEqual(Buffer.from(monitor.toBytes()));
    expect(restored.closure).toEqual(monitor.closure);
    expect(restored.commitmentSecrets.getSecret((1n << 48n) - 1n)).toEqual(bobKeys.perCommitmentSecret(0n));
  });

  it('reports a corrupt record instead of reading an empty channel', () => {
    const bytes = aliceAfterPayments(1).monitor.toBytes();
    bytes[bytes.length - 5]! ^= 0xff;
    expect(() => ChannelMonitor.fromBytes(bytes, 'monitors/abc_0')).toThrow(CorruptRecordError);
    expect(() => ChannelMonitor.fromBytes(bytes.subarray(0, 20), 'monitors/abc_0')).toThrow(/monitors\/abc_0/);
  });
});
