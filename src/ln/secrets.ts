/**
 * Per-commitment secrets: one 32-byte secret per commitment, all generated from a single seed by a
 * hash tree (flip a bit, SHA256, repeat). Revealing secret I lets the receiver derive every secret whose
 * index shares I's prefix, which is what makes the O(log n) store in `secret-store.ts` possible.
 * @see BOLT 3 "Per-commitment Secret Requirements"
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { assertBigIntRange, assertBytes } from './bytes.js';
import { publicKeyFromSecret } from './keys.js';

/**
 * Indices are 48-bit: up to 2^48 - 1 commitments per channel (BOLT 3 "Per-commitment Secret Requirements").
 * @see BOLT 3 "Per-commitment Secret Requirements"
 */
export const PER_COMMITMENT_INDEX_BITS = 48;
/**
 * The first index used, 2^48 - 1 (`0xFFFFFFFFFFFF`); each new commitment decrements it.
 * @see BOLT 3 "Per-commitment Secret Requirements"
 */
export const FIRST_PER_COMMITMENT_INDEX: bigint = (1n << BigInt(PER_COMMITMENT_INDEX_BITS)) - 1n;
/**
 * Seeds and secrets are SHA256-sized.
 * @see BOLT 3 "Per-commitment Secret Requirements"
 */
export const PER_COMMITMENT_SECRET_BYTES = 32;

/**
 * The per-commitment secret at `index` for a channel `seed` (BOLT 3's `generate_from_seed`):
 * for each bit B of the index from 47 down to 0 that is set, flip bit B of the running value and hash it.
 * @see BOLT 3 "Per-commitment Secret Requirements"
 */
export function perCommitmentSecret(seed: Uint8Array, index: bigint): Uint8Array {
  assertBytes(seed, PER_COMMITMENT_SECRET_BYTES, 'perCommitmentSecret seed');
  assertBigIntRange(index, 0n, FIRST_PER_COMMITMENT_INDEX, 'perCommitmentSecret index');
  return _deriveSecret(seed, PER_COMMITMENT_INDEX_BITS, index);
}

/**
 * `per_commitment_point = per_commitment_secret * G`, the point sent to the counterparty ahead of time so
 * it can build our next commitment's keys without learning the secret.
 * @see BOLT 3 "`revocationpubkey` Derivation"
 */
export function perCommitmentPoint(secret: Uint8Array): Uint8Array {
  return publicKeyFromSecret(secret, 'perCommitmentPoint secret');
}

/**
 * The per-commitment secret index of commitment number `commitmentNumber`: commitment 0 uses index
 * 2^48 - 1, commitment 1 uses 2^48 - 2, and so on (numbers count up, indices count down).
 * @see BOLT 3 "Per-commitment Secret Requirements"
 */
export function secretIndexForCommitment(commitmentNumber: bigint): bigint {
  assertBigIntRange(commitmentNumber, 0n, FIRST_PER_COMMITMENT_INDEX, 'secretIndexForCommitment commitmentNumber');
  return FIRST_PER_COMMITMENT_INDEX - commitmentNumber;
}

/**
 * BOLT 3's `derive_secret(base, bits, I)`, checked at the boundary: the secret for `index` from a secret
 * `base` whose index agrees with `index` on bits `bits`..47 (a store's bucket-`bits` entry). Used by the
 * secret store to check a new secret against the old ones and to answer lookups.
 * @see BOLT 3 "Efficient Per-commitment Secret Storage"
 */
export function deriveSecret(base: Uint8Array, bits: number, index: bigint): Uint8Array {
  assertBytes(base, PER_COMMITMENT_SECRET_BYTES, 'deriveSecret base');
  if (!Number.isInteger(bits) || bits < 0 || bits > PER_COMMITMENT_INDEX_BITS) {
    throw new RangeError(`deriveSecret bits: expected an integer 0..${PER_COMMITMENT_INDEX_BITS} (a bucket number), got ${bits}`);
  }
  assertBigIntRange(index, 0n, FIRST_PER_COMMITMENT_INDEX, 'deriveSecret index');
  return _deriveSecret(base, bits, index);
}

/**
 * BOLT 3's `derive_secret(base, bits, I)`, unchecked: from the secret `base` whose index agrees with `index` on
 * bits `bits`..47, walk down the remaining bits. With `bits` = 48 and `base` = seed this is
 * `generate_from_seed`. Internal to this folder (the store uses it); not part of the public API.
 * @see BOLT 3 "Efficient Per-commitment Secret Storage"
 */
export function _deriveSecret(base: Uint8Array, bits: number, index: bigint): Uint8Array {
  let value = Uint8Array.from(base);
  for (let bit = bits - 1; bit >= 0; bit--) {
    if (((index >> BigInt(bit)) & 1n) === 1n) {
      // "flip(B)" toggles the B'th least significant bit counting from the first byte, as in the
      // reference implementation: byte B / 8, bit B mod 8.
      const byteIndex = bit >> 3;
      value[byteIndex] = (value[byteIndex] as number) ^ (1 << (bit & 7));
      value = Uint8Array.from(sha256(value));
    }
  }
  return value;
}
