/**
 * The commitment transaction: spends the funding output to the current channel state, one version per
 * side. Built exactly as BOLT 3 "Commitment Transaction Construction" lists it: trim HTLCs, take the fee
 * from the funder, add the untrimmed outputs, sort them (BIP 69, then CLTV), obscure the commitment number
 * into locktime and sequence. Any byte that differs from the peer's version invalidates their signature.
 * @see BOLT 3 "Commitment Transaction"
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { Transaction } from 'bitcoinjs-lib';
import { assertBigIntRange, assertIntRange, bytesToBigIntBE, compareBytes } from './bytes.js';
import type { CommitmentKeys } from './commitment-keys.js';
import { AmountMismatchError, FeeTooHighError } from './errors.js';
import { ANCHOR_OUTPUT_VALUE_SAT, commitmentTxBaseFeeSat, isHtlcTrimmed, MSAT_PER_SAT, toFeeratePerKw, type FeeratePerKw } from './fees.js';
import { fundingOutput, type FundingOutput } from './funding.js';
import { assertPublicKey } from './keys.js';
import {
  anchorScript,
  offeredHtlcScript,
  p2wshScriptPubKey,
  receivedHtlcScript,
  toLocalScript,
  toRemoteAnchorsScript,
  toRemoteScriptPubKey,
} from './scripts.js';
import { FIRST_PER_COMMITMENT_INDEX } from './secrets.js';
import { assertHtlc, DEFAULT_CHANNEL_TYPE, MAX_TO_SELF_DELAY, outPointHash, type ChannelType, type CommitmentHtlc, type OutPoint } from './types.js';

/**
 * Commitment transactions are version 2 so that OP_CSV (BIP 68/112) applies to their outputs' spends.
 * @see BOLT 3 "Commitment Transaction"
 */
export const COMMITMENT_TX_VERSION = 2;
/**
 * Upper 8 bits of a commitment's nLockTime: 0x20 makes it a past timestamp (always final) yet recognisable.
 * @see BOLT 3 "Commitment Transaction"
 */
export const COMMITMENT_LOCKTIME_MARKER = 0x20;
/**
 * Upper 8 bits of its input's nSequence: 0x80 sets the BIP 68 disable flag, so no relative lock applies.
 * @see BOLT 3 "Commitment Transaction"
 */
export const COMMITMENT_SEQUENCE_MARKER = 0x80;
/** The obscured number is split 24/24 between locktime and sequence. */
const HALF_BITS = 24n;
const LOWER_24_BITS = (1n << HALF_BITS) - 1n;
/** The obscuring factor is the lower 48 bits (last 6 bytes) of a SHA256. */
const OBSCURING_FACTOR_BYTES = 6;
/** Shift placing a marker in the top byte of a 32-bit field. */
const MARKER_SHIFT = 24;

/**
 * Who pays the commitment fee (the channel opener), named from the commitment owner's side.
 * @see BOLT 3 "Commitment Transaction"
 */
export type CommitmentFunder = 'local' | 'remote';

/**
 * What to do when the base fee (plus anchors) exceeds the funder's balance. BOLT 3 builds the
 * transaction anyway, spending the funder's whole output on fees (Appendix C's "fee greater than funder
 * amount" vector); BOLT 2 forbids reaching that state, so the default refuses with `FeeTooHighError`.
 * @see BOLT 3 "Fee Payment"
 */
export type FeeShortfallPolicy = 'reject' | 'use-entire-funder-output';

/**
 * Everything a commitment transaction depends on; "local" is its owner, as in BOLT 3.
 * @see BOLT 3 "Commitment Transaction Construction"
 */
export interface CommitmentTxParams {
  readonly fundingOutpoint: OutPoint;
  readonly fundingAmountSat: bigint;
  readonly localFundingPubkey: Uint8Array;
  readonly remoteFundingPubkey: Uint8Array;
  /** 0 for the first commitment, counting up (48 bits). */
  readonly commitmentNumber: bigint;
  /** From `commitmentObscuringFactor(opener's payment basepoint, accepter's payment basepoint)`. */
  readonly obscuringFactor: bigint;
  readonly keys: CommitmentKeys;
  /** Blocks the owner waits to spend `to_local` (the `to_self_delay` the *other* side asked for). */
  readonly toSelfDelay: number;
  /** The owner's `dust_limit_satoshis`. */
  readonly dustLimitSat: bigint;
  readonly feeratePerKw: FeeratePerKw;
  readonly toLocalMsat: bigint;
  readonly toRemoteMsat: bigint;
  readonly htlcs: readonly CommitmentHtlc[];
  readonly funder: CommitmentFunder;
  /** Defaults to `static_remotekey`. */
  readonly channelType?: ChannelType;
  /** Defaults to `reject`. */
  readonly feeShortfall?: FeeShortfallPolicy;
}

