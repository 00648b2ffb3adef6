/** CounterpartyCommitmentSecrets beyond the spec vectors: a long run, persistence, tampering. */
import { describe, expect, test } from 'vitest';
import { CounterpartyCommitmentSecrets } from '../helpers/reference.js';
import { InvalidSecretError, perCommitmentSecret, secretIndexForCommitment } from '../../src/ln/index.js';
import { bytesToHex } from './bolt3-fixture.js';

const seed = new Uint8Array(32).fill(0x5e);
const COMMITMENTS = 300n;

function filledStore(): CounterpartyCommitmentSecrets {
  const store = new CounterpartyCommitmentSecrets();
  for (let n = 0n; n < COMMITMENTS; n++) store.provideSecret(secretIndexForCommitment(n), perCommitmentSecret(seed, secretIndexForCommitment(n)));
  return store;
}

describe('CounterpartyCommitmentSecrets', () => {
  test('derives every revoked secret from at most 49 stored ones', () => {
    const store = filledStore();
    for (let n = 0n; n < COMMITMENTS; n++) {
      const index = secretIndexForCommitment(n);
      expect(bytesToHex(store.getSecret(index)!)).toBe(bytesToHex(perCommitmentSecret(seed, index)));
    }
    expect(store.getSecret(secretIndexForCommitment(COMMITMENTS))).toBeUndefined();
    expect(store.toBytes().length).toBeLessThanOrEqual(2 + 49 * 39);
  });

  test('persists: fromBytes(toBytes()) answers the same', () => {
    const store = filledStore();
    const restored = CounterpartyCommitmentSecrets.fromBytes(store.toBytes());
    expect(restored.equals(store)).toBe(true);
    expect(restored.nextIndex).toBe(store.nextIndex);
    expect(bytesToHex(restored.getSecret(secretIndexForCommitment(17n))!)).toBe(bytesToHex(store.getSecret(secretIndexForCommitment(17n))!));
    expect(CounterpartyCommitmentSecrets.fromBytes(new CounterpartyCommitmentSecrets().toBytes()).nextIndex).toBe(2n ** 48n - 1n);
  });

  test('fromBytes rejects a tampered secret and a malformed layout', () => {
    const bytes = filledStore().toBytes();
    const tampered = Uint8Array.from(bytes);
    tampered[tampered.length - 1]! ^= 1;
    expect(() => CounterpartyCommitmentSecrets.fromBytes(tampered)).toThrow(InvalidSecretError);
    expect(() => CounterpartyCommitmentSecrets.fromBytes(bytes.subarray(0, bytes.length - 1))).toThrow(RangeError);
    expect(() => CounterpartyCommitmentSecrets.fromBytes(Uint8Array.of(9, 0))).toThrow(/expected version 1, got version 9/);
  });
});
