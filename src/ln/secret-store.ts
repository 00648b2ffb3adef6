/**
 * The compact store for the counterparty's revealed per-commitment secrets: 49 buckets instead of one
 * secret per revoked commitment, because a secret whose index ends in B zero bits derives the 2^B - 1
 * secrets revealed before it. A ChannelMonitor keeps one of these per channel and asks it for the secret
 * of whichever revoked commitment shows up on chain.
 * @see BOLT 3 "Efficient Per-commitment Secret Storage"
 */
import { assertBigIntRange, assertBytes, bigIntToBytesBE, bytesToBigIntBE, equalBytes } from './bytes.js';
import { NotImplementedError } from '../errors.js';
import { InvalidSecretError } from './errors.js';
import {
  _deriveSecret,
  FIRST_PER_COMMITMENT_INDEX,
  PER_COMMITMENT_INDEX_BITS,
  PER_COMMITMENT_SECRET_BYTES,
} from './secrets.js';

/**
 * One bucket per possible count of trailing zero bits, 0..48 (index 0 has 48 of them).
 * @see BOLT 3 "Efficient Per-commitment Secret Storage"
 */
export const SECRET_STORE_BUCKETS = PER_COMMITMENT_INDEX_BITS + 1;
/** First byte of `toBytes()`, so a later layout can be told apart from this one. */
const SERIALIZATION_VERSION = 1;
/** Bytes per serialized index: the index is 48 bits. */
const INDEX_BYTES = PER_COMMITMENT_INDEX_BITS / 8;
/** Bytes per serialized entry: bucket number, index, secret. */
const ENTRY_BYTES = 1 + INDEX_BYTES + PER_COMMITMENT_SECRET_BYTES;

/** A secret and the index it was revealed for. */
export interface StoredSecret {
  readonly index: bigint;
  readonly secret: Uint8Array;
}

/**
 * Holds the counterparty's per-commitment secrets in O(log n) space and checks, on every insert, that the
 * new secret derives the ones already stored (otherwise they did not come from one seed, and a future
 * revoked commitment could not be punished).
 *
 * ⚡️ Deep dive `provideSecret` (notebook 03): the insert is a hole here; `assembleNode` installs a
 * learner's function (or the reference) in a subclass, and monitors build their store from that subclass.
 *
 * **Order**: secrets must arrive in descending index order starting at 2^48 - 1, one per revocation
 * (BOLT 2 `revoke_and_ack`), exactly as BOLT 3 assumes.
 * @see BOLT 3 "Efficient Per-commitment Secret Storage"
 */
export class CounterpartyCommitmentSecrets {
  /**
   * BOLT 3's `known[]`: bucket B holds the latest secret whose index has B trailing zero bits, or
   * `undefined`. Public so that `provideSecret` can be written outside the class; write it only there.
   */
  readonly buckets: (StoredSecret | undefined)[] = new Array(SECRET_STORE_BUCKETS).fill(undefined);
  /** The lowest (most recent) index stored, or `undefined` before the first secret. */
  lowestIndex: bigint | undefined = undefined;

  /** The index `provideSecret` accepts next: 2^48 - 1 first, then one less each time. */
  get nextIndex(): bigint {
    return this.lowestIndex === undefined ? FIRST_PER_COMMITMENT_INDEX : this.lowestIndex - 1n;
  }

  /**
   * ⚡️ Deep dive `provideSecret` (notebook 03). Stores the secret for `index` (BOLT 3's `insert_secret`).
   * Throws `InvalidSecretError`, leaving the store exactly as it was, when `index` is not `nextIndex` or
   * when `secret` does not derive every secret already stored in a lower bucket.
   * @see BOLT 3 "Efficient Per-commitment Secret Storage"
   */
  provideSecret(index: bigint, secret: Uint8Array): void {
    throw new NotImplementedError('provideSecret', 'CounterpartyCommitmentSecrets.prototype.provideSecret');
  }

  /**
   * The secret for `index`, derived from whichever stored secret covers it, or `undefined` if that
   * commitment has not been revoked yet (BOLT 3's `derive_old_secret`).
   * @see BOLT 3 "Efficient Per-commitment Secret Storage"
   */
  getSecret(index: bigint): Uint8Array | undefined {
    assertBigIntRange(index, 0n, FIRST_PER_COMMITMENT_INDEX, 'getSecret index');
    for (let bucket = 0; bucket < SECRET_STORE_BUCKETS; bucket++) {
      const known = this.buckets[bucket];
      if (known === undefined) continue;
      // A bucket-b entry has b trailing zero bits; it covers every index that shares the rest.
      const prefixMask = ~((1n << BigInt(bucket)) - 1n);
      if ((index & prefixMask) === known.index) return _deriveSecret(known.secret, bucket, index);
    }
    return undefined;
  }