/**
 * The kinds of commitment outputs.
 * @see BOLT 3 "Commitment Transaction Outputs"
 */
export type CommitmentOutputKind = 'to_local' | 'to_remote' | 'offered_htlc' | 'received_htlc' | 'to_local_anchor' | 'to_remote_anchor';

/**
 * One output of the built transaction, with what is needed to spend it later.
 * @see BOLT 3 "Commitment Transaction Outputs"
 */
export interface CommitmentOutput {
  readonly kind: CommitmentOutputKind;
  readonly outputIndex: number;
  readonly amountSat: bigint;
  readonly scriptPubKey: Uint8Array;
  /** The P2WSH witness script; `undefined` for the P2WPKH `to_remote` of a `static_remotekey` channel. */
  readonly witnessScript: Uint8Array | undefined;
  /** The HTLC behind an HTLC output; `undefined` for the others. */
  readonly htlc: CommitmentHtlc | undefined;
}

/**
 * A built, unsigned commitment transaction and its bookkeeping.
 * @see BOLT 3 "Commitment Transaction"
 */
export interface CommitmentTransaction {
  /** Unsigned (no witness). `withFundingWitness` returns a signed copy; do not mutate this one. */
  readonly tx: Transaction;
  readonly params: CommitmentTxParams;
  readonly channelType: ChannelType;
  readonly funding: FundingOutput;
  /** In transaction order. */
  readonly outputs: readonly CommitmentOutput[];
  /** HTLCs below the dust threshold: no output, their value goes to fees. */
  readonly trimmedHtlcs: readonly CommitmentHtlc[];
  /** The fee the weight formula asks of the funder (BOLT 3's "base fee"). */
  readonly baseFeeSat: bigint;
  /** What the transaction actually pays: inputs minus outputs (base fee plus trimmed amounts). */
  readonly totalFeeSat: bigint;
}

/**
 * The obscuring factor: lower 48 bits of SHA256(opener's payment_basepoint || accepter's payment_basepoint).
 * Order is by role in channel opening, not by who builds the transaction, so both sides get one value.
 * @see BOLT 3 "Commitment Transaction"
 */
export function commitmentObscuringFactor(openerPaymentBasepoint: Uint8Array, accepterPaymentBasepoint: Uint8Array): bigint {
  assertPublicKey(openerPaymentBasepoint, 'commitmentObscuringFactor openerPaymentBasepoint');
  assertPublicKey(accepterPaymentBasepoint, 'commitmentObscuringFactor accepterPaymentBasepoint');
  const digest = sha256(new Uint8Array([...openerPaymentBasepoint, ...accepterPaymentBasepoint]));
  return bytesToBigIntBE(digest.subarray(digest.length - OBSCURING_FACTOR_BYTES));
}

/**
 * Builds the owner's commitment transaction for one channel state (BOLT 3 "Commitment Transaction
 * Construction"). Throws `AmountMismatchError` if balances and HTLCs do not add up to the channel value,
 * and `FeeTooHighError` if the funder cannot pay the fee (unless `feeShortfall` says otherwise).
 * @see BOLT 3 "Commitment Transaction Construction"
 */
