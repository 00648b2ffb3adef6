/**
 * ECDSA signatures for segwit v0 inputs, as Lightning uses them: RFC 6979 deterministic nonces (so the
 * same key and transaction always give the same signature, which is how BOLT 3's vectors can list
 * them), low-S (BIP 62/146: high-S is non-standard), DER-encoded with a trailing sighash byte (BIP 66).
 * Sighashes come from bitcoinjs-lib's BIP 143 `hashForWitnessV0`.
 * @see BOLT 3 "Use of Segwit"
 */
import * as secp from '@noble/secp256k1';
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { script as bscript, Transaction } from 'bitcoinjs-lib';
import { assertBytes } from './bytes.js';
import { parsePublicKey, secretToScalar } from './keys.js';

// noble's synchronous sign() needs hash functions wired in; set them once, only if nobody has yet.
if (secp.hashes.sha256 === undefined) secp.hashes.sha256 = sha256;
if (secp.hashes.hmacSha256 === undefined) secp.hashes.hmacSha256 = (key, message) => hmac(sha256, key, message);

/**
 * Sign every input and output (BIP 143 `SIGHASH_ALL`); what commitment, closing and sweep txs use.
 * @see BOLT 3 "Use of Segwit"
 */
export const SIGHASH_ALL: number = Transaction.SIGHASH_ALL;
/**
 * `SIGHASH_SINGLE | SIGHASH_ANYONECANPAY`: the counterparty's signature on an anchors-channel HTLC
 * transaction, so the holder can add inputs and outputs to pay the fee.
 * @see BOLT 3 "HTLC-timeout and HTLC-success Transactions"
 */
export const SIGHASH_SINGLE_ANYONECANPAY: number = Transaction.SIGHASH_SINGLE | Transaction.SIGHASH_ANYONECANPAY;
/** An ECDSA digest is 32 bytes. */
const SIGHASH_BYTES = 32;

/**
 * What a segwit v0 P2WSH input commits to: its witness script and the value of the output it spends.
 * @see BOLT 3 "Use of Segwit"
 */
export interface WitnessInputSpec {
  readonly inputIndex: number;
  readonly witnessScript: Uint8Array;
  readonly amountSat: bigint;
  /** Defaults to `SIGHASH_ALL`. */
  readonly hashType?: number;
}

/**
 * The BIP 143 digest an input signature commits to.
 * @see BOLT 3 "Use of Segwit"
 */
export function witnessSighash(tx: Transaction, spec: WitnessInputSpec): Uint8Array {
  return tx.hashForWitnessV0(spec.inputIndex, spec.witnessScript, spec.amountSat, spec.hashType ?? SIGHASH_ALL);
}

/**
 * Signs a 32-byte digest: RFC 6979 nonce, low-S, DER, followed by the sighash byte (the form a witness
 * stack holds). Deterministic: the same key and digest always yield the same bytes.
 * @see BOLT 3 "Use of Segwit"
 */
export function signDigest(digest: Uint8Array, secretKey: Uint8Array, hashType: number = SIGHASH_ALL): Uint8Array {
  assertBytes(digest, SIGHASH_BYTES, 'signDigest digest');
  secretToScalar(secretKey, 'signDigest secretKey');
  // prehash: false because the digest is already the BIP 143 double-SHA256; extraEntropy off keeps RFC 6979 pure.
  const compact = secp.sign(digest, secretKey, { prehash: false, lowS: true, extraEntropy: false });
  return bscript.signature.encode(compact, hashType);
}

/**
 * Signs input `spec.inputIndex` of `tx`; see `signDigest`.
 * @see BOLT 3 "Use of Segwit"
 */
export function signWitnessInput(tx: Transaction, spec: WitnessInputSpec, secretKey: Uint8Array): Uint8Array {
  return signDigest(witnessSighash(tx, spec), secretKey, spec.hashType ?? SIGHASH_ALL);
}

/**
 * True when `signature` (DER plus sighash byte) is a low-S signature by `publicKey` over input
 * `spec.inputIndex` with the expected sighash type. False, never a throw, for a malformed signature.
 * @see BOLT 3 "Use of Segwit"
 */
export function verifyWitnessSignature(
  tx: Transaction,
  spec: WitnessInputSpec,
  signature: Uint8Array,
  publicKey: Uint8Array,
): boolean {
  parsePublicKey(publicKey, 'verifyWitnessSignature publicKey');
  let decoded: { signature: Uint8Array; hashType: number };
  try {
    decoded = bscript.signature.decode(signature);
  } catch {
    return false;
  }
  const expectedHashType = spec.hashType ?? SIGHASH_ALL;
  if (decoded.hashType !== expectedHashType) return false;
  return secp.verify(decoded.signature, witnessSighash(tx, spec), publicKey, { prehash: false, lowS: true });
}

/**
 * Appends the sighash byte to a bare DER signature, as BOLT 2 messages carry them without it.
 * @see BOLT 3 "Use of Segwit"
 */
export function withSighashByte(derSignature: Uint8Array, hashType: number = SIGHASH_ALL): Uint8Array {
  const out = new Uint8Array(derSignature.length + 1);
  out.set(derSignature);
  out[derSignature.length] = hashType;
  return out;
}
