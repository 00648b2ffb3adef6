/**
 * BOLT 3 Appendix C: Commitment and HTLC Transaction Test Vectors. One test per commitment case and
 * one per HTLC transaction, each reproduced byte for byte through the same calls a ChannelManager makes:
 * build the holder's commitment from ChannelParameters, sign it, verify the peer's signature, finalize.
 */
import { describe, expect, test } from 'vitest';
import {
  assertCounterpartyCommitmentSignature,
  buildHolderCommitment,
  buildHtlcTransactions,
  channelObscuringFactor,
  deriveCommitmentKeys,
  finalizeCommitment,
  p2wpkhScriptPubKey,
  signCommitment,
  signHtlcTransaction,
  verifyHtlcSignature,
  withHtlcWitness,
  withSighashByte,
  type ChannelState,
  type CommitmentTransaction,
} from '../../src/ln/index.js';
import { appendixC, appendixCChannel, assertSpends, bytesToHex, hex, htlcsForCase, vectorHtlcFor, vectors } from './bolt3-fixture.js';

const { common } = appendixC;
const params = appendixCChannel('static_remotekey', BigInt(common.local_dust_limit_satoshi));

type Case = (typeof vectors.commitment_tx.cases)[number];

/** The holder's commitment for one case, as the vector defines it. */
function commitmentFor(vector: Case): CommitmentTransaction {
  const toLocalMsat = BigInt(vector.to_local_msat);
  const state: ChannelState = {
    commitmentNumber: appendixC.commitmentNumber,
    holderBalanceMsat: toLocalMsat,
    counterpartyBalanceMsat: BigInt(vector.to_remote_msat),
    feeratePerKw: vector.local_feerate_per_kw,
    htlcs: htlcsForCase(vector.name, toLocalMsat),
  };
  // BOLT 3 builds this one with the funder's output floored at zero; by default we refuse such a state.
  const feeShortfall = vector.name === 'commitment tx with fee greater than funder amount' ? 'use-entire-funder-output' : 'reject';
  return buildHolderCommitment(params, state, appendixC.perCommitmentPoint, { feeShortfall });
}

describe('BOLT 3 Appendix C: parameters', () => {
  test('BOLT 3 Appendix C: obscured commitment number and derived keys', () => {
    expect(channelObscuringFactor(params).toString(16)).toBe(vectors.commitment_tx.obscured_commitment_number_inputs.obscuring_factor_hex.slice(2));
    const keys = deriveCommitmentKeys(appendixC.perCommitmentPoint, params.holder.pubkeys, params.counterparty.pubkeys);
    expect(bytesToHex(keys.revocationPubkey)).toBe(common.local_revocation_pubkey);
    expect(bytesToHex(keys.broadcasterDelayedPubkey)).toBe(common.local_delayedpubkey);
    expect(bytesToHex(keys.broadcasterHtlcPubkey)).toBe(common.local_htlcpubkey);
    expect(bytesToHex(keys.countersignatoryHtlcPubkey)).toBe(common.remote_htlcpubkey);
  });
});

