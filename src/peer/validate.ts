/**
 * `validatePeerMessage`: what a BOLT decoder checks before any channel logic sees a message — the type is
 * known, every field is present with the right type, length and range, every key is a curve point. It
 * does not check meaning (a signature's validity, an amount against a balance): the channel does that.
 * @see BOLT 1 "Lightning Message Format"
 */
import { BYTES_32, FieldReader } from './fields.js';
import { MalformedMessageError } from './errors.js';
import type { HtlcFailureCode, PeerMessage, PeerMessageType } from './messages.js';

/** BOLT 2 caps `max_accepted_htlcs` (and so the HTLC signatures of one commitment) at 483. */
export const MAX_HTLCS_PER_COMMITMENT = 483;
/** BOLT 4 routes have at most 20 hops. */
export const MAX_ROUTE_HOPS = 20;
/** `error.data` is a u16-length byte string. */
const MAX_ERROR_DATA = 0xffff;
/** `features` is a u16-length byte string. */
const MAX_FEATURES_BYTES = 0xffff;

const FAILURE_CODES: ReadonlySet<HtlcFailureCode> = new Set([
  'incorrect_or_unknown_payment_details',
  'fee_insufficient',
  'incorrect_cltv_expiry',
  'expiry_too_soon',
  'unknown_next_peer',
  'temporary_channel_failure',
  'final_incorrect_htlc_amount',
]);

/**
 * Whether `script` is a `shutdown` script BOLT 2 accepts: P2PKH, P2SH, P2WPKH, P2WSH, or a witness
 * program of version 1 to 16.
 * @see BOLT 2 "Closing Initiation: `shutdown`"
 */
export function isStandardShutdownScript(script: Uint8Array): boolean {
  const [first, second] = [script[0], script[1]];
  const p2pkh = script.length === 25 && first === 0x76 && second === 0xa9 && script[2] === 0x14 && script[23] === 0x88 && script[24] === 0xac;
  const p2sh = script.length === 23 && first === 0xa9 && second === 0x14 && script[22] === 0x87;
  const p2wpkh = script.length === 22 && first === 0x00 && second === 0x14;
  const p2wsh = script.length === 34 && first === 0x00 && second === 0x20;
  const futureWitness =
    first !== undefined && second !== undefined && first >= 0x51 && first <= 0x60 && second >= 2 && second <= 40 && script.length === second + 2;
  return p2pkh || p2sh || p2wpkh || p2wsh || futureWitness;
}

type Checker = (r: FieldReader) => void;

const openAndAcceptCommon: Checker = (r) => {
  r.hex32('temporaryChannelId');
  r.u64('dustLimitSatoshis');
  r.u64('maxHtlcValueInFlightMsat');
  r.u64('channelReserveSatoshis');
  r.u64('htlcMinimumMsat');
  r.u16('toSelfDelay');
  r.u16('maxAcceptedHtlcs');
  for (const key of ['fundingPubkey', 'revocationBasepoint', 'paymentBasepoint', 'delayedPaymentBasepoint', 'htlcBasepoint', 'firstPerCommitmentPoint']) {
    r.pubkey(key);
  }
};

