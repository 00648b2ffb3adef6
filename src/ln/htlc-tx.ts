/**
 * HTLC-success and HTLC-timeout transactions: the second stage that moves an HTLC output of the owner's
 * commitment into a `to_local`-style output, so the owner can settle the HTLC on time yet still be
 * punishable (revocation key) for `to_self_delay` blocks. Both sides sign them when signing the
 * commitment, because they spend a 2-of-2 of HTLC keys.
 * @see BOLT 3 "HTLC-timeout and HTLC-success Transactions"
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { Transaction } from 'bitcoinjs-lib';
import { assertBytes, bytesToHex, equalBytes } from './bytes.js';
import type { CommitmentOutput, CommitmentTransaction } from './commitment.js';
import { InvalidSecretError, InvalidSignatureError, OutputNotFoundError } from './errors.js';
import { htlcSuccessFeeSat, htlcTimeoutFeeSat } from './fees.js';
import { p2wshScriptPubKey, toLocalScript } from './scripts.js';
import { SIGHASH_ALL, SIGHASH_SINGLE_ANYONECANPAY, signWitnessInput, verifyWitnessSignature, type WitnessInputSpec } from './sign.js';
import { PAYMENT_PREIMAGE_BYTES, type ChannelType, type CommitmentHtlc } from './types.js';

/** Second-stage transactions are version 2, like the commitment, for BIP 68 relative locks. */
const HTLC_TX_VERSION = 2;
/** Non-anchor HTLC transactions spend with nSequence 0 (BOLT 3 "HTLC-timeout and HTLC-success Transactions"). */
const HTLC_TX_SEQUENCE = 0;
/** Anchors HTLC outputs carry `1 OP_CSV`, so the spend's nSequence must be at least 1. */
const HTLC_TX_SEQUENCE_ANCHORS = 1;
/** HTLC-success transactions are not timelocked. */
const HTLC_SUCCESS_LOCKTIME = 0;

/**
 * Who signs an HTLC transaction, in BOLT 3 terms: `local` owns the commitment, `remote` is the peer.
 * @see BOLT 3 "HTLC-timeout and HTLC-success Transactions"
 */
export type HtlcSigner = 'local' | 'remote';

/**
 * One unsigned HTLC-success or HTLC-timeout transaction and what is needed to sign it.
 * @see BOLT 3 "HTLC-timeout and HTLC-success Transactions"
 */
export interface HtlcTransaction {
  /** `htlc-success` for a received HTLC, `htlc-timeout` for an offered one. */
  readonly kind: 'htlc-success' | 'htlc-timeout';
  /** Unsigned; `withHtlcWitness` returns a signed copy. */
  readonly tx: Transaction;
  readonly htlc: CommitmentHtlc;
  readonly channelType: ChannelType;
  /** The commitment output it spends. */
  readonly commitmentOutputIndex: number;
  readonly inputWitnessScript: Uint8Array;
  readonly inputAmountSat: bigint;
  /** The `to_local`-style script of its single output. */
  readonly outputWitnessScript: Uint8Array;
  readonly feeSat: bigint;
}

/**
 * The HTLC transactions for every HTLC output of `commitment`, in output order (the order in which
 * BOLT 2 `commitment_signed` carries their signatures).
 * @see BOLT 3 "HTLC-timeout and HTLC-success Transactions"
 */
export function buildHtlcTransactions(commitment: CommitmentTransaction): readonly HtlcTransaction[] {
  return Object.freeze(
    commitment.outputs.filter((output) => output.htlc !== undefined).map((output) => buildHtlcTransaction(commitment, output.outputIndex)),
  );
}

/**
 * The HTLC transaction spending output `outputIndex` of `commitment`: version 2; locktime 0 (success) or
 * `cltv_expiry` (timeout); one input with nSequence 0 (1 with anchors); one output of the HTLC amount
 * minus the 703/663-weight fee (zero with anchors) to `to_local`-style keys.
 * @see BOLT 3 "HTLC-timeout and HTLC-success Transactions"
 */
