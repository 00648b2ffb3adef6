/**
 * Both sides' commitment transactions for one channel state. A channel has two commitment transactions
 * per state, one owned by each peer: same balances and HTLCs, mirrored roles, the owner's dust limit and
 * the delay the *other* side imposed. This module maps a holder-centred view of the channel onto
 * `buildCommitmentTx`'s owner-centred ("local"/"remote") parameters, so a ChannelManager never has to.
 * @see BOLT 3 "Commitment Transaction"
 */
import type { Transaction } from 'bitcoinjs-lib';
import { assertIntRange, bytesToHex } from './bytes.js';
import { buildCommitmentTx, commitmentObscuringFactor, type CommitmentTransaction, type FeeShortfallPolicy } from './commitment.js';
import { deriveCommitmentKeys } from './commitment-keys.js';
import { InvalidSignatureError } from './errors.js';
import type { FeeratePerKw } from './fees.js';
import {
  fundingOutput,
  signFundingSpend,
  verifyFundingSignature,
  withFundingWitness,
  type FundingOutput,
  type FundingSpend,
} from './funding.js';
import { assertPublicKey } from './keys.js';
import { DEFAULT_CHANNEL_TYPE, MAX_TO_SELF_DELAY, type ChannelPublicKeys, type ChannelType, type OutPoint } from './types.js';

/**
 * The two parties of a channel, from our node's point of view.
 * @see BOLT 3 "Commitment Transaction"
 */
export type ChannelSide = 'holder' | 'counterparty';

/**
 * One party's fixed channel parameters.
 * @see BOLT 3 "Commitment Transaction"
 */
export interface ChannelPartyParameters {
  readonly pubkeys: ChannelPublicKeys;
  /**
   * Blocks this party waits to spend its own `to_local` from its own commitment. Note the direction:
   * it is the `to_self_delay` the *other* party sent in `open_channel` / `accept_channel`.
   */
  readonly toSelfDelay: number;
  /** This party's `dust_limit_satoshis`, applied to its own commitment transaction. */
  readonly dustLimitSat: bigint;
}

/**
 * What both peers agreed when opening the channel. Fixed for its lifetime.
 * @see BOLT 3 "Commitment Transaction"
 */
export interface ChannelParameters {
  readonly fundingOutpoint: OutPoint;
  readonly channelValueSat: bigint;
  /** Who sent `open_channel`: pays the commitment fees, and its payment basepoint is hashed first. */
  readonly funder: ChannelSide;
  readonly holder: ChannelPartyParameters;
  readonly counterparty: ChannelPartyParameters;
  /** Defaults to `static_remotekey`. */
  readonly channelType?: ChannelType;
}

/**
 * An HTLC as the channel sees it: who offered it, rather than which commitment side it sits on.
 * @see BOLT 3 "Commitment Transaction"
 */
export interface ChannelHtlc {
  readonly offeredBy: ChannelSide;
  readonly amountMsat: bigint;
  readonly paymentHash: Uint8Array;
  readonly cltvExpiry: number;
}

/**
 * One state of the channel: the same on both sides' commitment number `commitmentNumber`.
 * @see BOLT 3 "Commitment Transaction"
 */
export interface ChannelState {
  readonly commitmentNumber: bigint;
  readonly holderBalanceMsat: bigint;
  readonly counterpartyBalanceMsat: bigint;
  readonly feeratePerKw: FeeratePerKw;
  readonly htlcs: readonly ChannelHtlc[];
}

/**
 * Options for building a commitment.
 * @see BOLT 3 "Commitment Transaction"
 */
export interface BuildCommitmentOptions {
  /** Defaults to `reject`: throw `FeeTooHighError` if the funder cannot pay the fee. */
  readonly feeShortfall?: FeeShortfallPolicy;
}

/**
 * The other side.
 * @see BOLT 3 "Commitment Transaction"
 */
export function otherSide(side: ChannelSide): ChannelSide {
  return side === 'holder' ? 'counterparty' : 'holder';
}

