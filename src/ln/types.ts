/**
 * Value types shared by the BOLT 3 builders. Amounts are `bigint` with their unit in the name; heights
 * and delays are `number` because Bitcoin stores them in 32-bit fields.
 */
import { assertBytes, assertIntRange, hexToBytes } from './bytes.js';

/**
 * A transaction output reference. `txid` is the usual display hex (as an RPC or block explorer shows
 * it); the serialized input holds those bytes reversed.
 * @see BOLT 3 "Commitment Transaction"
 */
export interface OutPoint {
  readonly txid: string;
  readonly vout: number;
}

/** Bitcoin's largest output index we accept: inputs store it in 32 bits. */
const MAX_VOUT = 0xffff_ffff;
/** A txid is a SHA256d: 32 bytes, 64 hex characters. */
const TXID_HEX_LENGTH = 64;

/**
 * The 32 bytes a transaction input stores for `outpoint.txid` (display hex reversed).
 * @see BOLT 3 "Commitment Transaction"
 */
export function outPointHash(outpoint: OutPoint, context = 'outpoint'): Uint8Array {
  if (typeof outpoint?.txid !== 'string' || !/^[0-9a-fA-F]+$/.test(outpoint.txid) || outpoint.txid.length !== TXID_HEX_LENGTH) {
    throw new TypeError(`${context}.txid: expected ${TXID_HEX_LENGTH} hex characters, got ${JSON.stringify(outpoint?.txid)}`);
  }
  assertIntRange(outpoint.vout, 0, MAX_VOUT, `${context}.vout`);
  return hexToBytes(outpoint.txid).reverse();
}

/**
 * Which commitment format the channel negotiated (BOLT 9 feature bits):
 * - `static_remotekey`: `to_remote` is P2WPKH to the remote payment basepoint (Appendix C's vectors);
 * - `anchors_zero_fee_htlc_tx`: two 330-sat anchor outputs, `to_remote` and HTLC outputs gain a 1-block
 *   CSV, and HTLC transactions carry no fee (Appendix F's vectors).
 * @see BOLT 3 "Commitment Transaction Outputs"
 */
export type ChannelType = 'static_remotekey' | 'anchors_zero_fee_htlc_tx';

/**
 * The default channel type: the one BOLT 3 Appendix C's vectors use.
 * @see BOLT 3 "Commitment Transaction Outputs"
 */
export const DEFAULT_CHANNEL_TYPE: ChannelType = 'static_remotekey';

/**
 * Which side of a commitment transaction an HTLC is on, seen by the commitment's owner (the party that
 * can broadcast it, BOLT 3's "local"): `offered` pays the counterparty on preimage, `received` pays the
 * owner on preimage.
 * @see BOLT 3 "Offered HTLC Outputs"
 */
export type HtlcDirection = 'offered' | 'received';

/**
 * An HTLC as one commitment transaction sees it.
 * @see BOLT 3 "Offered HTLC Outputs"
 */
export interface CommitmentHtlc {
  readonly direction: HtlcDirection;
  readonly amountMsat: bigint;
  /** SHA256 of the payment preimage, 32 bytes. */
  readonly paymentHash: Uint8Array;
  /** Absolute block height after which the offerer can time it out. */
  readonly cltvExpiry: number;
}

/**
 * The five long-lived public keys each side announces in `open_channel` / `accept_channel`.
 * @see BOLT 3 "Key Derivation"
 */
export interface ChannelPublicKeys {
  readonly fundingPubkey: Uint8Array;
  readonly revocationBasepoint: Uint8Array;
  readonly paymentBasepoint: Uint8Array;
  readonly delayedPaymentBasepoint: Uint8Array;
  readonly htlcBasepoint: Uint8Array;
}

/**
 * Largest block height / locktime: nLockTime is a uint32.
 * @see BOLT 3 "Received HTLC Outputs"
 */
export const MAX_CLTV_EXPIRY = 0xffff_ffff;
/**
 * BOLT 2 carries `to_self_delay` as a u16.
 * @see BOLT 3 "`to_local` Output"
 */
export const MAX_TO_SELF_DELAY = 0xffff;
/**
 * A payment hash is a SHA256.
 * @see BOLT 3 "Offered HTLC Outputs"
 */
export const PAYMENT_HASH_BYTES = 32;
/**
 * A payment preimage is 32 bytes; its SHA-256 is the payment hash. HTLC scripts tell a preimage from a
 * signature by this size (`OP_SIZE 32 OP_EQUAL`).
 * @see BOLT 2 `update_fulfill_htlc`; BOLT 3 "Offered HTLC Outputs"
 */
export const PAYMENT_PREIMAGE_BYTES = 32;

/**
 * Validates one HTLC's fields; returns it.
 * @see BOLT 3 "Offered HTLC Outputs"
 */
export function assertHtlc(htlc: CommitmentHtlc, context: string): CommitmentHtlc {
  if (htlc?.direction !== 'offered' && htlc?.direction !== 'received') {
    throw new TypeError(`${context}.direction: expected "offered" or "received", got ${JSON.stringify(htlc?.direction)}`);
  }
  if (typeof htlc.amountMsat !== 'bigint' || htlc.amountMsat < 0n) {
    throw new RangeError(`${context}.amountMsat: expected a non-negative bigint, got ${String(htlc.amountMsat)}`);
  }
  assertBytes(htlc.paymentHash, PAYMENT_HASH_BYTES, `${context}.paymentHash`);
  assertIntRange(htlc.cltvExpiry, 0, MAX_CLTV_EXPIRY, `${context}.cltvExpiry`);
  return htlc;
}