export function buildHtlcTransaction(commitment: CommitmentTransaction, outputIndex: number): HtlcTransaction {
  const output = commitment.outputs[outputIndex];
  if (output?.htlc === undefined || output.witnessScript === undefined) {
    throw new OutputNotFoundError(
      `buildHtlcTransaction output ${outputIndex}`,
      'an HTLC output of the commitment',
      output === undefined ? 'no such output' : `a ${output.kind} output`,
      'pick an index from commitment.outputs whose kind is offered_htlc or received_htlc',
    );
  }
  const { htlc } = output;
  const { params, channelType } = commitment;
  const isSuccess = htlc.direction === 'received';
  const feeSat = isSuccess ? htlcSuccessFeeSat(params.feeratePerKw, channelType) : htlcTimeoutFeeSat(params.feeratePerKw, channelType);
  const outputWitnessScript = toLocalScript(params.keys.revocationPubkey, params.toSelfDelay, params.keys.broadcasterDelayedPubkey);

  const tx = new Transaction();
  tx.version = HTLC_TX_VERSION;
  tx.locktime = isSuccess ? HTLC_SUCCESS_LOCKTIME : htlc.cltvExpiry;
  const sequence = channelType === 'anchors_zero_fee_htlc_tx' ? HTLC_TX_SEQUENCE_ANCHORS : HTLC_TX_SEQUENCE;
  tx.addInput(commitment.tx.getHash(), outputIndex, sequence);
  tx.addOutput(p2wshScriptPubKey(outputWitnessScript), output.amountSat - feeSat);
  return Object.freeze({
    kind: isSuccess ? 'htlc-success' : 'htlc-timeout',
    tx,
    htlc,
    channelType,
    commitmentOutputIndex: outputIndex,
    inputWitnessScript: output.witnessScript,
    inputAmountSat: output.amountSat,
    outputWitnessScript,
    feeSat,
  });
}

/**
 * The sighash type each signer uses: `local` always SIGHASH_ALL; `remote` SIGHASH_ALL, or
 * SIGHASH_SINGLE|ANYONECANPAY with anchors so the owner can attach fee inputs.
 * @see BOLT 3 "HTLC-timeout and HTLC-success Transactions"
 */
export function htlcSighashType(signer: HtlcSigner, channelType: ChannelType): number {
  return signer === 'remote' && channelType === 'anchors_zero_fee_htlc_tx' ? SIGHASH_SINGLE_ANYONECANPAY : SIGHASH_ALL;
}

/**
 * A signature (DER + sighash byte) on `htlcTx` with the signer's HTLC private key for this commitment
 * (`derivePrivateKey(htlcBasepointSecret, perCommitmentPoint)`).
 * @see BOLT 3 "HTLC-timeout and HTLC-success Transactions"
 */
export function signHtlcTransaction(htlcTx: HtlcTransaction, htlcSecret: Uint8Array, signer: HtlcSigner): Uint8Array {
  return signWitnessInput(htlcTx.tx, htlcSigningSpec(htlcTx, signer), htlcSecret);
}

/**
 * True when `signature` is `signer`'s valid signature on `htlcTx` under `htlcPubkey`.
 * @see BOLT 3 "HTLC-timeout and HTLC-success Transactions"
 */
export function verifyHtlcSignature(htlcTx: HtlcTransaction, signature: Uint8Array, htlcPubkey: Uint8Array, signer: HtlcSigner): boolean {
  return verifyWitnessSignature(htlcTx.tx, htlcSigningSpec(htlcTx, signer), signature, htlcPubkey);
}

/**
 * The signatures (and, for HTLC-success, the preimage) that complete an HTLC transaction.
 * @see BOLT 3 "HTLC-timeout and HTLC-success Transactions"
 */