  /**
   * Serializes for persistence: a version byte, an entry count, then per stored bucket its number, the
   * 6-byte big-endian index and the 32-byte secret. Contains secrets: store it like a private key.
   */
  toBytes(): Uint8Array {
    const entries = this.buckets.flatMap((entry, bucket) => (entry === undefined ? [] : [{ bucket, entry }]));
    const out = new Uint8Array(2 + entries.length * ENTRY_BYTES);
    out[0] = SERIALIZATION_VERSION;
    out[1] = entries.length;
    entries.forEach(({ bucket, entry }, i) => {
      const offset = 2 + i * ENTRY_BYTES;
      out[offset] = bucket;
      out.set(bigIntToBytesBE(entry.index, INDEX_BYTES), offset + 1);
      out.set(entry.secret, offset + 1 + INDEX_BYTES);
    });
    return out;
  }

  /**
   * Rebuilds a store from `toBytes()` output. Throws `RangeError` for a malformed layout and
   * `InvalidSecretError` if the secrets are inconsistent (a corrupted or tampered record).
   */
  static fromBytes<S extends CounterpartyCommitmentSecrets>(this: new () => S, bytes: Uint8Array): S {
    assertBytes(bytes, undefined, 'CounterpartyCommitmentSecrets.fromBytes');
    if (bytes.length < 2 || bytes[0] !== SERIALIZATION_VERSION) {
      throw new RangeError(
        `CounterpartyCommitmentSecrets.fromBytes: expected version ${SERIALIZATION_VERSION}, got ${bytes.length < 1 ? 'no bytes' : `version ${bytes[0]}`}`,
      );
    }
    const count = bytes[1] as number;
    if (count > SECRET_STORE_BUCKETS || bytes.length !== 2 + count * ENTRY_BYTES) {
      throw new RangeError(
        `CounterpartyCommitmentSecrets.fromBytes: expected ${2 + count * ENTRY_BYTES} bytes for ${count} entries (at most ${SECRET_STORE_BUCKETS}), got ${bytes.length}`,
      );
    }
    const store = new this();
    for (let i = 0; i < count; i++) {
      const offset = 2 + i * ENTRY_BYTES;
      const bucket = bytes[offset] as number;
      const index = bytesToBigIntBE(bytes.subarray(offset + 1, offset + 1 + INDEX_BYTES));
      const secret = bytes.slice(offset + 1 + INDEX_BYTES, offset + ENTRY_BYTES);
      if (bucket >= SECRET_STORE_BUCKETS || secretBucket(index) !== bucket || store.buckets[bucket] !== undefined) {
        throw new RangeError(`CounterpartyCommitmentSecrets.fromBytes entry ${i}: expected index ${index} in bucket ${secretBucket(index)}, got bucket ${bucket}`);
      }
      store.buckets[bucket] = Object.freeze({ index, secret });
      if (store.lowestIndex === undefined || index < store.lowestIndex) store.lowestIndex = index;
    }
    assertConsistent(store.buckets);
    return store;
  }

  /** True when both stores hold the same secrets at the same indices. */
  equals(other: CounterpartyCommitmentSecrets): boolean {
    return equalBytes(this.toBytes(), other.toBytes());
  }
}

/** The constructor of the store, or of a subclass with `provideSecret` filled in. */
export type CounterpartyCommitmentSecretsClass = typeof CounterpartyCommitmentSecrets;

/**
 * A higher-bucket entry received after a lower-bucket one (lower index) must derive it: that is what
 * `provideSecret` checked when it was inserted. Used to refuse a corrupted record.
 */
function assertConsistent(buckets: readonly (StoredSecret | undefined)[]): void {
  for (let upper = 1; upper < SECRET_STORE_BUCKETS; upper++) {
    const later = buckets[upper];
    if (later === undefined) continue;
    for (let lower = 0; lower < upper; lower++) {
      const earlier = buckets[lower];
      if (earlier === undefined || earlier.index < later.index) continue;
      if (!equalBytes(_deriveSecret(later.secret, upper, earlier.index), earlier.secret)) {
        throw new InvalidSecretError(
          'CounterpartyCommitmentSecrets.fromBytes',
          `the secret for index ${later.index} to derive the one for ${earlier.index}`,
          'secrets from different seeds',
          'the stored record is corrupted: restore it from a backup',
        );
      }
    }
  }
}

/**
 * BOLT 3's `where_to_put_secret`: the bucket for `index`, its number of trailing zero bits (48 for index 0).
 * @see BOLT 3 "Efficient Per-commitment Secret Storage"
 */
export function secretBucket(index: bigint): number {
  for (let bit = 0; bit < PER_COMMITMENT_INDEX_BITS; bit++) {
    if (((index >> BigInt(bit)) & 1n) === 1n) return bit;
  }
  return PER_COMMITMENT_INDEX_BITS;
}
