/**
 * BOLT 7 gossip as typed objects, and the exact bytes each signature covers. The signed part of each
 * message is serialized as BOLT 7 lays it out on the wire (big-endian integers, fields in spec order), so
 * the double-SHA256 signed here is the one a BOLT 7 node would sign; the in-process link carries the
 * typed object, not those bytes.
 * @see BOLT 7 "The `channel_announcement` Message"
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { bigIntToBytesBE } from '../ln/bytes.js';
import type { ChannelIdHex } from '../peer/messages.js';

/** @see BOLT 7 "The `announcement_signatures` Message" */
export interface AnnouncementSignatures {
  readonly type: 'announcement_signatures';
  readonly channelId: ChannelIdHex;
  readonly shortChannelId: bigint;
  readonly nodeSignature: Uint8Array;
  readonly bitcoinSignature: Uint8Array;
}

/** @see BOLT 7 "The `channel_announcement` Message" */
export interface ChannelAnnouncement {
  readonly type: 'channel_announcement';
  readonly nodeSignature1: Uint8Array;
  readonly nodeSignature2: Uint8Array;
  readonly bitcoinSignature1: Uint8Array;
  readonly bitcoinSignature2: Uint8Array;
  readonly features: Uint8Array;
  /** The genesis block hash, in internal byte order. */
  readonly chainHash: Uint8Array;
  readonly shortChannelId: bigint;
  /** `nodeId1` sorts before `nodeId2` (lexicographic order of the compressed keys). */
  readonly nodeId1: Uint8Array;
  readonly nodeId2: Uint8Array;
  /** The funding keys of `nodeId1` and `nodeId2`, in that order. */
  readonly bitcoinKey1: Uint8Array;
  readonly bitcoinKey2: Uint8Array;
}

/** @see BOLT 7 "The `channel_update` Message" */
export interface ChannelUpdate {
  readonly type: 'channel_update';
  readonly signature: Uint8Array;
  readonly chainHash: Uint8Array;
  readonly shortChannelId: bigint;
  readonly timestamp: number;
  /** Bit 0 (`must_be_one`): `htlc_maximum_msat` is present. */
  readonly messageFlags: number;
  /** Bit 0 (`direction`): 0 if the sender is `node_id_1`; bit 1 (`disable`). */
  readonly channelFlags: number;
  readonly cltvExpiryDelta: number;
  readonly htlcMinimumMsat: bigint;
  readonly feeBaseMsat: number;
  readonly feeProportionalMillionths: number;
  readonly htlcMaximumMsat: bigint;
}

/**
 * The regtest genesis block hash in internal byte order (display hex
 * `0f9188f1…466e2206` reversed): the `chain_hash` of every regtest gossip message.
 * @see BOLT 7 "The `channel_announcement` Message"
 */
export const REGTEST_CHAIN_HASH: Uint8Array = Uint8Array.from(
  Buffer.from('0f9188f13cb7b2c71f2a335e3a4fc328bf5beb436012afca590b1a11466e2206', 'hex').reverse(),
);
/** `channel_flags` bit 0: which end of the channel the update is from. @see BOLT 7 "The `channel_update` Message" */
export const CHANNEL_UPDATE_DIRECTION_BIT = 1;
/** `channel_flags` bit 1: the channel is disabled in that direction. @see BOLT 7 "The `channel_update` Message" */
export const CHANNEL_UPDATE_DISABLE_BIT = 2;
/** `message_flags` bit 0 must be set: `htlc_maximum_msat` is mandatory. @see BOLT 7 "The `channel_update` Message" */
export const MESSAGE_FLAGS_MUST_BE_ONE = 1;

/** BOLT 7 field widths in bytes, for the signed serializations below. */
const U16 = 2;
const U32 = 4;
const U64 = 8;

function concat(parts: readonly Uint8Array[]): Uint8Array {
  return Uint8Array.from(Buffer.concat(parts.map((part) => Buffer.from(part))));
}

function uint(value: bigint | number, bytes: number): Uint8Array {
  return bigIntToBytesBE(BigInt(value), bytes);
}

