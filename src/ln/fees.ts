/**
 * BOLT 3 fee arithmetic. Both peers must compute the same fee to the satoshi or their signatures will
 * not match, so the spec fixes *expected* weights (assuming 73-byte signatures) instead of measuring.
 * @see BOLT 3 "Fee Calculation"
 */
import { FEERATE_FLOOR_SATS_PER_KW } from '../chain/interfaces.js';
import type { ChannelType, CommitmentHtlc } from './types.js';

/**
 * Feerates are satoshis per 1000 weight units (sat/kW), as `FeeEstimator.getEstSatPer1000Weight` returns.
 * @see BOLT 3 "Fee Calculation"
 */
export type FeeratePerKw = bigint | number;

/**
 * Weight units per "kw" in `feerate_per_kw`.
 * @see BOLT 3 "Fee Calculation"
 */
export const WEIGHT_PER_KW = 1000n;
/**
 * Expected weight of a commitment tx with no HTLC outputs, non-anchor.
 * @see BOLT 3 "Appendix A: Expected Weights"
 */
export const COMMITMENT_TX_BASE_WEIGHT = 724n;
/**
 * The same with anchors: two more 43-byte anchor outputs and a P2WSH `to_remote`.
 * @see BOLT 3 "Appendix A: Expected Weights"
 */
export const COMMITMENT_TX_BASE_WEIGHT_ANCHORS = 1124n;
/**
 * Weight one untrimmed HTLC output adds: 8 value + 1 length + 34 P2WSH bytes, times 4.
 * @see BOLT 3 "Appendix A: Expected Weights"
 */
export const COMMITMENT_TX_WEIGHT_PER_HTLC = 172n;
/**
 * Expected weight of an HTLC-timeout tx, non-anchor.
 * @see BOLT 3 "Fee Calculation"
 */
export const HTLC_TIMEOUT_TX_WEIGHT = 663n;
/**
 * Expected weight of an HTLC-success tx, non-anchor: heavier than HTLC-timeout because the witness carries the 32-byte preimage and the received-HTLC script is longer.
 * @see BOLT 3 "Fee Calculation"
 */
export const HTLC_SUCCESS_TX_WEIGHT = 703n;
/**
 * Each anchor output's value: above every standard dust threshold yet cheap.
 * @see BOLT 3 "`to_local_anchor` and `to_remote_anchor` Output (option_anchors)"
 */
export const ANCHOR_OUTPUT_VALUE_SAT = 330n;
/**
 * Millisatoshis per satoshi; commitment outputs are rounded down to whole satoshis.
 * @see BOLT 3 "Commitment Transaction Outputs"
 */
export const MSAT_PER_SAT = 1000n;
/** The largest feerate the wire can carry: BOLT 2 sends `feerate_per_kw` as a u32. */
export const FEERATE_PER_KW_FIELD_MAX = 0xffff_ffffn;
/**
 * The largest feerate we accept from a counterparty's `open_channel`. BOLT 2 only says to fail a channel
 * whose `feerate_per_kw` is "unreasonably large" and leaves the bound to the node; LDK compares it with its
 * estimator's `MaximumFeeEstimate`. A regtest estimator has no fee market to consult, so the bound is fixed:
 * 400× the relay floor, 101,200 sat/kW (≈ 405 sat/vB), far beyond anything a real peer would propose.
 */
export const MAX_COUNTERPARTY_FEERATE_PER_KW = 400 * FEERATE_FLOOR_SATS_PER_KW;
/**
 * Bitcoin Core's dust threshold for the largest standard output (P2PKH, 34 bytes) at its default dust
 * relay fee of 3 sat/vB: an output below it is not relayed. Also LDK's default `dust_limit_satoshis`.
 */
export const DUST_LIMIT_SAT = 546n;

/**
 * Validates a feerate (non-negative integer, at most u32) and returns it as a bigint.
 * @see BOLT 3 "Fee Calculation"
 */
export function toFeeratePerKw(feeratePerKw: FeeratePerKw, context = 'feeratePerKw'): bigint {
  if (typeof feeratePerKw === 'number' && !Number.isInteger(feeratePerKw)) {
    throw new RangeError(`${context}: expected an integer sat per 1000 weight, got ${feeratePerKw} (round it: Math.ceil)`);
  }
  if (typeof feeratePerKw !== 'number' && typeof feeratePerKw !== 'bigint') {
    throw new TypeError(`${context}: expected a number or bigint of sat per 1000 weight, got ${typeof feeratePerKw}`);
  }
  const value = BigInt(feeratePerKw);
  if (value < 0n || value > FEERATE_PER_KW_FIELD_MAX) {
    throw new RangeError(`${context}: expected 0 ≤ feerate ≤ ${FEERATE_PER_KW_FIELD_MAX} sat per 1000 weight, got ${value}`);
  }
  return value;
}

/**
 * `feerate_per_kw * weight / 1000`, rounded down as every BOLT 3 fee is.
 * @see BOLT 3 "Fee Calculation"
 */
export function feeForWeightSat(feeratePerKw: FeeratePerKw, weight: bigint): bigint {
  return (toFeeratePerKw(feeratePerKw) * weight) / WEIGHT_PER_KW;
}

/**
 * `feerate_per_kw * weight / 1000`, rounded up: for our own sweeps, so the paid rate never falls below
 * the estimator's. (Peers never need to agree on these fees.)
 * @see BOLT 3 "Fee Calculation"
 */
