/**
 * One-output sweeps of P2WSH outputs we can sign for alone: the justice transaction, and our claims on
 * unilateral closes. Unlike commitment and HTLC transactions, no peer has to agree on the fee, so it is
 * computed from the real transaction's weight, measured with worst-case (73-byte) signatures in place:
 * an honest estimate that the signed transaction can only undercut.
 * @see BOLT 3 "Appendix A: Expected Weights"
 * @see BOLT 5 "Penalty Transaction Weight Calculation"
 */
import { Transaction } from 'bitcoinjs-lib';
import { assertBytes, assertIntRange, bytesToHex } from './bytes.js';
import { AmountMismatchError, FeeTooHighError } from './errors.js';
import { dustThresholdSat, feeForWeightRoundedUpSat, toFeeratePerKw, type FeeratePerKw } from './fees.js';
import { signWitnessInput } from './sign.js';
import { outPointHash, type OutPoint } from './types.js';

/** Sweeps are version 2 so inputs may carry BIP 68 relative locks (`to_self_delay`, anchors' CSV 1). */
const SWEEP_TX_VERSION = 2;
/**
 * Largest DER signature (72 bytes: 33-byte r and s with sign padding) plus its sighash byte.
 * @see BOLT 3 "Appendix A: Expected Weights"
 */
export const MAX_SIGNATURE_WITNESS_BYTES = 73;
/**
 * nSequence that opts into BIP 125 replacement without a relative lock, so a stuck sweep can be fee-bumped.
 * Below 0xFFFFFFFF also keeps nLockTime enforced, which the HTLC timeout claim relies on.
 * @see BOLT 3 "Received HTLC Outputs"
 */
export const SEQUENCE_RBF_NO_LOCK = 0xffff_fffd;
/** nSequence fields are 32 bits. */
const MAX_SEQUENCE = 0xffff_ffff;

/**
 * One input of a sweep.
 * @see BOLT 3 "`to_local` Output"
 */
export interface SweepInput {
  readonly outpoint: OutPoint;
  readonly amountSat: bigint;
  readonly witnessScript: Uint8Array;
  readonly sequence: number;
  /** The key whose signature comes first on the witness stack. */
  readonly secretKey: Uint8Array;
  /** Witness items between the signature and the script, e.g. `[0x01]` to take a script's OP_IF branch. */
  readonly witnessItemsAfterSignature: readonly Uint8Array[];
}

/**
 * A sweep to build.
 * @see BOLT 3 "`to_local` Output"
 */
export interface SweepParams {
  /** Names the sweep in error messages, e.g. "justice tx for <txid>". */
  readonly context: string;
  readonly inputs: readonly SweepInput[];
  readonly destinationScript: Uint8Array;
  /** sat per 1000 weight, as a `FeeEstimator` returns it. */
  readonly feeratePerKw: FeeratePerKw;
  readonly locktime: number;
}

/**
 * A signed sweep.
 * @see BOLT 3 "`to_local` Output"
 */
export interface SweepTransaction {
  readonly tx: Transaction;
  readonly inputAmountSat: bigint;
  readonly outputAmountSat: bigint;
  readonly feeSat: bigint;
  /** The weight the fee was computed for; `tx.weight()` is at most this. */
  readonly estimatedWeight: number;
}

/**
 * Builds and signs a sweep of `inputs` to `destinationScript`. Throws `FeeTooHighError` if the fee
 * would leave less than the destination's dust threshold, and `AmountMismatchError` for no inputs.
 * @see BOLT 3 "`to_local` Output"
 */
export function buildSweep(params: SweepParams): SweepTransaction {
  const { context } = params;
  if (params.inputs.length === 0) {
    throw new AmountMismatchError(context, 'at least one output to sweep', 'none', 'check which outputs of the transaction are ours');
  }
  assertBytes(params.destinationScript, undefined, `${context} destinationScript`);
  assertIntRange(params.locktime, 0, MAX_SEQUENCE, `${context} locktime`);
  const feeratePerKw = toFeeratePerKw(params.feeratePerKw, `${context} feeratePerKw`);
  const inputAmountSat = params.inputs.reduce((sum, input) => sum + input.amountSat, 0n);

  params.inputs.forEach((input, i) => assertIntRange(input.sequence, 0, MAX_SEQUENCE, `${context} inputs[${i}].sequence`));
  const unsignedWithOutput = (outputSat: bigint): Transaction => {
    const tx = new Transaction();
    tx.version = SWEEP_TX_VERSION;
    tx.locktime = params.locktime;
    params.inputs.forEach((input, i) => {
      tx.addInput(outPointHash(input.outpoint, `${context} inputs[${i}].outpoint`), input.outpoint.vout, input.sequence);
    });
    tx.addOutput(params.destinationScript, outputSat);
    return tx;
  };

  // Measure with worst-case signatures in place: weight does not depend on the output value.
  const measured = unsignedWithOutput(inputAmountSat);
  params.inputs.forEach((input, i) => measured.setWitness(i, witnessStack(input, new Uint8Array(MAX_SIGNATURE_WITNESS_BYTES))));
  const estimatedWeight = measured.weight();
  const feeSat = feeForWeightRoundedUpSat(feeratePerKw, BigInt(estimatedWeight));
  const outputAmountSat = inputAmountSat - feeSat;
  const dustSat = dustThresholdSat(params.destinationScript);
  if (outputAmountSat < dustSat) {
    throw new FeeTooHighError(
      `${context} at ${feeratePerKw} sat/kW`,
      `a fee leaving at least ${dustSat} sat (the dust threshold of ${bytesToHex(params.destinationScript)})`,
      `a fee of ${feeSat} sat on ${inputAmountSat} sat`,
      'the outputs are worth less than sweeping them costs at this feerate: retry later at a lower feerate',
    );
  }
  const unsigned = unsignedWithOutput(outputAmountSat);
  const signed = unsigned.clone();
  params.inputs.forEach((input, i) => {
    const signature = signWitnessInput(unsigned, { inputIndex: i, witnessScript: input.witnessScript, amountSat: input.amountSat }, input.secretKey);
    signed.setWitness(i, witnessStack(input, signature));
  });
  return Object.freeze({ tx: signed, inputAmountSat, outputAmountSat, feeSat, estimatedWeight });
}

function witnessStack(input: SweepInput, signature: Uint8Array): Uint8Array[] {
  return [signature, ...input.witnessItemsAfterSignature, input.witnessScript];
}
