/**
 * The network graph and route finding on a made-up network: announcements really signed (and checked),
 * Dijkstra picks the path the payer pays least for, and respects each channel's HTLC limits and the
 * payer's own balances; fees and CLTV deltas accumulate hop by hop.
 */
import { describe, expect, it } from 'vitest';
import {
  InvalidGossipError,
  KeysManager,
  MESSAGE_FLAGS_MUST_BE_ONE,
  NetworkGraph,
  NoRouteError,
  REGTEST_CHAIN_HASH,
  announcementContent,
  assembleAnnouncement,
  encodeShortChannelId,
  feeForUpdateMsat,
  findRoute,
  firstHopHtlc,
  signAnnouncement,
  signChannelUpdate,
} from '../../src/internal.js';

const node = (seed: number) => new KeysManager(new Uint8Array(32).fill(seed));
const [A, B, C, D] = [node(1), node(2), node(3), node(4)];
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

interface Policy {
  feeBaseMsat: number;
  feeProportionalMillionths: number;
  cltvExpiryDelta: number;
  htlcMaximumMsat?: bigint;
}

/** Announces a channel between `x` and `y` (both signing) with each side's policy. */
async function addChannel(graph: NetworkGraph, block: number, x: KeysManager, y: KeysManager, px: Policy, py: Policy): Promise<bigint> {
  const scid = encodeShortChannelId({ blockHeight: block, txIndex: 1, outputIndex: 0 });
  const fx = x.channelKeys(block);
  const fy = y.channelKeys(block);
  const { content, weAreNode1 } = announcementContent(REGTEST_CHAIN_HASH, scid, { nodeId: x.nodeId, fundingPubkey: fx.pubkeys.fundingPubkey }, { nodeId: y.nodeId, fundingPubkey: fy.pubkeys.fundingPubkey });
  const sx = signAnnouncement('00'.repeat(32), content, x.nodeSecret, fx.fundingSecret);
  const sy = signAnnouncement('00'.repeat(32), content, y.nodeSecret, fy.fundingSecret);
  expect(await graph.handleChannelAnnouncement(assembleAnnouncement(content, weAreNode1, sx, sy))).toBe('Added');
  for (const [who, policy, isNode1] of [[x, px, weAreNode1], [y, py, !weAreNode1]] as const) {
    const update = signChannelUpdate(
      {
        chainHash: REGTEST_CHAIN_HASH,
        shortChannelId: scid,
        timestamp: 1_700_000_000,
        messageFlags: MESSAGE_FLAGS_MUST_BE_ONE,
        channelFlags: isNode1 ? 0 : 1,
        cltvExpiryDelta: policy.cltvExpiryDelta,
        htlcMinimumMsat: 1_000n,
        feeBaseMsat: policy.feeBaseMsat,
        feeProportionalMillionths: policy.feeProportionalMillionths,
        htlcMaximumMsat: policy.htlcMaximumMsat ?? 1_000_000_000n,
      },
      who.nodeSecret,
    );
    expect(graph.handleChannelUpdate(update)).toBe('Added');
    expect(graph.handleChannelUpdate(update)).toBe('Duplicate');
  }
  return scid;
}

const cheap: Policy = { feeBaseMsat: 1_000, feeProportionalMillionths: 100, cltvExpiryDelta: 40 };
const dear: Policy = { feeBaseMsat: 5_000, feeProportionalMillionths: 1_000, cltvExpiryDelta: 20 };

describe('findRoute', () => {
  it('takes the path with the lowest total fee, adding fees and CLTV deltas hop by hop', async () => {
    const graph = new NetworkGraph(REGTEST_CHAIN_HASH);
    const ab = await addChannel(graph, 10, A, B, cheap, dear);
    const bd = await addChannel(graph, 11, B, D, dear, cheap);
    const ac = await addChannel(graph, 12, A, C, cheap, cheap);
    const cd = await addChannel(graph, 13, C, D, cheap, cheap);
    const amountMsat = 10_000_000n;
    const route = findRoute(graph, { payer: A.nodeId, payee: D.nodeId, amountMsat, currentHeight: 100, finalCltvExpiryDelta: 18 });
    // Via B, B charges `dear` on B→D; via C, C charges `cheap` on C→D.
    expect(route.hops.map((h) => h.shortChannelId)).toEqual([ac, cd]);
    const cFee = feeForUpdateMsat(cheap, amountMsat);
    expect(route.feesMsat).toBe(cFee);
    expect(route.hops.map((h) => [hex(h.nodeId), h.amountMsat, h.cltvExpiry])).toEqual([
      [hex(C.nodeId), amountMsat + cFee, 100 + 18 + cheap.cltvExpiryDelta],
      [hex(D.nodeId), amountMsat, 100 + 18],
    ]);
    const first = firstHopHtlc(route);
    expect(first.onion.hops).toEqual([
      { shortChannelId: cd, amtToForwardMsat: amountMsat, outgoingCltvValue: 118 },
      { amtToForwardMsat: amountMsat, outgoingCltvValue: 118 },
    ]);

    // If the cheap path cannot carry it (the payer's balance on A–C is short), the dear one is used.
    const viaB = findRoute(graph, { payer: A.nodeId, payee: D.nodeId, amountMsat, currentHeight: 100, finalCltvExpiryDelta: 18, localBalances: new Map([[ac, 1n], [ab, amountMsat * 2n]]) });
    expect(viaB.hops.map((h) => h.shortChannelId)).toEqual([ab, bd]);
    expect(viaB.feesMsat).toBe(feeForUpdateMsat(dear, amountMsat));
  });

  it('respects htlc_maximum_msat, and says so when nothing fits', async () => {
    const graph = new NetworkGraph(REGTEST_CHAIN_HASH);
    await addChannel(graph, 20, A, B, cheap, cheap);
    await addChannel(graph, 21, B, D, { ...cheap, htlcMaximumMsat: 5_000_000n }, cheap);
    expect(() => findRoute(graph, { payer: A.nodeId, payee: D.nodeId, amountMsat: 6_000_000n, currentHeight: 1, finalCltvExpiryDelta: 18 })).toThrow(NoRouteError);
    expect(findRoute(graph, { payer: A.nodeId, payee: D.nodeId, amountMsat: 5_000_000n, currentHeight: 1, finalCltvExpiryDelta: 18 }).hops).toHaveLength(2);
  });

  it('the graph refuses an update signed by the wrong end, and one for an unknown channel', async () => {
    const graph = new NetworkGraph(REGTEST_CHAIN_HASH);
    const scid = await addChannel(graph, 30, A, B, cheap, cheap);
    const base = { chainHash: REGTEST_CHAIN_HASH, shortChannelId: scid, timestamp: 1_800_000_000, messageFlags: 1, cltvExpiryDelta: 1, htlcMinimumMsat: 0n, feeBaseMsat: 0, feeProportionalMillionths: 0, htlcMaximumMsat: 1n };
    const node1 = hex(A.nodeId) < hex(B.nodeId) ? A : B;
    const node2 = node1 === A ? B : A;
    expect(() => graph.handleChannelUpdate(signChannelUpdate({ ...base, channelFlags: 0 }, node2.nodeSecret))).toThrow(InvalidGossipError);
    expect(graph.handleChannelUpdate(signChannelUpdate({ ...base, channelFlags: 0 }, node1.nodeSecret))).toBe('Added');
    expect(() => graph.handleChannelUpdate(signChannelUpdate({ ...base, shortChannelId: scid + 1n, channelFlags: 0 }, node1.nodeSecret))).toThrow(/unknown/);
  });
});
