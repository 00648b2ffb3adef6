/** KeysManager: one seed, deterministic and separated keys. */
import { describe, expect, test } from 'vitest';
import { KeysManager, perCommitmentPoint, perCommitmentSecret, publicKeyFromSecret } from '../../src/ln/index.js';
import { bytesToHex } from './bolt3-fixture.js';

const seed = new Uint8Array(32).fill(0x42);

describe('KeysManager', () => {
  test('the same seed and id give the same keys; the node key is stable', () => {
    const a = new KeysManager(seed);
    const b = new KeysManager(Uint8Array.from(seed));
    expect(bytesToHex(a.nodeId)).toBe(bytesToHex(b.nodeId));
    expect(bytesToHex(a.nodeId)).toBe(bytesToHex(publicKeyFromSecret(a.nodeSecret)));
    expect(bytesToHex(a.channelKeys(1).commitmentSeed)).toBe(bytesToHex(b.channelKeys(1).commitmentSeed));
    expect(a.channelKeys(1).pubkeys).toEqual(b.channelKeys(1).pubkeys);
  });

  test('every key of every channel differs (domain separation)', () => {
    const manager = new KeysManager(seed);
    const all = [manager.nodeSecret];
    for (const id of [0, 1, 2]) {
      const keys = manager.channelKeys(id);
      all.push(keys.fundingSecret, keys.revocationBasepointSecret, keys.paymentBasepointSecret);
      all.push(keys.delayedPaymentBasepointSecret, keys.htlcBasepointSecret, keys.commitmentSeed);
    }
    expect(new Set(all.map(bytesToHex)).size).toBe(all.length);
    expect(bytesToHex(new KeysManager(new Uint8Array(32).fill(0x43)).nodeId)).not.toBe(bytesToHex(manager.nodeId));
  });

  test('public keys match secrets; per-commitment secrets follow BOLT 3 indices', () => {
    const keys = new KeysManager(seed).channelKeys(5);
    expect(bytesToHex(keys.pubkeys.htlcBasepoint)).toBe(bytesToHex(publicKeyFromSecret(keys.htlcBasepointSecret)));
    expect(bytesToHex(keys.perCommitmentSecret(0n))).toBe(bytesToHex(perCommitmentSecret(keys.commitmentSeed, 2n ** 48n - 1n)));
    expect(bytesToHex(keys.perCommitmentPoint(3n))).toBe(bytesToHex(perCommitmentPoint(perCommitmentSecret(keys.commitmentSeed, 2n ** 48n - 4n))));
    expect(Object.isFrozen(keys)).toBe(true);
  });
});
