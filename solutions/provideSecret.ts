/** Reference solution of ⚡️ deep dive `provideSecret` (notebook 03). */
import { InvalidSecretError, deriveSecret, secretBucket, type CounterpartyCommitmentSecrets } from '../src/index.js';

/**
 * Stores the counterparty's secret for `index` (BOLT 3's `insert_secret`): refuses an index out of
 * order, and a secret that does not derive every secret held in a lower bucket — checking them all before
 * storing anything, so a refused secret leaves the store as it was.
 */
export function provideSecret(this: CounterpartyCommitmentSecrets, index: bigint, secret: Uint8Array): void {
  // secrets arrive one per revocation, counting down from 2^48 - 1: refuse any index but `this.nextIndex`
  if (index !== this.nextIndex) {
    throw new InvalidSecretError(
      'provideSecret index',
      `${this.nextIndex} (secrets arrive in descending order from 2^48 - 1)`,
      `${index}`,
      'pass the secret revealed for the commitment just revoked, in the order revoke_and_ack delivered them',
    );
  }
  // the bucket of this index: its count of trailing zero bits
  const bucket = secretBucket(index);
  // every secret in a lower bucket has an index this one's prefix covers: the new secret must derive it
  for (let lower = 0; lower < bucket; lower++) {
    const known = this.buckets[lower];
    if (known === undefined) continue;
    const derived = deriveSecret(secret, bucket, known.index);
    if (!Buffer.from(derived).equals(Buffer.from(known.secret))) {
      throw new InvalidSecretError(
        `provideSecret(${index})`,
        `a secret that derives the stored secret for index ${known.index}`,
        'one that does not (it was not generated from the same seed)',
        'the counterparty sent an invalid revocation: fail the channel (close it on chain) and keep this store',
      );
    }
  }
  // only now store it (a copy, frozen) and move the store on to the next index
  this.buckets[bucket] = Object.freeze({ index, secret: Uint8Array.from(secret) });
  this.lowestIndex = index;
}
