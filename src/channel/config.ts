/**
 * What a node asks of its channels and accepts from its peers, with the workshop's defaults. Values are
 * chosen for a regtest chain where the tests mine every block: short delays, shallow depths.
 * @see BOLT 2 "The `open_channel` Message"
 */

/** Our side of the handshake: what we ask of the counterparty, and what we accept from it. */
import { DUST_LIMIT_SAT } from '../ln/fees.js';
export interface ChannelHandshakeConfig {
  /** Blocks the counterparty must wait to spend its `to_local` after a force close (we ask it). */
  readonly toSelfDelay: number;
  /** The most blocks we accept being asked to wait on our own `to_local`. */
  readonly maxToSelfDelay: number;
  /** Confirmations of the funding transaction before `channel_ready` (what we ask as acceptor). */
  readonly minimumDepth: number;
  readonly dustLimitSat: bigint;
  /** The smallest HTLC we accept. */
  readonly htlcMinimumMsat: bigint;
  /** How many HTLCs the counterparty may have offered us at once. */
  readonly maxAcceptedHtlcs: number;
  /** Smallest channel we accept to open or be opened to us. */
  readonly minFundingSat: bigint;
  /** Whether we accept `open_channel` at all. */
  readonly acceptInboundChannels: boolean;
  /** Whether our channels are announced in gossip (`channel_flags` bit 0). */
  readonly announceChannels: boolean;
}

/** What we charge, and the CLTV margin we need, to forward an HTLC (advertised in `channel_update`). */
export interface ForwardingPolicy {
  readonly feeBaseMsat: number;
  readonly feeProportionalMillionths: number;
  readonly cltvExpiryDelta: number;
}

/** A node's whole channel configuration. */
export interface UserConfig {
  readonly handshake: ChannelHandshakeConfig;
  readonly forwarding: ForwardingPolicy;
}

/** 6 blocks: short enough for a force-close test to mine past it in a second (mainnet nodes ask 144–2016). */
export const DEFAULT_TO_SELF_DELAY = 6;
/** Two weeks of blocks: LDK's cap on a `to_self_delay` it will accept. @see BOLT 2 "The `open_channel` Message" */
export const DEFAULT_MAX_TO_SELF_DELAY = 2016;
/** 1 confirmation: on regtest our own miner makes reorgs impossible (mainnet nodes ask 3–6). */
export const DEFAULT_MINIMUM_DEPTH = 1;
/** 546 sat, Bitcoin Core's P2PKH dust threshold: BOLT 2's recommended `dust_limit_satoshis`. */
export const DEFAULT_DUST_LIMIT_SAT = DUST_LIMIT_SAT;
/** 1 sat: the smallest HTLC worth an output-less entry. */
export const DEFAULT_HTLC_MINIMUM_MSAT = 1_000n;
/** 30 concurrent incoming HTLCs: plenty for the workshop, well under BOLT 2's cap of 483. */
export const DEFAULT_MAX_ACCEPTED_HTLCS = 30;
/** 20,000 sat: below this the commitment fee eats a noticeable share of the channel. */
export const DEFAULT_MIN_FUNDING_SAT = 20_000n;
/**
 * 2^24 - 1 sat: channels above it need the `option_support_large_channel` feature, which we do not offer.
 * @see BOLT 2 "The `open_channel` Message"
 */
export const MAX_FUNDING_SAT = 16_777_215n;
/** BOLT 2 recommends a reserve of 1% of the channel value. @see BOLT 2 "The `open_channel` Message" */
export const CHANNEL_RESERVE_DIVISOR = 100n;
/** 1,000 msat per forward plus 100 ppm (0.01%): a cheap, visible fee. */
export const DEFAULT_FEE_BASE_MSAT = 1_000;
export const DEFAULT_FEE_PROPORTIONAL_MILLIONTHS = 100;
/**
 * 40 blocks of margin per forward: time to claim upstream on chain after learning a preimage downstream
 * (LDK refuses less than 34). @see BOLT 2 "Adding an HTLC: `update_add_htlc`"
 */
export const DEFAULT_CLTV_EXPIRY_DELTA = 40;
/** The final hop wants at least 18 blocks before an HTLC to it expires (BOLT 11's default). @see BOLT 11 */
export const MIN_FINAL_CLTV_EXPIRY_DELTA = 18;
/**
 * 3 blocks of slack: a forwarder refuses an outgoing HTLC expiring within them (no time to settle it),
 * and a payer adds them to the payee's minimum, so that blocks mined while the payment travels do not
 * make the payee refuse it (LDK's `LATENCY_GRACE_PERIOD_BLOCKS`).
 */
export const LATENCY_GRACE_PERIOD_BLOCKS = 3;
/** `cltv_expiry` at or above 500,000,000 would be a timestamp, not a height. @see BOLT 2 "Adding an HTLC: `update_add_htlc`" */
export const CLTV_EXPIRY_TIMESTAMP_THRESHOLD = 500_000_000;

export const DEFAULT_USER_CONFIG: UserConfig = Object.freeze({
  handshake: Object.freeze({
    toSelfDelay: DEFAULT_TO_SELF_DELAY,
    maxToSelfDelay: DEFAULT_MAX_TO_SELF_DELAY,
    minimumDepth: DEFAULT_MINIMUM_DEPTH,
    dustLimitSat: DEFAULT_DUST_LIMIT_SAT,
    htlcMinimumMsat: DEFAULT_HTLC_MINIMUM_MSAT,
    maxAcceptedHtlcs: DEFAULT_MAX_ACCEPTED_HTLCS,
    minFundingSat: DEFAULT_MIN_FUNDING_SAT,
    acceptInboundChannels: true,
    announceChannels: true,
  }),
  forwarding: Object.freeze({
    feeBaseMsat: DEFAULT_FEE_BASE_MSAT,
    feeProportionalMillionths: DEFAULT_FEE_PROPORTIONAL_MILLIONTHS,
    cltvExpiryDelta: DEFAULT_CLTV_EXPIRY_DELTA,
  }),
});

/** A config with some fields overridden. */
export function userConfig(overrides: { handshake?: Partial<ChannelHandshakeConfig>; forwarding?: Partial<ForwardingPolicy> } = {}): UserConfig {
  return Object.freeze({
    handshake: Object.freeze({ ...DEFAULT_USER_CONFIG.handshake, ...overrides.handshake }),
    forwarding: Object.freeze({ ...DEFAULT_USER_CONFIG.forwarding, ...overrides.forwarding }),
  });
}

/** The reserve we ask of a channel of `channelValueSat`: 1%, and never below the dust limit. */
export function channelReserveSat(channelValueSat: bigint, dustLimitSat: bigint): bigint {
  const reserve = channelValueSat / CHANNEL_RESERVE_DIVISOR;
  return reserve < dustLimitSat ? dustLimitSat : reserve;
}

/** The fee a forwarding node charges to forward `amountMsat`: base + amount × proportional / 10^6. @see BOLT 7 "The `channel_update` Message" */
export function forwardingFeeMsat(policy: Pick<ForwardingPolicy, 'feeBaseMsat' | 'feeProportionalMillionths'>, amountMsat: bigint): bigint {
  return BigInt(policy.feeBaseMsat) + (amountMsat * BigInt(policy.feeProportionalMillionths)) / 1_000_000n;
}