export function feeForWeightRoundedUpSat(feeratePerKw: FeeratePerKw, weight: bigint): bigint {
  return (toFeeratePerKw(feeratePerKw) * weight + WEIGHT_PER_KW - 1n) / WEIGHT_PER_KW;
}

/**
 * Fee of an HTLC-timeout transaction: `feerate_per_kw * 663 / 1000`, or zero with
 * `anchors_zero_fee_htlc_tx` (the holder attaches fee inputs itself).
 * @see BOLT 3 "Fee Calculation"
 */
export function htlcTimeoutFeeSat(feeratePerKw: FeeratePerKw, channelType: ChannelType): bigint {
  return channelType === 'anchors_zero_fee_htlc_tx' ? 0n : feeForWeightSat(feeratePerKw, HTLC_TIMEOUT_TX_WEIGHT);
}

/**
 * Fee of an HTLC-success transaction: `feerate_per_kw * 703 / 1000`, or zero with
 * `anchors_zero_fee_htlc_tx`.
 * @see BOLT 3 "Fee Calculation"
 */
export function htlcSuccessFeeSat(feeratePerKw: FeeratePerKw, channelType: ChannelType): bigint {
  return channelType === 'anchors_zero_fee_htlc_tx' ? 0n : feeForWeightSat(feeratePerKw, HTLC_SUCCESS_TX_WEIGHT);
}

/**
 * True when an HTLC gets no output on the owner's commitment: its amount minus the fee of the
 * second-stage transaction that would claim it is below the owner's dust limit.
 * @see BOLT 3 "Trimmed Outputs"
 */
export function isHtlcTrimmed(
  htlc: Pick<CommitmentHtlc, 'direction' | 'amountMsat'>,
  feeratePerKw: FeeratePerKw,
  dustLimitSat: bigint,
  channelType: ChannelType,
): boolean {
  const secondStageFeeSat =
    htlc.direction === 'offered' ? htlcTimeoutFeeSat(feeratePerKw, channelType) : htlcSuccessFeeSat(feeratePerKw, channelType);
  return htlc.amountMsat / MSAT_PER_SAT < dustLimitSat + secondStageFeeSat;
}

/**
 * The commitment transaction's base fee, paid by the funder: expected weight
 * (724, or 1124 with anchors, plus 172 per untrimmed HTLC) times `feerate_per_kw` / 1000, rounded down.
 * Excludes the anchor outputs' 2 × 330 sat, which the funder also pays.
 * @see BOLT 3 "Fee Calculation"
 */
export function commitmentTxBaseFeeSat(feeratePerKw: FeeratePerKw, untrimmedHtlcCount: number, channelType: ChannelType): bigint {
  const baseWeight = channelType === 'anchors_zero_fee_htlc_tx' ? COMMITMENT_TX_BASE_WEIGHT_ANCHORS : COMMITMENT_TX_BASE_WEIGHT;
  return feeForWeightSat(feeratePerKw, baseWeight + COMMITMENT_TX_WEIGHT_PER_HTLC * BigInt(untrimmedHtlcCount));
}

/** Bitcoin Core's `DUST_RELAY_TX_FEE`: 3000 sat per 1000 vbytes, the rate dust is judged at (policy/policy.h). */
const DUST_RELAY_FEE_SAT_PER_KVB = 3000n;
/** vbytes per kvB, the unit of `DUST_RELAY_FEE_SAT_PER_KVB`. */
const VBYTES_PER_KVB = 1000n;
/** vbytes to spend a witness-program output later: outpoint 36 + script length 1 + sequence 4 + 107 witness bytes / 4 (Core's `GetDustThreshold`). */
const WITNESS_INPUT_VBYTES = 32n + 4n + 1n + 107n / 4n + 4n;
/** vbytes to spend any other output later: the same with a 107-byte scriptSig (Core's `GetDustThreshold`). */
const LEGACY_INPUT_VBYTES = 32n + 4n + 1n + 107n + 4n;
/** Witness programs are 2–40 bytes after the version opcode and push (BIP 141). */
const MIN_WITNESS_PROGRAM_BYTES = 2;
const MAX_WITNESS_PROGRAM_BYTES = 40;
/** OP_0 and OP_1..OP_16, the witness version opcodes. */
const OP_0 = 0x00;
const OP_1 = 0x51;
const OP_16 = 0x60;

/**
 * The smallest value Bitcoin Core relays for an output with this script (its `GetDustThreshold` at the
 * default 3 sat/vB): 294 sat for P2WPKH, 330 for P2WSH and P2TR, 546 for P2PKH. Our sweeps refuse to
 * create anything smaller, since the network would not relay it.
 * @see BOLT 3 "Dust Limits"
 */
export function dustThresholdSat(scriptPubKey: Uint8Array): bigint {
  const outputVbytes = 8n + (scriptPubKey.length < 0xfd ? 1n : 3n) + BigInt(scriptPubKey.length);
  return ((outputVbytes + (isWitnessProgram(scriptPubKey) ? WITNESS_INPUT_VBYTES : LEGACY_INPUT_VBYTES)) * DUST_RELAY_FEE_SAT_PER_KVB) / VBYTES_PER_KVB;
}

function isWitnessProgram(scriptPubKey: Uint8Array): boolean {
  const version = scriptPubKey[0];
  const programLength = scriptPubKey[1];
  if (version === undefined || programLength === undefined) return false;
  if (version !== OP_0 && (version < OP_1 || version > OP_16)) return false;
  return (
    programLength >= MIN_WITNESS_PROGRAM_BYTES &&
    programLength <= MAX_WITNESS_PROGRAM_BYTES &&
    scriptPubKey.length === programLength + 2
  );
}