const CHECKERS: Readonly<Record<PeerMessageType, Checker>> = {
  open_channel: (r) => {
    openAndAcceptCommon(r);
    r.bytes('chainHash', BYTES_32);
    r.u64('fundingSatoshis', 1n);
    r.u64('pushMsat');
    r.u32('feeratePerKw');
    r.u8('channelFlags');
  },
  accept_channel: (r) => {
    openAndAcceptCommon(r);
    r.u32('minimumDepth');
  },
  funding_created: (r) => {
    r.hex32('temporaryChannelId');
    r.hex32('fundingTxid');
    r.u16('fundingOutputIndex');
    r.signature('signature');
  },
  funding_signed: (r) => {
    r.hex32('channelId');
    r.signature('signature');
  },
  channel_ready: (r) => {
    r.hex32('channelId');
    r.pubkey('secondPerCommitmentPoint');
  },
  update_add_htlc: (r) => {
    r.hex32('channelId');
    r.u64('id');
    r.u64('amountMsat', 1n);
    r.bytes('paymentHash', BYTES_32);
    r.u32('cltvExpiry');
    const onion = r.nested('onionRoutingPacket');
    const hops = onion.array('hops', MAX_ROUTE_HOPS);
    if (hops.length === 0) onion.fail('hops', 'at least one hop payload', hops);
    hops.forEach((_, i) => {
      const hop = onion.nested('hops').nested(String(i));
      if (hop.raw('shortChannelId') !== undefined) hop.u64('shortChannelId');
      hop.u64('amtToForwardMsat', 1n);
      hop.u32('outgoingCltvValue');
    });
  },
  update_fulfill_htlc: (r) => {
    r.hex32('channelId');
    r.u64('id');
    r.bytes('paymentPreimage', BYTES_32);
  },
  update_fail_htlc: (r) => {
    r.hex32('channelId');
    r.u64('id');
    const reason = r.nested('reason');
    const code = reason.raw('code');
    if (!FAILURE_CODES.has(code as HtlcFailureCode)) reason.fail('code', `one of ${[...FAILURE_CODES].join(', ')}`, code);
    reason.string('detail', MAX_ERROR_DATA);
  },
  commitment_signed: (r) => {
    r.hex32('channelId');
    r.signature('signature');
    const sigs = r.array('htlcSignatures', MAX_HTLCS_PER_COMMITMENT);
    sigs.forEach((_, i) => r.nested('htlcSignatures').signature(String(i)));
  },
  revoke_and_ack: (r) => {
    r.hex32('channelId');
    r.bytes('perCommitmentSecret', BYTES_32);
    r.pubkey('nextPerCommitmentPoint');
  },
  shutdown: (r) => {
    r.hex32('channelId');
    const script = r.bytes('scriptpubkey');
    if (!isStandardShutdownScript(script)) r.fail('scriptpubkey', 'a P2PKH, P2SH, P2WPKH, P2WSH or witness v1+ script', script);
  },
  closing_signed: (r) => {
    r.hex32('channelId');
    r.u64('feeSatoshis');
    r.signature('signature');
  },
  error: (r) => {
    r.hex32('channelId');
    r.string('data', MAX_ERROR_DATA);
  },
  announcement_signatures: (r) => {
    r.hex32('channelId');
    r.u64('shortChannelId');
    r.signature('nodeSignature');
    r.signature('bitcoinSignature');
  },
  channel_announcement: (r) => {
    for (const sig of ['nodeSignature1', 'nodeSignature2', 'bitcoinSignature1', 'bitcoinSignature2']) r.signature(sig);
    const features = r.bytes('features');
    if (features.length > MAX_FEATURES_BYTES) r.fail('features', `at most ${MAX_FEATURES_BYTES} bytes`, features);
    r.bytes('chainHash', BYTES_32);
    r.u64('shortChannelId');
    for (const key of ['nodeId1', 'nodeId2', 'bitcoinKey1', 'bitcoinKey2']) r.pubkey(key);
  },
  channel_update: (r) => {
    r.signature('signature');
    r.bytes('chainHash', BYTES_32);
    r.u64('shortChannelId');
    r.u32('timestamp');
    r.u8('messageFlags');
    r.u8('channelFlags');
    r.u16('cltvExpiryDelta');
    r.u64('htlcMinimumMsat');
    r.u32('feeBaseMsat');
    r.u32('feeProportionalMillionths');
    r.u64('htlcMaximumMsat');
  },
};

/**
 * Checks an untrusted object is a well-formed peer message and returns it typed. Throws
 * `MalformedMessageError` (naming the message type and field) otherwise.
 * @see BOLT 1 "Lightning Message Format"
 */
export function validatePeerMessage(raw: unknown): PeerMessage {
  if (typeof raw !== 'object' || raw === null) {
    throw new MalformedMessageError('message', 'type', 'an object with a known `type`', raw === null ? 'null' : typeof raw);
  }
  const type = (raw as { type?: unknown }).type;
  const checker = typeof type === 'string' && Object.hasOwn(CHECKERS, type) ? CHECKERS[type as PeerMessageType] : undefined;
  if (!checker) {
    throw new MalformedMessageError('message', 'type', `one of ${Object.keys(CHECKERS).join(', ')}`, JSON.stringify(type) ?? String(type));
  }
  checker(new FieldReader(type as string, raw as Record<string, unknown>));
  return raw as PeerMessage;
}

/** The channel a message concerns (its `channel_id` or `temporary_channel_id`), or `undefined` for gossip. */
export function messageChannelId(message: PeerMessage): string | undefined {
  if ('channelId' in message) return message.channelId;
  if ('temporaryChannelId' in message) return message.temporaryChannelId;
  return undefined;
}