describe('BOLT 3 Appendix C: commitment transactions', () => {
  for (const vector of vectors.commitment_tx.cases as Case[]) {
    test(`BOLT 3 Appendix C: ${vector.name}`, () => {
      const commitment = commitmentFor(vector);
      expect(bytesToHex(commitment.funding.witnessScript)).toBe(common.funding_wscript);

      // Outputs, amounts and fees as the spec's comments list them.
      if (vector.base_commitment_tx_fee !== undefined) expect(commitment.baseFeeSat).toBe(BigInt(vector.base_commitment_tx_fee));
      if (vector.actual_commitment_tx_fee !== undefined) expect(commitment.totalFeeSat).toBe(BigInt(vector.actual_commitment_tx_fee));
      // Where the spec lists the outputs, a missing to_local means it was trimmed (the last case lists none).
      const listsOutputs = vector.to_local_output !== undefined || vector.to_remote_output !== undefined;
      const toLocal = commitment.outputs.find((output) => output.kind === 'to_local');
      const toRemote = commitment.outputs.find((output) => output.kind === 'to_remote');
      if (listsOutputs) {
        expect(toLocal?.amountSat).toBe(vector.to_local_output ? BigInt(vector.to_local_output.amount_sat) : undefined);
        expect(toRemote?.amountSat).toBe(vector.to_remote_output ? BigInt(vector.to_remote_output.amount_sat) : undefined);
      }
      if (vector.to_local_output) expect(bytesToHex(toLocal!.witnessScript!)).toBe(vector.to_local_output.wscript);
      if (vector.to_remote_output) {
        const [, remotePubkey] = /^P2WPKH\(([0-9a-f]{66})\)$/.exec(vector.to_remote_output.script) ?? [];
        expect(bytesToHex(toRemote!.scriptPubKey)).toBe(bytesToHex(p2wpkhScriptPubKey(hex(remotePubkey!))));
      }
      const htlcOutputs = commitment.outputs.filter((output) => output.htlc !== undefined);
      expect(htlcOutputs).toHaveLength(vector.num_htlcs);
      for (const expected of vector.htlc_outputs ?? []) {
        const output = htlcOutputs.find((candidate) => vectorHtlcFor(candidate.htlc!).id === expected.htlc);
        expect(output?.amountSat).toBe(BigInt(expected.amount_sat));
        expect(output?.kind).toBe(`${expected.direction}_htlc`);
        if (expected.wscript) expect(bytesToHex(output!.witnessScript!)).toBe(expected.wscript);
      }

      // Sign as the holder, check the peer's signature, finalize: byte for byte.
      const holderSignature = signCommitment(commitment, appendixC.localFundingSecret);
      expect(bytesToHex(holderSignature)).toBe(`${vector.local_signature}01`);
      const counterpartySignature = withSighashByte(hex(vector.remote_signature));
      assertCounterpartyCommitmentSignature(params, commitment, counterpartySignature);
      expect(bytesToHex(signCommitment(commitment, appendixC.remoteFundingSecret))).toBe(bytesToHex(counterpartySignature));
      const signed = finalizeCommitment(params, commitment, holderSignature, counterpartySignature);
      expect(signed.toHex()).toBe(vector.output_commit_tx);
      assertSpends(signed, 0, commitment.funding.scriptPubKey, commitment.funding.amountSat);
    });
  }
});

describe('BOLT 3 Appendix C: HTLC transactions', () => {
  for (const vector of vectors.commitment_tx.cases as Case[]) {
    for (const expected of vector.htlc_txs ?? []) {
      test(`BOLT 3 Appendix C: ${vector.name}, output ${expected.output_index} ${expected.type} (htlc #${expected.htlc})`, () => {
        const commitment = commitmentFor(vector);
        const htlcTx = buildHtlcTransactions(commitment).find((candidate) => candidate.commitmentOutputIndex === expected.output_index);
        expect(htlcTx?.kind).toBe(expected.type);
        const htlc = vectorHtlcFor(htlcTx!.htlc);
        expect(htlc.id).toBe(expected.htlc);

        const localSignature = signHtlcTransaction(htlcTx!, appendixC.localHtlcSecret, 'local');
        expect(bytesToHex(localSignature)).toBe(`${expected.local_htlc_signature}01`);
        const remoteSignature = withSighashByte(hex(expected.remote_htlc_signature));
        expect(verifyHtlcSignature(htlcTx!, remoteSignature, hex(common.remote_htlcpubkey), 'remote')).toBe(true);
        const signed = withHtlcWitness(htlcTx!, commitment, { localSignature, remoteSignature, paymentPreimage: htlc.preimage });
        expect(signed.toHex()).toBe(expected.tx);
        const spent = commitment.outputs[expected.output_index]!;
        assertSpends(signed, 0, spent.scriptPubKey, spent.amountSat);
      });
    }
  }
});
