/**
 * BOLT 2 peer messages as typed objects. Field names are BOLT's, in camelCase; amounts are bigint with the
 * unit in the name; keys, signatures and secrets are bytes; channel ids are 64 lowercase hex characters.
 * There is no wire encoding here (no BOLT 1 TLVs, no BOLT 8 transport): `InProcessNetwork` carries these
 * objects between nodes, and `validatePeerMessage` checks each on receipt as a decoder would.
 *
 * Signatures are BOLT's 64-byte compact form (r || s), without a sighash byte.
 * @see BOLT 2 "Channel Establishment"
 */
import type { AnnouncementSignatures, ChannelAnnouncement, ChannelUpdate } from '../gossip/messages.js';

/** 32 bytes as 64 lowercase hex characters: a `channel_id` or `temporary_channel_id`. */
export type ChannelIdHex = string;

/** @see BOLT 2 "The `open_channel` Message" */
export interface OpenChannel {
  readonly type: 'open_channel';
  readonly chainHash: Uint8Array;
  readonly temporaryChannelId: ChannelIdHex;
  readonly fundingSatoshis: bigint;
  readonly pushMsat: bigint;
  readonly dustLimitSatoshis: bigint;
  readonly maxHtlcValueInFlightMsat: bigint;
  readonly channelReserveSatoshis: bigint;
  readonly htlcMinimumMsat: bigint;
  readonly feeratePerKw: number;
  readonly toSelfDelay: number;
  readonly maxAcceptedHtlcs: number;
  readonly fundingPubkey: Uint8Array;
  readonly revocationBasepoint: Uint8Array;
  readonly paymentBasepoint: Uint8Array;
  readonly delayedPaymentBasepoint: Uint8Array;
  readonly htlcBasepoint: Uint8Array;
  readonly firstPerCommitmentPoint: Uint8Array;
  /** Bit 0 (`announce_channel`): the opener wants the channel announced in gossip. */
  readonly channelFlags: number;
}

/** @see BOLT 2 "The `accept_channel` Message" */
export interface AcceptChannel {
  readonly type: 'accept_channel';
  readonly temporaryChannelId: ChannelIdHex;
  readonly dustLimitSatoshis: bigint;
  readonly maxHtlcValueInFlightMsat: bigint;
  readonly channelReserveSatoshis: bigint;
  readonly htlcMinimumMsat: bigint;
  readonly minimumDepth: number;
  readonly toSelfDelay: number;
  readonly maxAcceptedHtlcs: number;
  readonly fundingPubkey: Uint8Array;
  readonly revocationBasepoint: Uint8Array;
  readonly paymentBasepoint: Uint8Array;
  readonly delayedPaymentBasepoint: Uint8Array;
  readonly htlcBasepoint: Uint8Array;
  readonly firstPerCommitmentPoint: Uint8Array;
}

/** @see BOLT 2 "The `funding_created` Message" */
export interface FundingCreated {
  readonly type: 'funding_created';
  readonly temporaryChannelId: ChannelIdHex;
  /** Display (RPC) hex of the funding transaction's id. */
  readonly fundingTxid: string;
  readonly fundingOutputIndex: number;
  /** The funder's signature on the acceptor's first commitment transaction. */
  readonly signature: Uint8Array;
}

/** @see BOLT 2 "The `funding_signed` Message" */
export interface FundingSigned {
  readonly type: 'funding_signed';
  readonly channelId: ChannelIdHex;
  /** The acceptor's signature on the funder's first commitment transaction. */
  readonly signature: Uint8Array;
}

/** @see BOLT 2 "The `channel_ready` Message" */
export interface ChannelReady {
  readonly type: 'channel_ready';
  readonly channelId: ChannelIdHex;
  /** The sender's per-commitment point for commitment number 1. */
  readonly secondPerCommitmentPoint: Uint8Array;
}

/**
 * What one hop is told to do with an HTLC: a plain stand-in for BOLT 4's per-hop payload. The workshop has
 * no Sphinx onion (no encryption, no BOLT 4 packet): every hop can read the whole route.
 * @see BOLT 4 "Packet Structure"
 */
export interface HopPayload {
  /** The channel to forward over; absent for the final hop. */
  readonly shortChannelId?: bigint;
  readonly amtToForwardMsat: bigint;
  readonly outgoingCltvValue: number;
}

