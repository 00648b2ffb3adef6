/**
 * BOLT 3 key derivation: every commitment transaction uses fresh keys, made by tweaking each long-lived
 * basepoint with that commitment's `per_commitment_point`. A watcher that knows the basepoints and a
 * revealed per-commitment secret can rebuild a revoked commitment's scripts, and nothing more.
 *
 * Point and scalar arithmetic is secp256k1 (SEC 2 §2.4.1) via @noble/secp256k1; hashes are SHA-256.
 * @see BOLT 3 "Key Derivation"
 */
import * as secp from '@noble/secp256k1';
import { sha256 } from '@noble/hashes/sha2.js';
import { assertBytes, bytesToBigIntBE, bigIntToBytesBE, bytesToHex, concatBytes } from './bytes.js';
import { InvalidPointError, InvalidSecretError } from './errors.js';

/**
 * Length of a compressed SEC1 public key: one parity byte and the 32-byte x coordinate.
 * @see BOLT 3 "Key Derivation"
 */
export const PUBLIC_KEY_BYTES = 33;
/**
 * Length of a secp256k1 secret key (a scalar below the curve order), big-endian.
 * @see BOLT 3 "Key Derivation"
 */
export const SECRET_KEY_BYTES = 32;
/**
 * The secp256k1 group order n (SEC 2 §2.4.1): secret keys are scalars in [1, n), and sums and products of
 * scalars are reduced modulo n.
 * @see BOLT 3 "Key Derivation"
 */
export const SECP256K1_ORDER: bigint = secp.Point.CURVE().n;
const CURVE_ORDER = SECP256K1_ORDER;

/**
 * Parses a 33-byte compressed public key into a curve point, or throws `InvalidPointError`.
 * Uncompressed keys are refused: BOLT 3 scripts and hashes commit to the 33-byte form.
 * @see BOLT 3 "Key Derivation"
 */
export function parsePublicKey(publicKey: Uint8Array, context = 'public key'): secp.Point {
  assertBytes(publicKey, undefined, context);
  if (publicKey.length !== PUBLIC_KEY_BYTES || (publicKey[0] !== 0x02 && publicKey[0] !== 0x03)) {
    throw new InvalidPointError(
      context,
      `a ${PUBLIC_KEY_BYTES}-byte compressed key starting 02 or 03`,
      `${publicKey.length} bytes starting ${publicKey.length > 0 ? bytesToHex(publicKey.subarray(0, 1)) : '(nothing)'}`,
    );
  }
  try {
    return secp.Point.fromBytes(publicKey);
  } catch {
    throw new InvalidPointError(context, 'a point on secp256k1', `x = ${bytesToHex(publicKey.subarray(1))} (not on the curve)`);
  }
}

/**
 * Throws `InvalidPointError` unless `publicKey` is a valid compressed point; returns it.
 * @see BOLT 3 "Key Derivation"
 */
export function assertPublicKey(publicKey: Uint8Array, context = 'public key'): Uint8Array {
  const hex = publicKey instanceof Uint8Array && publicKey.length === 33 ? Buffer.from(publicKey).toString('hex') : undefined;
  if (hex !== undefined && VALID_PUBKEYS.has(hex)) return publicKey;
  parsePublicKey(publicKey, context);
  if (hex !== undefined) {
    if (VALID_PUBKEYS.size >= VALID_PUBKEYS_KEPT) VALID_PUBKEYS.clear();
    VALID_PUBKEYS.add(hex);
  }
  return publicKey;
}

/**
 * Compressed keys already found on the curve. Decoding a point (a square root mod p) is the dearest step
 * of building a monitor, and a node asks about the same few basepoints for every one of its channels; a
 * key that decoded once always will.
 */
const VALID_PUBKEYS = new Set<string>();
const VALID_PUBKEYS_KEPT = 4096;

/**
 * The secret as a scalar in [1, n), or `InvalidSecretError`. Never puts the secret in the message.
 * @see BOLT 3 "Key Derivation"
 */
export function secretToScalar(secret: Uint8Array, context = 'secret key'): bigint {
  assertBytes(secret, undefined, context);
  if (secret.length !== SECRET_KEY_BYTES) {
    throw new InvalidSecretError(
      context,
      `${SECRET_KEY_BYTES} bytes`,
      `${secret.length} bytes`,
      secret.length === SECRET_KEY_BYTES + 1
        ? 'drop the trailing 01 byte: it is a WIF "compressed" marker, not part of the key'
        : undefined,
    );
  }
  const scalar = bytesToBigIntBE(secret);
  if (scalar === 0n || scalar >= CURVE_ORDER) {
    throw new InvalidSecretError(context, 'a scalar in [1, n) (n is the secp256k1 order)', scalar === 0n ? 'zero' : 'a value ≥ n');
  }
  return scalar;
}

