/**
 * BOLT 3 Appendix F: Commitment and HTLC Transaction Test Vectors (anchors), one test per commitment case
 * and one per HTLC transaction. Same channel as Appendix C, with `option_anchors` and zero-fee HTLC
 * transactions; the remote HTLC signatures are SIGHASH_SINGLE|ANYONECANPAY.
 */
import { describe, expect, test } from 'vitest';
import {
  assertCounterpartyCommitmentSignature,
  buildHolderCommitment,
  buildHtlcTransactions,
  finalizeCommitment,
  signCommitment,
  signHtlcTransaction,
  SIGHASH_SINGLE_ANYONECANPAY,
  verifyHtlcSignature,
  withHtlcWitness,
  withSighashByte,
  type CommitmentTransaction,
} from '../../src/ln/index.js';
import { appendixC, appendixCChannel, assertSpends, bytesToHex, hex, htlcsForCase, vectorHtlcFor, vectors } from './bolt3-fixture.js';

type AnchorCase = (typeof vectors.commitment_tx.anchor_cases_appendix_F)[number];

function commitmentFor(vector: AnchorCase): CommitmentTransaction {
  const params = appendixCChannel('anchors_zero_fee_htlc_tx', BigInt(vector.DustLimitSatoshis));
  const toLocalMsat = BigInt(vector.LocalBalance);
  return buildHolderCommitment(params, {
    commitmentNumber: appendixC.commitmentNumber,
    holderBalanceMsat: toLocalMsat,
    counterpartyBalanceMsat: BigInt(vector.RemoteBalance),
    feeratePerKw: vector.FeePerKw,
    htlcs: vector.UseTestHtlcs ? htlcsForCase(vector.Name, toLocalMsat) : [],
  }, appendixC.perCommitmentPoint);
}

describe('BOLT 3 Appendix F: anchor commitment transactions', () => {
  for (const vector of vectors.commitment_tx.anchor_cases_appendix_F as AnchorCase[]) {
    test(`BOLT 3 Appendix F: ${vector.Name}`, () => {
      const params = appendixCChannel('anchors_zero_fee_htlc_tx', BigInt(vector.DustLimitSatoshis));
      const commitment = commitmentFor(vector);
      const holderSignature = signCommitment(commitment, appendixC.localFundingSecret);
      const counterpartySignature = withSighashByte(hex(vector.RemoteSigHex));
      assertCounterpartyCommitmentSignature(params, commitment, counterpartySignature);
      const signed = finalizeCommitment(params, commitment, holderSignature, counterpartySignature);
      expect(signed.toHex()).toBe(vector.ExpectedCommitmentTxHex);
      assertSpends(signed, 0, commitment.funding.scriptPubKey, commitment.funding.amountSat);
      expect(buildHtlcTransactions(commitment)).toHaveLength(vector.HtlcDescs.length);
    });
  }
});

describe('BOLT 3 Appendix F: anchor HTLC transactions', () => {
  for (const vector of vectors.commitment_tx.anchor_cases_appendix_F as AnchorCase[]) {
    // HtlcDescs are listed in commitment output order, as commitment_signed carries HTLC signatures.
    vector.HtlcDescs.forEach((expected: { RemoteSigHex: string; ResolutionTxHex: string }, position: number) => {
      test(`BOLT 3 Appendix F: ${vector.Name}, HTLC transaction ${position}`, () => {
        const commitment = commitmentFor(vector);
        const htlcTx = buildHtlcTransactions(commitment)[position]!;
        const remoteSignature = withSighashByte(hex(expected.RemoteSigHex), SIGHASH_SINGLE_ANYONECANPAY);
        expect(verifyHtlcSignature(htlcTx, remoteSignature, hex(appendixC.common.remote_htlcpubkey), 'remote')).toBe(true);
        expect(bytesToHex(signHtlcTransaction(htlcTx, appendixC.remoteHtlcSecret, 'remote'))).toBe(bytesToHex(remoteSignature));
        const localSignature = signHtlcTransaction(htlcTx, appendixC.localHtlcSecret, 'local');
        const preimage = vectorHtlcFor(htlcTx.htlc).preimage;
        const signed = withHtlcWitness(htlcTx, commitment, { localSignature, remoteSignature, paymentPreimage: preimage });
        expect(signed.toHex()).toBe(expected.ResolutionTxHex);
        const spent = commitment.outputs[htlcTx.commitmentOutputIndex]!;
        assertSpends(signed, 0, spent.scriptPubKey, spent.amountSat);
      });
    });
  }
});