export interface HtlcWitnessParts {
  readonly localSignature: Uint8Array;
  readonly remoteSignature: Uint8Array;
  /** Required for HTLC-success; must hash to the HTLC's payment hash. */
  readonly paymentPreimage?: Uint8Array;
}

/**
 * A signed copy of `htlcTx` with witness `0 <remotehtlcsig> <localhtlcsig> <payment_preimage>` (success)
 * or `0 <remotehtlcsig> <localhtlcsig> <>` (timeout). Verifies both signatures against the commitment's
 * HTLC keys first (`InvalidSignatureError`) and the preimage against the hash (`InvalidSecretError`).
 * @see BOLT 3 "HTLC-timeout and HTLC-success Transactions"
 */
export function withHtlcWitness(htlcTx: HtlcTransaction, commitment: CommitmentTransaction, parts: HtlcWitnessParts): Transaction {
  const { keys } = commitment.params;
  const checks = [
    { signer: 'local', signature: parts.localSignature, pubkey: keys.broadcasterHtlcPubkey },
    { signer: 'remote', signature: parts.remoteSignature, pubkey: keys.countersignatoryHtlcPubkey },
  ] as const;
  for (const { signer, signature, pubkey } of checks) {
    if (!verifyHtlcSignature(htlcTx, signature, pubkey, signer)) {
      throw new InvalidSignatureError(
        `${htlcTx.kind} for output ${htlcTx.commitmentOutputIndex}`,
        `a valid ${signer} signature under ${bytesToHex(pubkey)}`,
        'one that does not verify',
      );
    }
  }
  let lastItem: Uint8Array = new Uint8Array(0);
  if (htlcTx.kind === 'htlc-success') {
    lastItem = assertPreimage(parts.paymentPreimage, htlcTx.htlc, `${htlcTx.kind} for output ${htlcTx.commitmentOutputIndex}`);
  }
  const signed = htlcTx.tx.clone();
  // The leading empty item feeds OP_CHECKMULTISIG's extra pop; an empty last item selects the timeout branch.
  signed.setWitness(0, [new Uint8Array(0), parts.remoteSignature, parts.localSignature, lastItem, htlcTx.inputWitnessScript]);
  return signed;
}

/**
 * Throws `InvalidSecretError` unless `preimage` is 32 bytes hashing to the HTLC's payment hash.
 * @see BOLT 3 "Received HTLC Outputs"
 */
export function assertPreimage(preimage: Uint8Array | undefined, htlc: CommitmentHtlc, context: string): Uint8Array {
  if (preimage === undefined) {
    throw new InvalidSecretError(context, 'the payment preimage', 'none', 'pass paymentPreimage: claiming a received HTLC needs it');
  }
  assertBytes(preimage, PAYMENT_PREIMAGE_BYTES, `${context} paymentPreimage`);
  if (!equalBytes(sha256(preimage), htlc.paymentHash)) {
    throw new InvalidSecretError(
      `${context} paymentPreimage`,
      `a preimage whose SHA256 is ${bytesToHex(htlc.paymentHash)}`,
      `one hashing to ${bytesToHex(sha256(preimage))}`,
      'pass the preimage of this HTLC (several HTLCs can share a hash, but not a different one)',
    );
  }
  return preimage;
}

function htlcSigningSpec(htlcTx: HtlcTransaction, signer: HtlcSigner): WitnessInputSpec {
  return {
    inputIndex: 0,
    witnessScript: htlcTx.inputWitnessScript,
    amountSat: htlcTx.inputAmountSat,
    hashType: htlcSighashType(signer, htlcTx.channelType),
  };
}

/**
 * The HTLC outputs of a commitment, for callers that want them without building transactions.
 * @see BOLT 3 "Commitment Transaction Outputs"
 */
export function htlcOutputs(commitment: CommitmentTransaction): readonly CommitmentOutput[] {
  return commitment.outputs.filter((output) => output.htlc !== undefined);
}