/** The route's hop payloads, the receiving node's first. */
export interface OnionPacket {
  readonly hops: readonly HopPayload[];
}

/** @see BOLT 2 "Adding an HTLC: `update_add_htlc`" */
export interface UpdateAddHtlc {
  readonly type: 'update_add_htlc';
  readonly channelId: ChannelIdHex;
  readonly id: bigint;
  readonly amountMsat: bigint;
  readonly paymentHash: Uint8Array;
  readonly cltvExpiry: number;
  readonly onionRoutingPacket: OnionPacket;
}

/** @see BOLT 2 "Removing an HTLC: `update_fulfill_htlc`, `update_fail_htlc`, and `update_fail_malformed_htlc`" */
export interface UpdateFulfillHtlc {
  readonly type: 'update_fulfill_htlc';
  readonly channelId: ChannelIdHex;
  readonly id: bigint;
  readonly paymentPreimage: Uint8Array;
}

/**
 * Why an HTLC failed, by BOLT 4 failure name. Sent in clear (BOLT 4 encrypts it back to the payer).
 * @see BOLT 4 "Failure Messages"
 */
export type HtlcFailureCode =
  | 'incorrect_or_unknown_payment_details'
  | 'fee_insufficient'
  | 'incorrect_cltv_expiry'
  | 'expiry_too_soon'
  | 'unknown_next_peer'
  | 'temporary_channel_failure'
  | 'final_incorrect_htlc_amount';

/** @see BOLT 2 "Removing an HTLC: `update_fulfill_htlc`, `update_fail_htlc`, and `update_fail_malformed_htlc`" */
export interface UpdateFailHtlc {
  readonly type: 'update_fail_htlc';
  readonly channelId: ChannelIdHex;
  readonly id: bigint;
  readonly reason: { readonly code: HtlcFailureCode; readonly detail: string };
}

/** @see BOLT 2 "Committing Updates So Far: `commitment_signed`" */
export interface CommitmentSigned {
  readonly type: 'commitment_signed';
  readonly channelId: ChannelIdHex;
  readonly signature: Uint8Array;
  /** One per HTLC output of the receiver's new commitment, in output order. */
  readonly htlcSignatures: readonly Uint8Array[];
}

/** @see BOLT 2 "Completing the Transition to the Updated State: `revoke_and_ack`" */
export interface RevokeAndAck {
  readonly type: 'revoke_and_ack';
  readonly channelId: ChannelIdHex;
  readonly perCommitmentSecret: Uint8Array;
  readonly nextPerCommitmentPoint: Uint8Array;
}

/** @see BOLT 2 "Closing Initiation: `shutdown`" */
export interface Shutdown {
  readonly type: 'shutdown';
  readonly channelId: ChannelIdHex;
  readonly scriptpubkey: Uint8Array;
}

/** @see BOLT 2 "Closing Negotiation: `closing_signed`" */
export interface ClosingSigned {
  readonly type: 'closing_signed';
  readonly channelId: ChannelIdHex;
  readonly feeSatoshis: bigint;
  readonly signature: Uint8Array;
}

/** @see BOLT 1 "The `error` and `warning` Messages" */
export interface ErrorMessage {
  readonly type: 'error';
  /** All zeroes: every channel with the sender. */
  readonly channelId: ChannelIdHex;
  readonly data: string;
}

/** Messages about one channel, between its two peers. */
export type ChannelMessage =
  | OpenChannel
  | AcceptChannel
  | FundingCreated
  | FundingSigned
  | ChannelReady
  | UpdateAddHtlc
  | UpdateFulfillHtlc
  | UpdateFailHtlc
  | CommitmentSigned
  | RevokeAndAck
  | Shutdown
  | ClosingSigned;

/** Gossip (BOLT 7), carried on the same links. */
export type GossipMessage = AnnouncementSignatures | ChannelAnnouncement | ChannelUpdate;

/** Everything one node may send another. */
export type PeerMessage = ChannelMessage | ErrorMessage | GossipMessage;

/** The `type` of every message, for validation and dispatch. */
export type PeerMessageType = PeerMessage['type'];

/** A `channel_id` of all zeroes: an `error` about every channel with the sender. */
export const ALL_CHANNELS_ID: ChannelIdHex = '00'.repeat(32);
