/**
 * A malformed or unexpected message fails the one channel it names, with a clear reason (sent to the
 * peer in `error`, our latest commitment broadcast), and nothing else: the node's other channels keep
 * paying, and a message naming someone else's channel changes nothing.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { InProcessNetwork, MalformedMessageError, ProtocolViolationError, UnexpectedMessageError } from '../../src/internal.js';
import { fundOffline, offlineNode, openOffline } from '../helpers/offline-node.js';

const network = new InProcessNetwork();
const alice = offlineNode('alice', 0xa1);
const bob = offlineNode('bob', 0xb0);
const carol = offlineNode('carol', 0xc0);
network.connect(alice.manager, bob.manager);
network.connect(alice.manager, carol.manager);
const nodes = [alice, bob, carol];
const ids: Record<'ab1' | 'ab2' | 'ac' | 'ac2', string> = { ab1: '', ab2: '', ac: '', ac2: '' };

async function pays(from: typeof alice, to: typeof bob): Promise<boolean> {
  const result = await from.manager.sendPayment(to.manager.createInvoice(10_000_000n));
  await network.settle();
  return result.kind === 'Succeeded';
}

describe('a bad message fails only its channel', () => {
  beforeAll(async () => {
    await fundOffline(network, nodes, alice, 3_000_000n);
    ids.ab1 = await openOffline(network, nodes, alice, bob, 500_000n);
    ids.ab2 = await openOffline(network, nodes, alice, bob, 500_000n);
    ids.ac = await openOffline(network, nodes, alice, carol, 500_000n);
    ids.ac2 = await openOffline(network, nodes, alice, carol, 500_000n);
    expect(alice.manager.listChannels().map((c) => c.phase)).toEqual(['Ready', 'Ready', 'Ready', 'Ready']);
  });

  it('a malformed commitment_signed fails that channel, with the decoder’s reason', async () => {
    const commitmentTx = alice.manager.channel(ids.ab1)!.holderCommitment.signedTx;
    network.inject(bob.manager, alice.manager, { type: 'commitment_signed', channelId: ids.ab1, signature: new Uint8Array(10), htlcSignatures: [] });
    await network.settle();
    const channel = alice.manager.channel(ids.ab1)!;
    expect(channel.phase).toBe('Failed');
    expect(channel.stopReason).toMatch(/^commitment_signed\.signature: expected 64 bytes, got 10 bytes/);
    expect(alice.manager.errors.at(-1)).toBeInstanceOf(MalformedMessageError);
    expect(alice.broadcaster.broadcast.at(-1)!.getId()).toBe(commitmentTx.getId()); // failing a channel = publishing our commitment
    expect(network.log.find((m) => m.type === 'error' && (m.message as { channelId: string }).channelId === ids.ab1)).toBeDefined();
    expect(bob.manager.channel(ids.ab1)!.phase).toBe('Failed'); // told by the error
    // The other channels did not notice.
    expect(alice.manager.channel(ids.ab2)!.phase).toBe('Ready');
    expect(await pays(alice, bob)).toBe(true);
    expect(await pays(alice, carol)).toBe(true);
  });

  it('a message naming another peer’s channel is refused without touching that channel', async () => {
    network.inject(carol.manager, alice.manager, { type: 'revoke_and_ack', channelId: ids.ab2, perCommitmentSecret: new Uint8Array(32), nextPerCommitmentPoint: bob.keysManager.nodeId });
    await network.settle();
    expect(alice.manager.errors.at(-1)!.message).toMatch(/is not with this peer/);
    expect(alice.manager.channel(ids.ab2)!.phase).toBe('Ready');
    expect(await pays(alice, bob)).toBe(true);
  });

  it('an unexpected revoke_and_ack (nothing to revoke) fails that channel', async () => {
    const channel = alice.manager.channel(ids.ab2)!;
    network.inject(bob.manager, alice.manager, { type: 'revoke_and_ack', channelId: ids.ab2, perCommitmentSecret: new Uint8Array(32), nextPerCommitmentPoint: bob.keysManager.nodeId });
    await network.settle();
    expect(alice.manager.errors.at(-1)).toBeInstanceOf(UnexpectedMessageError);
    expect(channel.stopReason).toMatch(/expected revoke_and_ack only after our commitment_signed in phase Ready, got revoke_and_ack/);
    expect(channel.phase).toBe('Failed');
    expect(await pays(alice, carol)).toBe(true);
  });

  it('a well-formed commitment_signed with a wrong signature is a protocol violation', async () => {
    const channel = alice.manager.channel(ids.ac)!; // Carol has 20,000 sat here from the payments above
    const before = channel.holderCommitment;
    const add = {
      type: 'update_add_htlc',
      channelId: ids.ac,
      id: 0n,
      amountMsat: 1_000_000n,
      paymentHash: new Uint8Array(32),
      cltvExpiry: 300,
      onionRoutingPacket: { hops: [{ amtToForwardMsat: 1_000_000n, outgoingCltvValue: 300 }] },
    };
    network.inject(carol.manager, alice.manager, add);
    network.inject(carol.manager, alice.manager, { type: 'commitment_signed', channelId: ids.ac, signature: new Uint8Array(64).fill(7), htlcSignatures: [] });
    await network.settle();
    expect(alice.manager.errors.at(-1)).toBeInstanceOf(ProtocolViolationError);
    expect(channel.stopReason).toMatch(/expected a valid counterparty signature on our commitment #\d+, got one that does not verify/);
    expect(channel.phase).toBe('Failed');
    expect(channel.holderCommitment).toBe(before); // nothing applied, nothing revoked
    expect(alice.broadcaster.broadcast.at(-1)!.getId()).toBe(before.signedTx.getId());
  });

  it('an HTLC id out of sequence is a protocol violation', async () => {
    const channel = alice.manager.channel(ids.ac2)!;
    const before = channel.holderCommitment;
    network.inject(carol.manager, alice.manager, {
      type: 'update_add_htlc',
      channelId: ids.ac2,
      id: 1n,
      amountMsat: 1_000_000n,
      paymentHash: new Uint8Array(32),
      cltvExpiry: 300,
      onionRoutingPacket: { hops: [{ amtToForwardMsat: 1_000_000n, outgoingCltvValue: 300 }] },
    });
    await network.settle();
    expect(alice.manager.errors.at(-1)).toBeInstanceOf(ProtocolViolationError);
    expect(channel.stopReason).toMatch(/expected HTLC id 0 \(ids count up from 0\), got 1/);
    expect(channel.phase).toBe('Failed');
    expect(channel.holderCommitment).toBe(before);
  });
});
