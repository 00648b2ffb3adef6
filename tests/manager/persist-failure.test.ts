/**
 * A monitor update that does not persist halts its channel exactly where the disk says it is: the
 * channel neither revokes, nor reveals, nor believes anything new, and sends nothing more. The node's
 * other channels carry on. The fault comes from a persister that starts failing for one channel on demand.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InProcessNetwork, MonitorPersistFailedError, fundingOutpointKey, outpointKey, secretIndexForCommitment, type Channel } from '../../src/internal.js';
import { ChannelMonitor } from '../helpers/reference.js';
import { useRegtestChain } from '../helpers/regtest.js';
import { fundNodes, makeNode, openReadyChannel, settle, type TestNode } from '../helpers/lightning.js';

const chain = useRegtestChain();
const dir = mkdtempSync(join(tmpdir(), 'lnlab-halt-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const CHANNEL_VALUE_SAT = 1_000_000n;
const PAYMENT_MSAT = 40_000_000n;

/** Bob's monitor for `channel` as it is on disk right now. */
async function monitorOnDisk(node: TestNode, channel: Channel): Promise<ChannelMonitor> {
  const { txid, vout } = channel.fundingOutpoint;
  const stored = (await node.store.readAllMonitors()).find((m) => m.key === fundingOutpointKey(txid, vout))!;
  return ChannelMonitor.fromBytes(stored.bytes);
}

/** Whether `promise` is still pending after the event loop has had a chance to settle it. */
async function isPending(promise: Promise<unknown>): Promise<boolean> {
  const marker = Symbol('pending');
  return (await Promise.race([promise, new Promise((resolve) => setTimeout(() => resolve(marker), 50))])) === marker;
}

describe('a persist failure in the middle of a payment', () => {
  const network = new InProcessNetwork();
  let alice: TestNode;
  let bob: TestNode;
  let carol: TestNode;
  let ab: string;
  let bc: string;

  beforeAll(async () => {
    alice = await makeNode(chain, 'alice', 0xa1, dir);
    bob = await makeNode(chain, 'bob', 0xb0, dir);
    carol = await makeNode(chain, 'carol', 0xc0, dir);
    network.connect(alice.manager, bob.manager);
    network.connect(bob.manager, carol.manager);
    await fundNodes(chain, [alice, bob], 2_000_000n);
    ab = await openReadyChannel(chain, network, [alice, bob, carol], alice, bob, CHANNEL_VALUE_SAT);
    bc = await openReadyChannel(chain, network, [alice, bob, carol], bob, carol, CHANNEL_VALUE_SAT);
    expect((await alice.manager.sendPayment(bob.manager.createInvoice(PAYMENT_MSAT))).kind).toBe('Succeeded');
    await network.settle();
  });

  it('halts the channel at its last persisted state when a new commitment cannot be stored', async () => {
    const bobAb = bob.manager.channel(ab)!;
    const aliceAb = alice.manager.channel(ab)!;
    const before = { number: bobAb.holderCommitment.number, spec: bobAb.holderCommitment.spec, txid: bobAb.holderCommitment.signedTx.getId() };
    bob.persister.failFor(bobAb.fundingOutpoint);

    const logBefore = network.log.length;
    const payment = alice.manager.sendPayment(bob.manager.createInvoice(PAYMENT_MSAT));
    await settle(network, [alice, bob, carol]);

    // Alice offered and signed; Bob could not persist the new commitment, so he did not revoke the old one.
    expect(network.log.slice(logBefore).map((m) => m.type)).toEqual(['update_add_htlc', 'commitment_signed']);
    expect(bobAb.phase).toBe('Halted');
    expect(bobAb.stopReason).toMatch(/LatestHolderCommitmentTx not persisted/);
    expect(bob.manager.errors.at(-1)).toBeInstanceOf(MonitorPersistFailedError);
    // Nothing advanced past the last Completed update: not the channel, not the disk.
    expect(bobAb.holderCommitment.number).toBe(before.number);
    expect(bobAb.holderCommitment.spec).toEqual(before.spec);
    expect(bobAb.holderCommitment.signedTx.getId()).toBe(before.txid);
    const onDisk = await monitorOnDisk(bob, bobAb);
    expect(onDisk.holderCommitmentNumber).toBe(before.number);
    expect(onDisk.currentCommitmentTx!.getId()).toBe(before.txid);
    // Bob never revealed the secret of his current commitment: Alice's monitor does not have it.
    const aliceMonitor = alice.chainMonitor.monitors.get(outpointKey(aliceAb.fundingOutpoint))!;
    expect(aliceMonitor.commitmentSecrets.getSecret(secretIndexForCommitment(before.number))).toBeUndefined();
    // The payment is simply stuck in flight (its HTLC can only resolve on chain now); nothing was broadcast.
    expect(await isPending(payment)).toBe(true);
    expect(await chain.client.getConfirmations(bobAb.holderCommitment.signedTx.getId())).toBeNull();

    // A halted channel ignores whatever else arrives on it.
    network.inject(alice.manager, bob.manager, { type: 'update_fail_htlc', channelId: ab, id: 99n, reason: { code: 'temporary_channel_failure', detail: 'x' } });
    await network.settle();
    expect(bobAb.phase).toBe('Halted');
  });

  it('the same node’s other channel keeps working, and its monitor keeps persisting', async () => {
    const bobBc = bob.manager.channel(bc)!;
    const numberBefore = bobBc.holderCommitment.number;
    const result = await bob.manager.sendPayment(carol.manager.createInvoice(PAYMENT_MSAT));
    await network.settle();
    expect(result.kind).toBe('Succeeded');
    expect(bobBc.phase).toBe('Ready');
    expect(bobBc.holderCommitment.number).toBe(numberBefore + 2n);
    expect(carol.manager.channel(bc)!.holderCommitment.spec.holderBalanceMsat).toBe(PAYMENT_MSAT);
    expect((await monitorOnDisk(bob, bobBc)).holderCommitmentNumber).toBe(numberBefore + 2n);
  });

  it('a payee whose preimage cannot be persisted never reveals it', async () => {
    const carolBc = carol.manager.channel(bc)!;
    // Fail exactly the write that would store a second preimage in Carol's monitor.
    carol.persister.failWhen(carolBc.fundingOutpoint, (bytes) => ChannelMonitor.fromBytes(bytes).preimages.length > 1);
    const logBefore = network.log.length;
    const payment = bob.manager.sendPayment(carol.manager.createInvoice(PAYMENT_MSAT));
    await settle(network, [alice, bob, carol]);
    const types = network.log.slice(logBefore).map((m) => m.type);
    expect(types).not.toContain('update_fulfill_htlc');
    expect(types).toEqual(['update_add_htlc', 'commitment_signed', 'revoke_and_ack', 'commitment_signed', 'revoke_and_ack']);
    expect(carolBc.phase).toBe('Halted');
    expect(carolBc.stopReason).toMatch(/PaymentPreimage not persisted/);
    expect(await isPending(payment)).toBe(true);
    // Carol's monitor on disk has only the first payment's preimage.
    expect((await monitorOnDisk(carol, carolBc)).preimages).toHaveLength(1);
  });
});