/**
 * The channel's funding output (2-of-2 of both funding keys, the channel value): what to find in the
 * funding transaction and to watch for spends.
 * @see BOLT 3 "Funding Transaction Output"
 */
export function channelFundingOutput(params: ChannelParameters): FundingOutput {
  return fundingOutput(params.holder.pubkeys.fundingPubkey, params.counterparty.pubkeys.fundingPubkey, params.channelValueSat);
}

/**
 * The channel's commitment-number obscuring factor: the opener's payment basepoint is hashed first.
 * @see BOLT 3 "Commitment Transaction"
 */
export function channelObscuringFactor(params: ChannelParameters): bigint {
  const opener = params[params.funder].pubkeys.paymentBasepoint;
  const accepter = params[otherSide(params.funder)].pubkeys.paymentBasepoint;
  return commitmentObscuringFactor(opener, accepter);
}

/**
 * The commitment transaction owned by `owner` for `state`, built with `owner`'s per-commitment point for
 * that commitment number (ours from `ChannelKeys.perCommitmentPoint`, theirs as received in BOLT 2
 * messages). Throws what `buildCommitmentTx` throws.
 * @see BOLT 3 "Commitment Transaction Construction"
 */
export function buildChannelCommitment(
  params: ChannelParameters,
  owner: ChannelSide,
  state: ChannelState,
  ownerPerCommitmentPoint: Uint8Array,
  options: BuildCommitmentOptions = {},
): CommitmentTransaction {
  assertChannelParameters(params);
  const other = otherSide(owner);
  const ownerParty = params[owner];
  const otherParty = params[other];
  const balanceMsat = (side: ChannelSide) => (side === 'holder' ? state.holderBalanceMsat : state.counterpartyBalanceMsat);
  return buildCommitmentTx({
    fundingOutpoint: params.fundingOutpoint,
    fundingAmountSat: params.channelValueSat,
    localFundingPubkey: ownerParty.pubkeys.fundingPubkey,
    remoteFundingPubkey: otherParty.pubkeys.fundingPubkey,
    commitmentNumber: state.commitmentNumber,
    obscuringFactor: channelObscuringFactor(params),
    keys: deriveCommitmentKeys(ownerPerCommitmentPoint, ownerParty.pubkeys, otherParty.pubkeys),
    toSelfDelay: ownerParty.toSelfDelay,
    dustLimitSat: ownerParty.dustLimitSat,
    feeratePerKw: state.feeratePerKw,
    toLocalMsat: balanceMsat(owner),
    toRemoteMsat: balanceMsat(other),
    htlcs: state.htlcs.map((htlc) => ({
      direction: htlc.offeredBy === owner ? 'offered' : 'received',
      amountMsat: htlc.amountMsat,
      paymentHash: htlc.paymentHash,
      cltvExpiry: htlc.cltvExpiry,
    })),
    funder: params.funder === owner ? 'local' : 'remote',
    channelType: params.channelType ?? DEFAULT_CHANNEL_TYPE,
    feeShortfall: options.feeShortfall ?? 'reject',
  });
}

/**
 * Our commitment for `state` (the one we can broadcast).
 * @see BOLT 3 "Commitment Transaction Construction"
 */
export function buildHolderCommitment(
  params: ChannelParameters,
  state: ChannelState,
  holderPerCommitmentPoint: Uint8Array,
  options?: BuildCommitmentOptions,
): CommitmentTransaction {
  return buildChannelCommitment(params, 'holder', state, holderPerCommitmentPoint, options);
}

/**
 * The counterparty's commitment for `state` (the one we sign and send in `commitment_signed`).
 * @see BOLT 3 "Commitment Transaction Construction"
 */
export function buildCounterpartyCommitment(
  params: ChannelParameters,
  state: ChannelState,
  counterpartyPerCommitmentPoint: Uint8Array,
  options?: BuildCommitmentOptions,
): CommitmentTransaction {
  return buildChannelCommitment(params, 'counterparty', state, counterpartyPerCommitmentPoint, options);
}

