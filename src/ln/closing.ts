/**
 * The cooperative closing transaction: both peers sign one transaction paying each its final balance,
 * with no delays and no revocation, so a mutual close is cheaper and final at once. The funder pays the
 * fee; each side drops outputs below its own dust limit.
 * @see BOLT 3 "Closing Transaction"
 */
import { Transaction } from 'bitcoinjs-lib';
import { assertBytes } from './bytes.js';
import type { ChannelSide } from './channel.js';
import { AmountMismatchError, FeeTooHighError } from './errors.js';
import { feeForWeightSat, MSAT_PER_SAT, type FeeratePerKw } from './fees.js';
import { signFundingSpend, withFundingWitness, type FundingOutput, type FundingSignature, type FundingSpend } from './funding.js';
import { sortOutputs } from './commitment.js';
import { MAX_SIGNATURE_WITNESS_BYTES } from './sweep.js';
import { outPointHash, type OutPoint } from './types.js';

/** Closing transactions are version 2 (BOLT 3 "Closing Transaction"). */
const CLOSING_TX_VERSION = 2;
/** Locktime 0: a cooperative close is final immediately (BOLT 3 "Closing Transaction"). */
const CLOSING_TX_LOCKTIME = 0;
/** Sequence 0xFFFFFFFF: final, no relative lock (BOLT 3 "Closing Transaction"). */
const CLOSING_TX_SEQUENCE = 0xffff_ffff;

/**
 * The inputs of a closing transaction, as agreed through `shutdown` and `closing_signed`.
 * @see BOLT 3 "Closing Transaction"
 */
export interface ClosingTxParams {
  readonly fundingOutpoint: OutPoint;
  /** `fundingOutput(holderFundingPubkey, counterpartyFundingPubkey, channelValueSat)`. */
  readonly funding: FundingOutput;
  readonly funder: ChannelSide;
  readonly holderBalanceMsat: bigint;
  readonly counterpartyBalanceMsat: bigint;
  /** The `scriptpubkey` each side sent in `shutdown`. */
  readonly holderScriptPubKey: Uint8Array;
  readonly counterpartyScriptPubKey: Uint8Array;
  /** `fee_satoshis` from `closing_signed`, taken from the funder's output. */
  readonly feeSat: bigint;
  /** The signer's own `dust_limit_satoshis`: outputs below it are dropped. */
  readonly dustLimitSat: bigint;
}

/**
 * One output of a closing transaction.
 * @see BOLT 3 "Closing Transaction"
 */
export interface ClosingOutput {
  readonly side: ChannelSide;
  readonly outputIndex: number;
  readonly amountSat: bigint;
  readonly scriptPubKey: Uint8Array;
}

/**
 * An unsigned closing transaction.
 * @see BOLT 3 "Closing Transaction"
 */
export interface ClosingTransaction {
  /** Unsigned; `finalizeClosingTx` returns a signed copy. */
  readonly tx: Transaction;
  readonly funding: FundingOutput;
  readonly outputs: readonly ClosingOutput[];
  /** Inputs minus outputs: `feeSat` plus any dropped dust. */
  readonly totalFeeSat: bigint;
}

/**
 * Builds the closing transaction. Throws `AmountMismatchError` if the balances do not add up to the
 * funding amount and `FeeTooHighError` if `feeSat` exceeds the funder's balance.
 * @see BOLT 3 "Closing Transaction"
 */
