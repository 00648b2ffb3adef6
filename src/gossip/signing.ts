/**
 * Gossip signatures: ECDSA over secp256k1 on the double-SHA256 of the message's signed part (see
 * `messages.ts`), in BOLT's 64-byte compact form, low-S, deterministic (RFC 6979). A
 * `channel_announcement` carries four: each node's key proves who the ends are, each funding ("bitcoin")
 * key proves the ends control the 2-of-2 on chain.
 * @see BOLT 7 "The `channel_announcement` Message"
 */
import * as secp from '@noble/secp256k1';
import '../ln/sign.js'; // wires noble's hash functions for synchronous signing
import { compareBytes } from '../ln/bytes.js';
import type { AnnouncementSignatures, ChannelAnnouncement, ChannelUpdate } from './messages.js';
import { channelAnnouncementDigest, channelUpdateDigest } from './messages.js';

/** A 64-byte compact signature of a 32-byte digest. */
export function signGossipDigest(digest: Uint8Array, secretKey: Uint8Array): Uint8Array {
  return secp.sign(digest, secretKey, { prehash: false, lowS: true, extraEntropy: false });
}

/** Whether `signature` is `publicKey`'s low-S signature of `digest`; false (never a throw) for garbage. */
export function verifyGossipSignature(signature: Uint8Array, digest: Uint8Array, publicKey: Uint8Array): boolean {
  try {
    return secp.verify(signature, digest, publicKey, { prehash: false, lowS: true });
  } catch {
    return false;
  }
}

/** The unsigned fields of a channel's announcement, with its ends in BOLT 7 order. */
export type AnnouncementContent = Omit<ChannelAnnouncement, 'type' | 'nodeSignature1' | 'nodeSignature2' | 'bitcoinSignature1' | 'bitcoinSignature2'>;

/** Our channel's announcement fields; `weAreNode1` says which end we are (the smaller node id). */
export function announcementContent(
  chainHash: Uint8Array,
  shortChannelId: bigint,
  ours: { nodeId: Uint8Array; fundingPubkey: Uint8Array },
  theirs: { nodeId: Uint8Array; fundingPubkey: Uint8Array },
): { content: AnnouncementContent; weAreNode1: boolean } {
  const weAreNode1 = compareBytes(ours.nodeId, theirs.nodeId) < 0;
  const [one, two] = weAreNode1 ? [ours, theirs] : [theirs, ours];
  return {
    weAreNode1,
    content: {
      features: new Uint8Array(0),
      chainHash,
      shortChannelId,
      nodeId1: one.nodeId,
      nodeId2: two.nodeId,
      bitcoinKey1: one.fundingPubkey,
      bitcoinKey2: two.fundingPubkey,
    },
  };
}

/**
 * Our half of the announcement's signatures, sent to the peer once the funding is deep enough.
 * @see BOLT 7 "The `announcement_signatures` Message"
 */
export function signAnnouncement(channelId: string, content: AnnouncementContent, nodeSecret: Uint8Array, fundingSecret: Uint8Array): AnnouncementSignatures {
  const digest = channelAnnouncementDigest(content);
  return {
    type: 'announcement_signatures',
    channelId,
    shortChannelId: content.shortChannelId,
    nodeSignature: signGossipDigest(digest, nodeSecret),
    bitcoinSignature: signGossipDigest(digest, fundingSecret),
  };
}

/** The full announcement from both halves' signatures. */
export function assembleAnnouncement(
  content: AnnouncementContent,
  weAreNode1: boolean,
  ours: Pick<AnnouncementSignatures, 'nodeSignature' | 'bitcoinSignature'>,
  theirs: Pick<AnnouncementSignatures, 'nodeSignature' | 'bitcoinSignature'>,
): ChannelAnnouncement {
  const [one, two] = weAreNode1 ? [ours, theirs] : [theirs, ours];
  return {
    type: 'channel_announcement',
    nodeSignature1: one.nodeSignature,
    nodeSignature2: two.nodeSignature,
    bitcoinSignature1: one.bitcoinSignature,
    bitcoinSignature2: two.bitcoinSignature,
    ...content,
  };
}

/** A signed `channel_update` for our direction of a channel. @see BOLT 7 "The `channel_update` Message" */
export function signChannelUpdate(fields: Omit<ChannelUpdate, 'type' | 'signature'>, nodeSecret: Uint8Array): ChannelUpdate {
  return { type: 'channel_update', signature: signGossipDigest(channelUpdateDigest(fields), nodeSecret), ...fields };
}
