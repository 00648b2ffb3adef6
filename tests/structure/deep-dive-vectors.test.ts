/**
 * The deep dives' checks carry BOLT 3 vectors as modules (the grading child reads no file); they must be the
 * spec's vectors exactly as `tests/fixtures/bolt3_vectors.json` stores them.
 */
import { describe, expect, it } from 'vitest';
import { APPENDIX_D_STORAGE } from '../../src/curriculum/checks/fixtures/appendix-d-storage.js';
import { APPENDIX_E } from '../../src/curriculum/checks/fixtures/appendix-e.js';
import { vectors } from '../ln/bolt3-fixture.js';

const plain = (hex: string) => hex.replace(/^0x/i, '').toLowerCase();

describe('the deep dives carry BOLT 3 vectors unchanged', () => {
  it('Appendix D: every storage sequence, every insert and its expected answer', () => {
    const fromJson = vectors.per_commitment_secret_storage.tests.map((t: { name: string; inserts: { index: number; secret: string; expected: string }[] }) => ({
      name: t.name,
      inserts: t.inserts.map((i) => ({ index: BigInt(i.index), secret: plain(i.secret), expected: i.expected })),
    }));
    expect(APPENDIX_D_STORAGE).toEqual(fromJson);
    expect(APPENDIX_D_STORAGE.filter((v) => v.inserts.some((i) => i.expected === 'ERROR'))).toHaveLength(8);
  });

  it('Appendix E: the revocation key and its inputs', () => {
    const e = vectors.key_derivation;
    const revocationCase = e.cases.find((c: { revocationprivkey?: string }) => c.revocationprivkey);
    const localCase = e.cases.find((c: { localprivkey?: string }) => c.localprivkey);
    const revocationPubkeyCase = e.cases.find((c: { revocationpubkey?: string }) => c.revocationpubkey);
    expect(APPENDIX_E).toEqual({
      revocationBasepointSecret: plain(e.revocation_basepoint_secret),
      perCommitmentSecret: plain(e.per_commitment_secret),
      revocationBasepoint: plain(e.revocation_basepoint),
      perCommitmentPoint: plain(e.per_commitment_point),
      revocationpubkey: plain(revocationPubkeyCase.revocationpubkey),
      revocationprivkey: plain(revocationCase.revocationprivkey),
      localprivkey: plain(localCase.localprivkey),
    });
  });
});
