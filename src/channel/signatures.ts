/**
 * Signing and checking commitment transactions the way `commitment_signed`, `funding_created` and
 * `funding_signed` carry them: the funding-key signature on the receiver's commitment, and one HTLC-key
 * signature per HTLC transaction of that commitment. Messages carry 64-byte compact signatures; the BOLT 3
 * builders use DER plus a sighash byte; this file converts.
 * @see BOLT 2 "Committing Updates So Far: `commitment_signed`"
 */
import { script as bscript, type Transaction } from 'bitcoinjs-lib';
import {
  buildCounterpartyCommitment,
  buildHolderCommitment,
  finalizeCommitment,
  signCommitment,
  verifyCommitmentSignature,
  type ChannelParameters,
} from '../ln/channel.js';
import type { CommitmentTransaction } from '../ln/commitment.js';
import { buildHtlcTransactions, htlcSighashType, signHtlcTransaction, verifyHtlcSignature } from '../ln/htlc-tx.js';
import type { ChannelKeys } from '../ln/keys-manager.js';
import { derivePrivateKey } from '../ln/keys.js';
import { SIGHASH_ALL } from '../ln/sign.js';
import { ProtocolViolationError } from './errors.js';
import { specToState, type CommitmentSpec } from './spec.js';

/** DER + sighash byte → the 64-byte compact form BOLT messages carry. */
export function toCompactSignature(derWithHashType: Uint8Array): Uint8Array {
  return Uint8Array.from(bscript.signature.decode(derWithHashType).signature);
}

/** The 64-byte compact form → DER + sighash byte, as a witness holds it. */
export function fromCompactSignature(compact: Uint8Array, hashType: number = SIGHASH_ALL): Uint8Array {
  try {
    return Uint8Array.from(bscript.signature.encode(compact, hashType));
  } catch {
    // Not a valid (r, s) pair: return something that can never verify rather than throw.
    return new Uint8Array(0);
  }
}

/** What we send for the counterparty's new commitment. */
export interface CounterpartyCommitmentSignatures {
  readonly commitment: CommitmentTransaction;
  readonly signature: Uint8Array;
  readonly htlcSignatures: readonly Uint8Array[];
}

/**
 * Builds the counterparty's commitment `commitmentNumber` for `spec` and signs it and its HTLC
 * transactions (we are BOLT 3's "remote" signer on their HTLC transactions).
 * @see BOLT 2 "Committing Updates So Far: `commitment_signed`"
 */
export function signCounterpartyCommitment(
  params: ChannelParameters,
  keys: ChannelKeys,
  spec: CommitmentSpec,
  commitmentNumber: bigint,
  feeratePerKw: number,
  counterpartyPerCommitmentPoint: Uint8Array,
): CounterpartyCommitmentSignatures {
  const commitment = buildCounterpartyCommitment(params, specToState(spec, commitmentNumber, feeratePerKw), counterpartyPerCommitmentPoint);
  const htlcSecret = derivePrivateKey(keys.htlcBasepointSecret, counterpartyPerCommitmentPoint);
  return {
    commitment,
    signature: toCompactSignature(signCommitment(commitment, keys.fundingSecret)),
    htlcSignatures: buildHtlcTransactions(commitment).map((htlcTx) => toCompactSignature(signHtlcTransaction(htlcTx, htlcSecret, 'remote'))),
  };
}

/** Our new commitment, checked and fully signed. */
export interface VerifiedHolderCommitment {
  readonly commitment: CommitmentTransaction;
  /** Broadcastable: both funding signatures in its witness. */
  readonly signedTx: Transaction;
}

/**
 * Builds our commitment `commitmentNumber` for `spec`, and checks the counterparty's signature on it and
 * on each of its HTLC transactions. Throws `ProtocolViolationError` when any does not verify: revoking
 * the previous commitment would then leave us nothing we could broadcast.
 * @see BOLT 2 "Committing Updates So Far: `commitment_signed`"
 */
export function verifyHolderCommitment(
  channelId: string,
  params: ChannelParameters,
  keys: ChannelKeys,
  spec: CommitmentSpec,
  commitmentNumber: bigint,
  feeratePerKw: number,
  signature: Uint8Array,
  htlcSignatures: readonly Uint8Array[],
): VerifiedHolderCommitment {
  const commitment = buildHolderCommitment(params, specToState(spec, commitmentNumber, feeratePerKw), keys.perCommitmentPoint(commitmentNumber));
  const theirs = fromCompactSignature(signature);
  if (!verifyCommitmentSignature(commitment, theirs, params.counterparty.pubkeys.fundingPubkey)) {
    throw new ProtocolViolationError(channelId, `a valid counterparty signature on our commitment #${commitmentNumber}`, 'one that does not verify');
  }
  const htlcTxs = buildHtlcTransactions(commitment);
  if (htlcSignatures.length !== htlcTxs.length) {
    throw new ProtocolViolationError(channelId, `${htlcTxs.length} HTLC signature(s) for commitment #${commitmentNumber}`, `${htlcSignatures.length}`);
  }
  const theirHtlcKey = commitment.params.keys.countersignatoryHtlcPubkey;
  htlcTxs.forEach((htlcTx, i) => {
    const sig = fromCompactSignature(htlcSignatures[i]!, htlcSighashType('remote', commitment.channelType));
    if (!verifyHtlcSignature(htlcTx, sig, theirHtlcKey, 'remote')) {
      throw new ProtocolViolationError(channelId, `a valid signature on HTLC transaction ${i} of commitment #${commitmentNumber}`, 'one that does not verify');
    }
  });
  const signedTx = finalizeCommitment(params, commitment, signCommitment(commitment, keys.fundingSecret), theirs);
  return { commitment, signedTx };
}