/**
 * Our funding-key signature (DER + SIGHASH_ALL) on a commitment transaction, either side's.
 * @see BOLT 3 "Commitment Transaction"
 */
export function signCommitment(commitment: CommitmentTransaction, fundingSecret: Uint8Array): Uint8Array {
  return signFundingSpend(fundingSpendOf(commitment), fundingSecret);
}

/**
 * True when `signature` by `fundingPubkey` is valid on this commitment transaction.
 * @see BOLT 3 "Commitment Transaction"
 */
export function verifyCommitmentSignature(commitment: CommitmentTransaction, signature: Uint8Array, fundingPubkey: Uint8Array): boolean {
  return verifyFundingSignature(fundingSpendOf(commitment), signature, fundingPubkey);
}

/**
 * Throws `InvalidSignatureError` unless the counterparty's `signature` verifies on our commitment.
 * Call it on every `commitment_signed` before revoking the previous state: without a valid signature
 * the new commitment cannot be broadcast, so revoking the old one would leave us nothing safe to publish.
 * @see BOLT 3 "Commitment Transaction"
 */
export function assertCounterpartyCommitmentSignature(
  params: ChannelParameters,
  holderCommitment: CommitmentTransaction,
  signature: Uint8Array,
): void {
  const counterpartyFundingPubkey = params.counterparty.pubkeys.fundingPubkey;
  if (!verifyCommitmentSignature(holderCommitment, signature, counterpartyFundingPubkey)) {
    throw new InvalidSignatureError(
      `holder commitment #${holderCommitment.params.commitmentNumber}`,
      `a valid signature by the counterparty funding key ${bytesToHex(counterpartyFundingPubkey)}`,
      `one that does not verify (commitment txid ${holderCommitment.tx.getId()})`,
    );
  }
}

/**
 * A broadcastable copy of `commitment` carrying both funding signatures in script order.
 * @see BOLT 3 "Commitment Transaction"
 */
export function finalizeCommitment(
  params: ChannelParameters,
  commitment: CommitmentTransaction,
  holderSignature: Uint8Array,
  counterpartySignature: Uint8Array,
): Transaction {
  return withFundingWitness(
    fundingSpendOf(commitment),
    { fundingPubkey: params.holder.pubkeys.fundingPubkey, signature: holderSignature },
    { fundingPubkey: params.counterparty.pubkeys.fundingPubkey, signature: counterpartySignature },
  );
}

/**
 * Validates a `ChannelParameters`: keys, delays, dust limits and value. Returns it.
 * @see BOLT 3 "Commitment Transaction"
 */
export function assertChannelParameters(params: ChannelParameters): ChannelParameters {
  if (typeof params.channelValueSat !== 'bigint' || params.channelValueSat <= 0n) {
    throw new RangeError(`ChannelParameters.channelValueSat: expected a positive bigint, got ${String(params.channelValueSat)}`);
  }
  if (params.funder !== 'holder' && params.funder !== 'counterparty') {
    throw new TypeError(`ChannelParameters.funder: expected "holder" or "counterparty", got ${JSON.stringify(params.funder)}`);
  }
  for (const side of ['holder', 'counterparty'] as const) {
    const party = params[side];
    for (const name of ['fundingPubkey', 'revocationBasepoint', 'paymentBasepoint', 'delayedPaymentBasepoint', 'htlcBasepoint'] as const) {
      assertPublicKey(party.pubkeys[name], `ChannelParameters.${side}.pubkeys.${name}`);
    }
    assertIntRange(party.toSelfDelay, 0, MAX_TO_SELF_DELAY, `ChannelParameters.${side}.toSelfDelay`);
    if (typeof party.dustLimitSat !== 'bigint' || party.dustLimitSat < 0n) {
      throw new RangeError(`ChannelParameters.${side}.dustLimitSat: expected a non-negative bigint, got ${String(party.dustLimitSat)}`);
    }
  }
  return params;
}

function fundingSpendOf(commitment: CommitmentTransaction): FundingSpend {
  return { tx: commitment.tx, inputIndex: 0, funding: commitment.funding };
}
