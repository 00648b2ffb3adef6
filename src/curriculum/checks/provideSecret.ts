/**
 * Checks of ⚡️ deep dive `provideSecret`: BOLT 3's compact secret store, on every `insert_secret` sequence of
 * Appendix D (the correct one and the eight that must be refused), plus the two rules the vectors do not
 * reach: secrets arrive in order, and the store keeps its own copy.
 * @see BOLT 3 "Efficient Per-commitment Secret Storage", "Appendix D: Per-commitment Secret Test Vectors"
 */
import { InvalidSecretError } from '../../ln/errors.js';
import type { CounterpartyCommitmentSecrets } from '../../ln/secret-store.js';
import { FIRST_PER_COMMITMENT_INDEX } from '../../ln/secrets.js';
import { CheckFailure, expectEqual, expectThat, expectThrows, show } from '../check/expect.js';
import type { ExerciseTest } from '../check/types.js';
import { APPENDIX_D_STORAGE, type SecretStorageVector } from './fixtures/appendix-d-storage.js';
import { nodeWith } from './support.js';

export type ProvideSecret = (this: CounterpartyCommitmentSecrets, index: bigint, secret: Uint8Array) => void;

function storeWith(impl: ProvideSecret): CounterpartyCommitmentSecrets {
  const { CounterpartyCommitmentSecrets: Store } = nodeWith('provideSecret', impl);
  return new Store();
}

const bytes = (hex: string): Uint8Array => Uint8Array.from(Buffer.from(hex, 'hex'));

/** Inserts the vector's OK secrets, checking after each that every secret so far still comes back. */
function insertAccepted(store: CounterpartyCommitmentSecrets, vector: SecretStorageVector): void {
  const accepted = vector.inserts.filter((i) => i.expected === 'OK');
  accepted.forEach((insert, position) => {
    try {
      store.provideSecret(insert.index, bytes(insert.secret));
    } catch (err) {
      if (err instanceof Error && err.name === 'NotImplementedError') throw err; // reported as "not written yet"
      throw new CheckFailure(
        `Appendix D "${vector.name}", insert ${position + 1}: provideSecret(${insert.index}) with the spec's valid secret`,
        'it stored',
        err instanceof Error ? `${err.name}: ${err.message.split('\n')[0]}` : show(err),
        'a valid secret derives every stored one: derive each from the NEW secret, at the new bucket (deriveSecret(newSecret, bucket, stored.index)), and compare',
      );
    }
    for (const earlier of accepted.slice(0, position + 1)) {
      expectEqual(store.getSecret(earlier.index), bytes(earlier.secret),
        `Appendix D "${vector.name}": getSecret(${earlier.index}) after ${position + 1} insert(s)`,
        'put each secret in bucket `secretBucket(index)` as `{ index, secret }` and set `this.lowestIndex`: getSecret reads exactly those');
    }
  });
}

function vectorCheck(vector: SecretStorageVector): ExerciseTest<ProvideSecret> {
  const refused = vector.inserts.find((i) => i.expected === 'ERROR');
  return {
    name: `BOLT 3 Appendix D: ${vector.name}`,
    async run(impl) {
      const store = storeWith(impl);
      insertAccepted(store, vector);
      if (!refused) return;
      const before = Buffer.from(store.toBytes());
      const nextBefore = store.nextIndex;
      await expectThrows(() => store.provideSecret(refused.index, bytes(refused.secret)), InvalidSecretError,
        `Appendix D "${vector.name}": provideSecret(${refused.index}) with a secret that does not derive the stored ones`,
        'derive every stored secret in a lower bucket from the new one and refuse it if any differs — all of them: a forged secret may agree with some of them');
      expectThat(Buffer.from(store.toBytes()).equals(before) && store.nextIndex === nextBefore,
        `Appendix D "${vector.name}": the store after the refused insert`, 'exactly as before (same buckets, same nextIndex)',
        `a changed store (nextIndex ${store.nextIndex}, was ${nextBefore})`,
        'check every lower bucket first and write `this.buckets` / `this.lowestIndex` only when all of them agree');
    },
  };
}

export const tests: ExerciseTest<ProvideSecret>[] = [
  ...APPENDIX_D_STORAGE.map(vectorCheck),
  {
    name: 'refuses a secret out of order',
    async run(impl) {
      const [first, second, third] = APPENDIX_D_STORAGE[0]!.inserts;
      const fresh = storeWith(impl);
      await expectThrows(() => fresh.provideSecret(second!.index, bytes(second!.secret)), InvalidSecretError,
        `provideSecret(${second!.index}) on an empty store (the first secret has index 2^48 - 1 = ${FIRST_PER_COMMITMENT_INDEX})`,
        'secrets arrive one per revocation, counting down: refuse any index other than `this.nextIndex`');
      const store = storeWith(impl);
      store.provideSecret(first!.index, bytes(first!.secret));
      await expectThrows(() => store.provideSecret(third!.index, bytes(third!.secret)), InvalidSecretError,
        `provideSecret(${third!.index}) right after ${first!.index} (one index skipped)`,
        'a skipped index is a revocation we never got: refuse any index other than `this.nextIndex`');
      await expectThrows(() => store.provideSecret(first!.index, bytes(first!.secret)), InvalidSecretError,
        `provideSecret(${first!.index}) a second time`,
        'an index already stored is not `this.nextIndex` either: refuse it');
    },
  },
  {
    name: "keeps its own copy of the secret, not the caller's array",
    async run(impl) {
      const [first] = APPENDIX_D_STORAGE[0]!.inserts;
      const store = storeWith(impl);
      const given = bytes(first!.secret);
      store.provideSecret(first!.index, given);
      given.fill(0);
      expectEqual(store.getSecret(first!.index), bytes(first!.secret), `getSecret(${first!.index}) after the caller zeroed its own array`,
        'store a copy (`Uint8Array.from(secret)`): the caller may reuse or wipe the buffer it passed');
    },
  },
];