export function buildCommitmentTx(params: CommitmentTxParams): CommitmentTransaction {
  const channelType = params.channelType ?? DEFAULT_CHANNEL_TYPE;
  const feeratePerKw = toFeeratePerKw(params.feeratePerKw, 'buildCommitmentTx feeratePerKw');
  const commitmentNumber = assertBigIntRange(params.commitmentNumber, 0n, FIRST_PER_COMMITMENT_INDEX, 'buildCommitmentTx commitmentNumber');
  const funding = fundingOutput(params.localFundingPubkey, params.remoteFundingPubkey, params.fundingAmountSat);
  assertBigIntRange(params.obscuringFactor, 0n, FIRST_PER_COMMITMENT_INDEX, 'buildCommitmentTx obscuringFactor');
  assertIntRange(params.toSelfDelay, 0, MAX_TO_SELF_DELAY, 'buildCommitmentTx toSelfDelay');
  assertBigIntRange(params.dustLimitSat, 0n, params.fundingAmountSat, 'buildCommitmentTx dustLimitSat');
  params.htlcs.forEach((htlc, i) => assertHtlc(htlc, `buildCommitmentTx htlcs[${i}]`));
  assertBalancesAddUp(params);

  // Steps 1–2: trim, then the base fee counts only untrimmed HTLCs.
  const isTrimmed = params.htlcs.map((htlc) => isHtlcTrimmed(htlc, feeratePerKw, params.dustLimitSat, channelType));
  const untrimmed = params.htlcs.filter((_, i) => !isTrimmed[i]);
  const trimmedHtlcs = params.htlcs.filter((_, i) => isTrimmed[i]);
  const baseFeeSat = commitmentTxBaseFeeSat(feeratePerKw, untrimmed.length, channelType);
  const anchorsSat = channelType === 'anchors_zero_fee_htlc_tx' ? 2n * ANCHOR_OUTPUT_VALUE_SAT : 0n;

  // Step 3: the funder pays, with a floor of zero if the policy allows it.
  let toLocalSat = params.toLocalMsat / MSAT_PER_SAT;
  let toRemoteSat = params.toRemoteMsat / MSAT_PER_SAT;
  const funderSat = params.funder === 'local' ? toLocalSat : toRemoteSat;
  const owedSat = baseFeeSat + anchorsSat;
  if (owedSat > funderSat && (params.feeShortfall ?? 'reject') === 'reject') {
    throw new FeeTooHighError(
      `commitment #${commitmentNumber} at ${feeratePerKw} sat/kW`,
      `a fee (plus anchors) within the funder's ${funderSat} sat`,
      `${owedSat} sat`,
    );
  }
  const funderAfterFeeSat = owedSat > funderSat ? 0n : funderSat - owedSat;
  if (params.funder === 'local') toLocalSat = funderAfterFeeSat;
  else toRemoteSat = funderAfterFeeSat;

  // Steps 4–7: the outputs that survive the dust limit, then the anchors they justify.
  const unsorted: Omit<CommitmentOutput, 'outputIndex'>[] = [];
  const keys = params.keys;
  for (const htlc of untrimmed) {
    const scriptKeys = {
      revocationPubkey: keys.revocationPubkey,
      localHtlcPubkey: keys.broadcasterHtlcPubkey,
      remoteHtlcPubkey: keys.countersignatoryHtlcPubkey,
      paymentHash: htlc.paymentHash,
    };
    const witnessScript =
      htlc.direction === 'offered'
        ? offeredHtlcScript(scriptKeys, channelType)
        : receivedHtlcScript(scriptKeys, htlc.cltvExpiry, channelType);
    const kind = htlc.direction === 'offered' ? 'offered_htlc' : 'received_htlc';
    unsorted.push({ kind, amountSat: htlc.amountMsat / MSAT_PER_SAT, scriptPubKey: p2wshScriptPubKey(witnessScript), witnessScript, htlc });
  }
  const hasToLocal = toLocalSat >= params.dustLimitSat;
  const hasToRemote = toRemoteSat >= params.dustLimitSat;
  if (hasToLocal) {
    const witnessScript = toLocalScript(keys.revocationPubkey, params.toSelfDelay, keys.broadcasterDelayedPubkey);
    unsorted.push({ kind: 'to_local', amountSat: toLocalSat, scriptPubKey: p2wshScriptPubKey(witnessScript), witnessScript, htlc: undefined });
  }
  if (hasToRemote) {
    const scriptPubKey = toRemoteScriptPubKey(keys.countersignatoryPaymentPubkey, channelType);
    // Only the anchors form is P2WSH; the static_remotekey form is P2WPKH with no witness script.
    const witnessScript =
      channelType === 'anchors_zero_fee_htlc_tx' ? toRemoteAnchorsScript(keys.countersignatoryPaymentPubkey) : undefined;
    unsorted.push({ kind: 'to_remote', amountSat: toRemoteSat, scriptPubKey, witnessScript, htlc: undefined });
  }
  if (channelType === 'anchors_zero_fee_htlc_tx') {
    // An anchor exists only if its owner has something on this transaction worth bumping.
    if (hasToLocal || untrimmed.length > 0) unsorted.push(anchorOutput('to_local_anchor', params.localFundingPubkey));
    if (hasToRemote || untrimmed.length > 0) unsorted.push(anchorOutput('to_remote_anchor', params.remoteFundingPubkey));
  }
  const outputs = sortOutputs(unsorted).map((output, outputIndex) => Object.freeze({ ...output, outputIndex }));

  const tx = new Transaction();
  tx.version = COMMITMENT_TX_VERSION;
  const obscured = commitmentNumber ^ params.obscuringFactor;
  tx.locktime = ((COMMITMENT_LOCKTIME_MARKER << MARKER_SHIFT) | Number(obscured & LOWER_24_BITS)) >>> 0;
  const sequence = ((COMMITMENT_SEQUENCE_MARKER << MARKER_SHIFT) | Number((obscured >> HALF_BITS) & LOWER_24_BITS)) >>> 0;
  tx.addInput(outPointHash(params.fundingOutpoint, 'buildCommitmentTx fundingOutpoint'), params.fundingOutpoint.vout, sequence);
  for (const output of outputs) tx.addOutput(output.scriptPubKey, output.amountSat);

  const outputTotalSat = outputs.reduce((sum, output) => sum + output.amountSat, 0n);
  return Object.freeze({
    tx,
    params: Object.freeze({ ...params }),
    channelType,
    funding,
    outputs: Object.freeze(outputs),
    trimmedHtlcs: Object.freeze(trimmedHtlcs),
    baseFeeSat,
    totalFeeSat: params.fundingAmountSat - outputTotalSat,
  });
}

