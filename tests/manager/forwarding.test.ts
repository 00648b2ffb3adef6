/**
 * Alice pays Carol through Bob. Alice has no channel with Carol: she learns the network from gossip
 * (channel_announcement and channel_update, really signed, checked against the chain), finds the route
 * with Dijkstra on fees, and Bob forwards the HTLC after checking his fee and CLTV margin, then settles
 * back with Carol's preimage. Forged gossip is refused.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ChainUtxoLookup,
  DEFAULT_CLTV_EXPIRY_DELTA,
  InProcessNetwork,
  InvalidGossipError,
  KeysManager,
  LATENCY_GRACE_PERIOD_BLOCKS,
  MIN_FINAL_CLTV_EXPIRY_DELTA,
  PaymentFailedError,
  REGTEST_CHAIN_HASH,
  announcementContent,
  assembleAnnouncement,
  encodeShortChannelId,
  forwardingFeeMsat,
  outpointKey,
  signAnnouncement,
  signChannelUpdate,
  DEFAULT_USER_CONFIG,
  type ChannelAnnouncement,
  type ChannelUpdate,
  type Route,
  type UpdateAddHtlc,
} from '../../src/internal.js';
import { useRegtestChain } from '../helpers/regtest.js';
import { fundNodes, makeNode, mineAndSync, openReadyChannel, settle, type TestNode } from '../helpers/lightning.js';

const chain = useRegtestChain();
const dir = mkdtempSync(join(tmpdir(), 'lnlab-forward-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const CHANNEL_VALUE_SAT = 1_000_000n;
const AMOUNT_MSAT = 100_000_000n;
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

describe('paying through a forwarding node, with a route from gossip', () => {
  const network = new InProcessNetwork();
  let alice: TestNode;
  let bob: TestNode;
  let carol: TestNode;
  let ab: string;
  let bc: string;
  const all = () => [alice, bob, carol];

  beforeAll(async () => {
    const utxoLookup = new ChainUtxoLookup(chain.client);
    alice = await makeNode(chain, 'alice', 0xa1, dir, { utxoLookup });
    bob = await makeNode(chain, 'bob', 0xb0, dir, { utxoLookup });
    carol = await makeNode(chain, 'carol', 0xc0, dir, { utxoLookup });
    network.connect(alice.manager, bob.manager);
    network.connect(bob.manager, carol.manager);
    await fundNodes(chain, [alice, bob], 2_000_000n);
    ab = await openReadyChannel(chain, network, all(), alice, bob, CHANNEL_VALUE_SAT);
    bc = await openReadyChannel(chain, network, all(), bob, carol, CHANNEL_VALUE_SAT);
    await mineAndSync(chain, network, all(), 5); // six confirmations: both channels may be announced
  });

  it('every node learns both channels, both directions, from gossip', async () => {
    // Gossip names the chain by its genesis hash (internal byte order): check ours is this chain's.
    expect(Buffer.from(REGTEST_CHAIN_HASH).reverse().toString('hex')).toBe(await chain.client.getBlockHash(0));
    for (const node of all()) {
      const { channels } = node.manager.gossiper.graph;
      expect(channels.size).toBe(2);
      for (const channel of channels.values()) {
        expect(channel.capacitySat).toBe(CHANNEL_VALUE_SAT); // the funding output was found on chain
        expect(channel.updates.every((u) => u !== undefined)).toBe(true);
      }
      expect(node.manager.gossiper.rejected).toEqual([]);
    }
    expect(alice.manager.gossiper.graph.nodes()).toEqual(new Set([alice, bob, carol].map((n) => hex(n.keysManager.nodeId))));
  });

  it('Alice pays Carol through Bob; Bob earns his fee; the preimage is in every monitor on the way', async () => {
    const invoice = carol.manager.createInvoice(AMOUNT_MSAT);
    const logBefore = network.log.length;
    const height = alice.manager.bestBlock.height;
    const result = await alice.manager.sendPayment(invoice);
    await settle(network, all());
    expect(result.kind).toBe('Succeeded');
    if (result.kind !== 'Succeeded') return;
    const feeMsat = forwardingFeeMsat(DEFAULT_USER_CONFIG.forwarding, AMOUNT_MSAT);
    expect(feeMsat).toBe(11_000n); // 1,000 msat base + 100 ppm of 100,000,000 msat
    expect(result.feesPaidMsat).toBe(feeMsat);
    expect(bob.manager.payments.tracker.forwardingFeesEarnedMsat).toBe(feeMsat);

    // The two HTLCs: amounts differ by Bob's fee, expiries by Bob's cltv_expiry_delta.
    const adds = network.log.slice(logBefore).filter((m) => m.type === 'update_add_htlc').map((m) => m.message as UpdateAddHtlc);
    expect(adds).toHaveLength(2);
    const [toBob, toCarol] = adds as [UpdateAddHtlc, UpdateAddHtlc];
    expect(toBob.amountMsat).toBe(AMOUNT_MSAT + feeMsat);
    expect(toCarol.amountMsat).toBe(AMOUNT_MSAT);
    expect(toCarol.cltvExpiry).toBe(height + MIN_FINAL_CLTV_EXPIRY_DELTA + LATENCY_GRACE_PERIOD_BLOCKS);
    expect(toBob.cltvExpiry - toCarol.cltvExpiry).toBe(DEFAULT_CLTV_EXPIRY_DELTA);

    const balance = (node: TestNode, id: string) => node.manager.channel(id)!.holderCommitment.spec.holderBalanceMsat;
    expect(balance(alice, ab)).toBe(CHANNEL_VALUE_SAT * 1000n - AMOUNT_MSAT - feeMsat);
    expect(balance(bob, ab)).toBe(AMOUNT_MSAT + feeMsat);
    expect(balance(bob, bc)).toBe(CHANNEL_VALUE_SAT * 1000n - AMOUNT_MSAT);
    expect(balance(carol, bc)).toBe(AMOUNT_MSAT);
    expect(balance(bob, ab) + balance(bob, bc) - CHANNEL_VALUE_SAT * 1000n).toBe(feeMsat); // Bob is up by exactly his fee

    const preimage = hex(result.paymentPreimage);
    const monitorHas = (node: TestNode, id: string) =>
      node.chainMonitor.monitors.get(outpointKey(node.manager.channel(id)!.fundingOutpoint))!.preimages.some((p) => hex(p) === preimage);
    expect(monitorHas(carol, bc)).toBe(true); // the payee, before revealing it
    expect(monitorHas(bob, bc)).toBe(true); // the forwarder, on receipt...
    expect(monitorHas(bob, ab)).toBe(true); // ...and before claiming upstream with it
    expect(monitorHas(alice, ab)).toBe(true); // the payer's proof of payment
  });

  it('Bob refuses to forward for less than his fee, or with less than his CLTV margin', async () => {
    const invoice = carol.manager.createInvoice(AMOUNT_MSAT);
    const height = alice.manager.bestBlock.height;
    const scid = (node: TestNode, id: string) => node.manager.channel(id)!.shortChannelId!;
    const route = (feeMsat: bigint, deltaBlocks: number): Route => ({
      hops: [
        { shortChannelId: scid(alice, ab), nodeId: bob.keysManager.nodeId, amountMsat: AMOUNT_MSAT + feeMsat, cltvExpiry: height + 60 + deltaBlocks },
        { shortChannelId: scid(bob, bc), nodeId: carol.keysManager.nodeId, amountMsat: AMOUNT_MSAT, cltvExpiry: height + 60 },
      ],
      amountMsat: AMOUNT_MSAT,
      feesMsat: feeMsat,
    });
    const cheap = await alice.manager.sendPayment(invoice, { route: route(10_999n, DEFAULT_CLTV_EXPIRY_DELTA) });
    expect(cheap.kind).toBe('Failed');
    if (cheap.kind === 'Failed') {
      expect(cheap.error).toBeInstanceOf(PaymentFailedError);
      expect((cheap.error as PaymentFailedError).failureCode).toBe('fee_insufficient');
    }
    const hurried = await alice.manager.sendPayment(invoice, { route: route(11_000n, DEFAULT_CLTV_EXPIRY_DELTA - 1) });
    expect(hurried.kind === 'Failed' && (hurried.error as PaymentFailedError).failureCode).toBe('incorrect_cltv_expiry');
    await settle(network, all());
    // Nothing moved: Carol was never offered an HTLC, and the invoice is still unpaid.
    expect(carol.manager.payments.invoices.get(invoice.paymentHash)!.status).toBe('Unpaid');
    expect(carol.manager.channel(bc)!.holderCommitment.spec.holderBalanceMsat).toBe(AMOUNT_MSAT);
  });

  it('forged gossip is refused and not relayed', async () => {
    const mallory = new KeysManager(new Uint8Array(32).fill(0x66));
    const graph = alice.manager.gossiper.graph;
    const real = graph.channels.get(bob.manager.channel(bc)!.shortChannelId!)!.announcement;
    const before = { size: graph.channels.size, rejected: alice.manager.gossiper.rejected.length, log: network.log.length };

    // 1. A real announcement with Carol's funding key swapped for Mallory's (and a new id): the signatures no longer match.
    const tampered: ChannelAnnouncement = { ...real, bitcoinKey2: mallory.channelKeys(0).pubkeys.fundingPubkey, shortChannelId: real.shortChannelId + 1n };
    // 2. A channel Mallory "has" with Carol, signed only by Mallory's keys, on an output that does not exist.
    const fakeScid = encodeShortChannelId({ blockHeight: 1, txIndex: 0, outputIndex: 7 });
    const me = { nodeId: mallory.nodeId, fundingPubkey: mallory.channelKeys(0).pubkeys.fundingPubkey };
    const { content, weAreNode1 } = announcementContent(REGTEST_CHAIN_HASH, fakeScid, me, { nodeId: carol.keysManager.nodeId, fundingPubkey: me.fundingPubkey });
    const half = signAnnouncement('00'.repeat(32), content, mallory.nodeSecret, mallory.channelKeys(0).fundingSecret);
    const impersonating = assembleAnnouncement(content, weAreNode1, half, half);
    // 3. Two nodes Mallory runs, every signature valid, but the channel's output does not exist on chain.
    const mallory2 = new KeysManager(new Uint8Array(32).fill(0x67));
    const other = { nodeId: mallory2.nodeId, fundingPubkey: mallory2.channelKeys(0).pubkeys.fundingPubkey };
    const fake = announcementContent(REGTEST_CHAIN_HASH, fakeScid, me, other);
    const selfSigned = assembleAnnouncement(
      fake.content,
      fake.weAreNode1,
      signAnnouncement('00'.repeat(32), fake.content, mallory.nodeSecret, mallory.channelKeys(0).fundingSecret),
      signAnnouncement('00'.repeat(32), fake.content, mallory2.nodeSecret, mallory2.channelKeys(0).fundingSecret),
    );
    // 4. A channel_update for Bob's channel, claiming to be Bob's, signed by Mallory.
    const realUpdate = graph.channels.get(real.shortChannelId)!.updates[0]!;
    const { type: _t, signature: _s, ...fields } = realUpdate;
    const forgedUpdate: ChannelUpdate = signChannelUpdate({ ...fields, timestamp: realUpdate.timestamp + 10, feeBaseMsat: 0 }, mallory.nodeSecret);

    for (const forged of [tampered, impersonating, selfSigned, forgedUpdate]) network.inject(bob.manager, alice.manager, forged);
    await settle(network, all());
    const rejected = alice.manager.gossiper.rejected.slice(before.rejected);
    expect(rejected).toHaveLength(4);
    expect(rejected.every((e) => e instanceof InvalidGossipError)).toBe(true);
    expect(rejected[0]!.message).toMatch(/node_signature_1 valid for .* got a signature that does not verify/);
    expect(rejected[1]!.message).toMatch(/node_signature_\d valid for .* got a signature that does not verify/);
    expect(rejected[2]!.message).toMatch(/expected an unspent 2-of-2 of bitcoin_key_1\/2 at 1x0x7, got no such output/);
    expect(rejected[3]!.message).toMatch(/expected a signature by node_id_\d .* got one that does not verify/);
    expect(graph.channels.size).toBe(before.size);
    expect(graph.channels.get(real.shortChannelId)!.updates[0]).toEqual(realUpdate);
    // Nothing was relayed on to Bob or Carol.
    expect(network.log.length).toBe(before.log + 4);
  });
});
