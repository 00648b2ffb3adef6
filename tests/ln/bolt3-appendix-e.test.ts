/** BOLT 3 Appendix E: Key Derivation Test Vectors, one test per vector. */
import { describe, expect, test } from 'vitest';
import { referenceRevocationPrivkey } from '../helpers/reference.js';
import {
  derivePrivateKey,
  derivePublicKey,
  deriveRevocationPublicKey,
  perCommitmentPoint,
  publicKeyFromSecret,
} from '../../src/ln/index.js';
import { bytesToHex, hex, vectors } from './bolt3-fixture.js';

const v = vectors.key_derivation;
const basepoint = hex(v.base_point);
const basepointSecret = hex(v.basepoint_secret);
const commitmentPoint = hex(v.per_commitment_point);
const commitmentSecret = hex(v.per_commitment_secret);

/** Each case names one derivation; the expected value is its one hex field. */
const derivations: Record<string, () => Uint8Array> = {
  localpubkey: () => derivePublicKey(basepoint, commitmentPoint),
  localprivkey: () => derivePrivateKey(basepointSecret, commitmentPoint),
  revocationpubkey: () => deriveRevocationPublicKey(hex(v.revocation_basepoint), commitmentPoint),
  revocationprivkey: () => referenceRevocationPrivkey(hex(v.revocation_basepoint_secret), commitmentSecret),
};

describe('BOLT 3 Appendix E', () => {
  test('BOLT 3 Appendix E: inputs are consistent (points are the secrets times G)', () => {
    expect(bytesToHex(publicKeyFromSecret(basepointSecret))).toBe(bytesToHex(basepoint));
    expect(bytesToHex(perCommitmentPoint(commitmentSecret))).toBe(bytesToHex(commitmentPoint));
  });

  for (const vector of v.cases) {
    test(`BOLT 3 Appendix E: ${vector.name}`, () => {
      const field = Object.keys(derivations).find((name) => name in vector);
      expect(field, 'each case has one expected key').toBeDefined();
      expect(bytesToHex(derivations[field as string]!())).toBe(bytesToHex(hex(vector[field as string])));
    });
  }

  test('BOLT 3 Appendix E: derived private keys match derived public keys', () => {
    expect(bytesToHex(publicKeyFromSecret(derivations.localprivkey!()))).toBe(bytesToHex(derivations.localpubkey!()));
    expect(bytesToHex(publicKeyFromSecret(derivations.revocationprivkey!()))).toBe(bytesToHex(derivations.revocationpubkey!()));
  });
});