/**
 * BOLT 3 output order: BIP 69 (amount, then scriptPubKey bytes), and for identical HTLC outputs (same
 * amount and script, e.g. two offered HTLCs sharing a payment hash) increasing `cltv_expiry`.
 * @see BOLT 3 "Transaction Input and Output Ordering"
 */
export function sortOutputs<T extends { amountSat: bigint; scriptPubKey: Uint8Array; htlc: CommitmentHtlc | undefined }>(
  outputs: readonly T[],
): T[] {
  return [...outputs].sort((a, b) => {
    if (a.amountSat !== b.amountSat) return a.amountSat < b.amountSat ? -1 : 1;
    const byScript = compareBytes(a.scriptPubKey, b.scriptPubKey);
    if (byScript !== 0) return byScript;
    return (a.htlc?.cltvExpiry ?? 0) - (b.htlc?.cltvExpiry ?? 0);
  });
}

function assertBalancesAddUp(params: CommitmentTxParams): void {
  for (const [name, value] of [['toLocalMsat', params.toLocalMsat], ['toRemoteMsat', params.toRemoteMsat]] as const) {
    if (typeof value !== 'bigint' || value < 0n) {
      throw new RangeError(`buildCommitmentTx ${name}: expected a non-negative bigint, got ${String(value)}`);
    }
  }
  const htlcMsat = params.htlcs.reduce((sum, htlc) => sum + htlc.amountMsat, 0n);
  const totalMsat = params.toLocalMsat + params.toRemoteMsat + htlcMsat;
  const channelMsat = params.fundingAmountSat * MSAT_PER_SAT;
  if (totalMsat !== channelMsat) {
    throw new AmountMismatchError(
      `commitment #${params.commitmentNumber} balances`,
      `to_local + to_remote + HTLCs = ${channelMsat} msat (the channel value)`,
      `${params.toLocalMsat} + ${params.toRemoteMsat} + ${htlcMsat} = ${totalMsat} msat`,
    );
  }
}

function anchorOutput(kind: 'to_local_anchor' | 'to_remote_anchor', fundingPubkey: Uint8Array): Omit<CommitmentOutput, 'outputIndex'> {
  const witnessScript = anchorScript(fundingPubkey);
  return { kind, amountSat: ANCHOR_OUTPUT_VALUE_SAT, scriptPubKey: p2wshScriptPubKey(witnessScript), witnessScript, htlc: undefined };
}