/**
 * The 33-byte compressed public key of a 32-byte secret.
 * @see BOLT 3 "Key Derivation"
 */
export function publicKeyFromSecret(secret: Uint8Array, context = 'secret key'): Uint8Array {
  return secp.Point.BASE.multiply(secretToScalar(secret, context)).toBytes(true);
}

/**
 * `pubkey = basepoint + SHA256(per_commitment_point || basepoint) * G`: the `localpubkey`,
 * `local_htlcpubkey`, `remote_htlcpubkey`, `local_delayedpubkey` or `remote_delayedpubkey` of one
 * commitment, depending on which basepoint is passed.
 * @see BOLT 3 "`localpubkey`, `local_htlcpubkey`, `remote_htlcpubkey`, `local_delayedpubkey`, and `remote_delayedpubkey` Derivation"
 */
export function derivePublicKey(basepoint: Uint8Array, perCommitmentPoint: Uint8Array): Uint8Array {
  const base = parsePublicKey(basepoint, 'derivePublicKey basepoint');
  parsePublicKey(perCommitmentPoint, 'derivePublicKey perCommitmentPoint');
  const tweak = hashToScalar(concatBytes(perCommitmentPoint, basepoint));
  return pointToBytes(base.add(secp.Point.BASE.multiply(tweak)), 'derivePublicKey result');
}

/**
 * `privkey = basepoint_secret + SHA256(per_commitment_point || basepoint) mod n`: the secret matching
 * `derivePublicKey(basepoint, perCommitmentPoint)`. Only the owner of a basepoint can compute it.
 * @see BOLT 3 "`localpubkey`, `local_htlcpubkey`, `remote_htlcpubkey`, `local_delayedpubkey`, and `remote_delayedpubkey` Derivation"
 */
export function derivePrivateKey(basepointSecret: Uint8Array, perCommitmentPoint: Uint8Array): Uint8Array {
  const secretScalar = secretToScalar(basepointSecret, 'derivePrivateKey basepointSecret');
  parsePublicKey(perCommitmentPoint, 'derivePrivateKey perCommitmentPoint');
  const basepoint = secp.Point.BASE.multiply(secretScalar).toBytes(true);
  const tweak = hashToScalar(concatBytes(perCommitmentPoint, basepoint));
  return scalarToSecret((secretScalar + tweak) % CURVE_ORDER, 'derivePrivateKey result');
}

/**
 * `revocationpubkey = revocation_basepoint * SHA256(revocation_basepoint || per_commitment_point)
 * + per_commitment_point * SHA256(per_commitment_point || revocation_basepoint)`. Blinded so that
 * neither the basepoint's owner nor the per-commitment point's owner alone knows the secret.
 * @see BOLT 3 "`revocationpubkey` Derivation"
 */
export function deriveRevocationPublicKey(revocationBasepoint: Uint8Array, perCommitmentPoint: Uint8Array): Uint8Array {
  const base = parsePublicKey(revocationBasepoint, 'deriveRevocationPublicKey revocationBasepoint');
  const commitmentPoint = parsePublicKey(perCommitmentPoint, 'deriveRevocationPublicKey perCommitmentPoint');
  const baseTweak = hashToScalar(concatBytes(revocationBasepoint, perCommitmentPoint));
  const commitmentTweak = hashToScalar(concatBytes(perCommitmentPoint, revocationBasepoint));
  const sum = base.multiply(baseTweak).add(commitmentPoint.multiply(commitmentTweak));
  return pointToBytes(sum, 'deriveRevocationPublicKey result');
}

/**
 * SHA256 of `data` as a scalar. A digest ≥ n (probability about 2^-128) is refused rather than reduced,
 * as libsecp256k1's tweak functions do, so every implementation derives the same key or none.
 */
function hashToScalar(data: Uint8Array): bigint {
  const scalar = bytesToBigIntBE(sha256(data));
  if (scalar === 0n || scalar >= CURVE_ORDER) {
    throw new InvalidSecretError('key tweak SHA256', 'a scalar in [1, n)', 'an out-of-range digest', 'use a different basepoint');
  }
  return scalar;
}

/** Compressed encoding of a derived point; infinity means the inputs cancelled out. */
function pointToBytes(point: secp.Point, context: string): Uint8Array {
  if (point.is0()) {
    throw new InvalidPointError(context, 'a point other than infinity', 'infinity', 'use a different basepoint or per-commitment point');
  }
  return point.toBytes(true);
}

function scalarToSecret(scalar: bigint, context: string): Uint8Array {
  if (scalar === 0n) {
    throw new InvalidSecretError(context, 'a non-zero scalar', 'zero', 'use a different basepoint secret');
  }
  return bigIntToBytesBE(scalar, SECRET_KEY_BYTES);
}
