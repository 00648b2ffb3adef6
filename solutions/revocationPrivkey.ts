/** Reference solution of ⚡️ deep dive `revocationPrivkey` (notebook 01). */
import { createHash } from 'node:crypto';
import { SECP256K1_ORDER, publicKeyFromSecret, type ChannelMonitor } from '../src/index.js';

/**
 * `revocationprivkey = revocation_basepoint_secret * SHA256(revocation_basepoint || per_commitment_point)
 *   + per_commitment_secret * SHA256(per_commitment_point || revocation_basepoint)  (mod n)`,
 * as 32 big-endian bytes: the key that spends a revoked commitment's revocation paths.
 */
export function revocationPrivkey(this: ChannelMonitor, perCommitmentSecret: Uint8Array): Uint8Array {
  const basepointSecret = this.secrets.revocationBasepointSecret; // (given)
  // the two public points, 33-byte compressed: ours (the basepoint) and theirs (the per-commitment point)
  const revocationBasepoint = publicKeyFromSecret(basepointSecret);
  const perCommitmentPoint = publicKeyFromSecret(perCommitmentSecret);
  // each secret gets its own tweak: SHA256 of its own point first, then the other one
  const scalar = (bytes: Uint8Array) => BigInt(`0x${Buffer.from(bytes).toString('hex')}`);
  const sha256 = (first: Uint8Array, second: Uint8Array) => scalar(createHash('sha256').update(first).update(second).digest());
  const baseTweak = sha256(revocationBasepoint, perCommitmentPoint);
  const commitmentTweak = sha256(perCommitmentPoint, revocationBasepoint);
  // multiply each secret by its tweak, add, and reduce modulo the curve order
  const key = (scalar(basepointSecret) * baseTweak + scalar(perCommitmentSecret) * commitmentTweak) % SECP256K1_ORDER;
  // back to 32 big-endian bytes, leading zeros kept
  return Uint8Array.from(Buffer.from(key.toString(16).padStart(64, '0'), 'hex'));
}