/** SHA256(SHA256(data)), the digest every gossip signature covers. */
export function doubleSha256(data: Uint8Array): Uint8Array {
  return sha256(sha256(data));
}

/**
 * What the four signatures of a `channel_announcement` cover: the message after the signatures
 * (`len || features || chain_hash || short_channel_id || node_id_1 || node_id_2 || bitcoin_key_1 ||
 * bitcoin_key_2`), double-SHA256ed.
 * @see BOLT 7 "The `channel_announcement` Message"
 */
export function channelAnnouncementDigest(message: Omit<ChannelAnnouncement, 'type' | `${string}Signature${number}`>): Uint8Array {
  return doubleSha256(
    concat([
      uint(message.features.length, U16),
      message.features,
      message.chainHash,
      uint(message.shortChannelId, U64),
      message.nodeId1,
      message.nodeId2,
      message.bitcoinKey1,
      message.bitcoinKey2,
    ]),
  );
}

/**
 * What a `channel_update`'s signature covers: the message after the signature, double-SHA256ed.
 * @see BOLT 7 "The `channel_update` Message"
 */
export function channelUpdateDigest(message: Omit<ChannelUpdate, 'type' | 'signature'>): Uint8Array {
  return doubleSha256(
    concat([
      message.chainHash,
      uint(message.shortChannelId, U64),
      uint(message.timestamp, U32),
      Uint8Array.of(message.messageFlags),
      Uint8Array.of(message.channelFlags),
      uint(message.cltvExpiryDelta, U16),
      uint(message.htlcMinimumMsat, U64),
      uint(message.feeBaseMsat, U32),
      uint(message.feeProportionalMillionths, U32),
      uint(message.htlcMaximumMsat, U64),
    ]),
  );
}

/** BOLT 7 `short_channel_id` fields: 3 bytes block height, 3 bytes transaction index, 2 bytes output index. */
const SCID_TX_INDEX_BITS = 24n;
const SCID_OUTPUT_BITS = 16n;
const SCID_MAX_HEIGHT = 0xff_ffff;
const SCID_MAX_TX_INDEX = 0xff_ffff;
const SCID_MAX_OUTPUT = 0xffff;

/** Where the funding output is on chain, and its `short_channel_id`. @see BOLT 7 "Definition of `short_channel_id`" */
export interface ShortChannelIdParts {
  readonly blockHeight: number;
  readonly txIndex: number;
  readonly outputIndex: number;
}

/** @see BOLT 7 "Definition of `short_channel_id`" */
export function encodeShortChannelId({ blockHeight, txIndex, outputIndex }: ShortChannelIdParts): bigint {
  if (blockHeight > SCID_MAX_HEIGHT || txIndex > SCID_MAX_TX_INDEX || outputIndex > SCID_MAX_OUTPUT) {
    throw new RangeError(`encodeShortChannelId: ${blockHeight}x${txIndex}x${outputIndex} does not fit 3/3/2 bytes`);
  }
  return (BigInt(blockHeight) << (SCID_TX_INDEX_BITS + SCID_OUTPUT_BITS)) | (BigInt(txIndex) << SCID_OUTPUT_BITS) | BigInt(outputIndex);
}

/** @see BOLT 7 "Definition of `short_channel_id`" */
export function decodeShortChannelId(scid: bigint): ShortChannelIdParts {
  return {
    blockHeight: Number(scid >> (SCID_TX_INDEX_BITS + SCID_OUTPUT_BITS)),
    txIndex: Number((scid >> SCID_OUTPUT_BITS) & BigInt(SCID_MAX_TX_INDEX)),
    outputIndex: Number(scid & BigInt(SCID_MAX_OUTPUT)),
  };
}

/** The human form `<height>x<txindex>x<output>`. */
export function formatShortChannelId(scid: bigint): string {
  const { blockHeight, txIndex, outputIndex } = decodeShortChannelId(scid);
  return `${blockHeight}x${txIndex}x${outputIndex}`;
}