export function buildClosingTx(params: ClosingTxParams): ClosingTransaction {
  assertBytes(params.holderScriptPubKey, undefined, 'buildClosingTx holderScriptPubKey');
  assertBytes(params.counterpartyScriptPubKey, undefined, 'buildClosingTx counterpartyScriptPubKey');
  const channelMsat = params.funding.amountSat * MSAT_PER_SAT;
  const totalMsat = params.holderBalanceMsat + params.counterpartyBalanceMsat;
  if (params.holderBalanceMsat < 0n || params.counterpartyBalanceMsat < 0n || totalMsat !== channelMsat) {
    throw new AmountMismatchError(
      'closing tx balances',
      `holder + counterparty = ${channelMsat} msat (the channel value; no HTLCs may remain at close)`,
      `${params.holderBalanceMsat} + ${params.counterpartyBalanceMsat} = ${totalMsat} msat`,
    );
  }
  // Each output is rounded down to whole satoshis before the fee is taken.
  const balancesSat: Record<ChannelSide, bigint> = {
    holder: params.holderBalanceMsat / MSAT_PER_SAT,
    counterparty: params.counterpartyBalanceMsat / MSAT_PER_SAT,
  };
  if (typeof params.feeSat !== 'bigint' || params.feeSat < 0n || params.feeSat > balancesSat[params.funder]) {
    throw new FeeTooHighError(
      'closing tx fee',
      `0 ≤ fee ≤ the funder's (${params.funder}) ${balancesSat[params.funder]} sat`,
      `${String(params.feeSat)} sat`,
      'propose a lower fee_satoshis in closing_signed',
    );
  }
  balancesSat[params.funder] -= params.feeSat;

  const candidates = (['holder', 'counterparty'] as const)
    .map((side) => ({
      side,
      amountSat: balancesSat[side],
      scriptPubKey: side === 'holder' ? params.holderScriptPubKey : params.counterpartyScriptPubKey,
      htlc: undefined,
    }))
    .filter((output) => output.amountSat >= params.dustLimitSat && output.amountSat > 0n);
  const outputs = sortOutputs(candidates).map(({ side, amountSat, scriptPubKey }, outputIndex) =>
    Object.freeze({ side, outputIndex, amountSat, scriptPubKey }),
  );

  const tx = new Transaction();
  tx.version = CLOSING_TX_VERSION;
  tx.locktime = CLOSING_TX_LOCKTIME;
  tx.addInput(outPointHash(params.fundingOutpoint, 'buildClosingTx fundingOutpoint'), params.fundingOutpoint.vout, CLOSING_TX_SEQUENCE);
  for (const output of outputs) tx.addOutput(output.scriptPubKey, output.amountSat);
  const outputSat = outputs.reduce((sum, output) => sum + output.amountSat, 0n);
  return Object.freeze({ tx, funding: params.funding, outputs: Object.freeze(outputs), totalFeeSat: params.funding.amountSat - outputSat });
}

/**
 * The weight of a closing transaction paying both scripts, with worst-case 73-byte signatures: multiply
 * by a feerate to propose `fee_satoshis`.
 * @see BOLT 3 "Closing Transaction"
 */
export function closingTxWeight(funding: FundingOutput, holderScriptPubKey: Uint8Array, counterpartyScriptPubKey: Uint8Array): number {
  const tx = new Transaction();
  tx.version = CLOSING_TX_VERSION;
  tx.addInput(new Uint8Array(32), 0, CLOSING_TX_SEQUENCE);
  tx.addOutput(holderScriptPubKey, 0n);
  tx.addOutput(counterpartyScriptPubKey, 0n);
  const placeholder = new Uint8Array(MAX_SIGNATURE_WITNESS_BYTES);
  tx.setWitness(0, [new Uint8Array(0), placeholder, placeholder, funding.witnessScript]);
  return tx.weight();
}

/**
 * `fee_satoshis` for a closing transaction at `feeratePerKw` (rounded down, like BOLT 3 fees).
 * @see BOLT 3 "Closing Transaction"
 */
export function closingFeeSat(
  feeratePerKw: FeeratePerKw,
  funding: FundingOutput,
  holderScriptPubKey: Uint8Array,
  counterpartyScriptPubKey: Uint8Array,
): bigint {
  return feeForWeightSat(feeratePerKw, BigInt(closingTxWeight(funding, holderScriptPubKey, counterpartyScriptPubKey)));
}

/**
 * Our funding-key signature on the closing transaction.
 * @see BOLT 3 "Closing Transaction"
 */
export function signClosingTx(closing: ClosingTransaction, fundingSecret: Uint8Array): Uint8Array {
  return signFundingSpend(spendOf(closing), fundingSecret);
}

/**
 * A broadcastable copy with both signatures in funding-script order; verifies them first.
 * @see BOLT 3 "Closing Transaction"
 */
export function finalizeClosingTx(closing: ClosingTransaction, a: FundingSignature, b: FundingSignature): Transaction {
  return withFundingWitness(spendOf(closing), a, b);
}

function spendOf(closing: ClosingTransaction): FundingSpend {
  return { tx: closing.tx, inputIndex: 0, funding: closing.funding };
}
