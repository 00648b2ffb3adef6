/** BOLT 3 Appendix D: Per-commitment Secret Generation and Storage Test Vectors, one test per vector. */
import { describe, expect, test } from 'vitest';
import { CounterpartyCommitmentSecrets } from '../helpers/reference.js';
import { InvalidSecretError, perCommitmentSecret } from '../../src/ln/index.js';
import { bytesToHex, hex, vectors } from './bolt3-fixture.js';

describe('BOLT 3 Appendix D: generation', () => {
  for (const vector of vectors.per_commitment_secret_generation) {
    test(`BOLT 3 Appendix D: ${vector.name}`, () => {
      const secret = perCommitmentSecret(hex(vector.seed), BigInt(vector.I_decimal));
      expect(bytesToHex(secret)).toBe(bytesToHex(hex(vector.output)));
    });
  }
});

describe('BOLT 3 Appendix D: storage', () => {
  for (const vector of vectors.per_commitment_secret_storage.tests) {
    test(`BOLT 3 Appendix D: ${vector.name}`, () => {
      const store = new CounterpartyCommitmentSecrets();
      vector.inserts.forEach((insert: { index: number; secret: string; expected: 'OK' | 'ERROR' }, position: number) => {
        const index = BigInt(insert.index);
        if (insert.expected === 'OK') {
          store.provideSecret(index, hex(insert.secret));
          // Every secret accepted so far is still derivable from the compact store.
          for (const earlier of vector.inserts.slice(0, position + 1)) {
            expect(bytesToHex(store.getSecret(BigInt(earlier.index))!)).toBe(bytesToHex(hex(earlier.secret)));
          }
          return;
        }
        expect(position).toBe(vector.fails_at_insert_position);
        expect(index).toBe(BigInt(vector.fails_at_index));
        const before = store.toBytes();
        expect(() => store.provideSecret(index, hex(insert.secret))).toThrow(InvalidSecretError);
        expect(bytesToHex(store.toBytes())).toBe(bytesToHex(before));
        expect(store.getSecret(index)).toBeUndefined();
        expect(store.nextIndex).toBe(index);
      });
      if (vector.expect_success) {
        const restored = CounterpartyCommitmentSecrets.fromBytes(store.toBytes());
        expect(restored.equals(store)).toBe(true);
      }
    });
  }
});
