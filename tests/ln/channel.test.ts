/**
 * Both sides of one channel build the same transactions: what Alice signs for Bob is exactly Bob's
 * commitment, HTLC signatures cross-verify, and the signed results pass bcoin's script interpreter.
 */
import { describe, expect, test } from 'vitest';
import { referenceCommitmentNumber } from '../helpers/reference.js';
import {
  assertCounterpartyCommitmentSignature,
  buildCounterpartyCommitment,
  buildHolderCommitment,
  buildHtlcTransactions,
  channelFundingOutput,
  channelObscuringFactor,
  derivePrivateKey,
  finalizeCommitment,
  signCommitment,
  signHtlcTransaction,
  verifyHtlcSignature,
  withHtlcWitness,
  type ChannelType,
} from '../../src/ln/index.js';
import { assertSpends, bytesToHex } from './bolt3-fixture.js';
import { alice, aliceState, bob, channelView, mirror, preimage, ALICE_TO_SELF_DELAY } from './two-party.js';

describe.each<ChannelType>(['static_remotekey', 'anchors_zero_fee_htlc_tx'])('two-party channel (%s)', (channelType) => {
  const aliceView = channelView('alice', channelType);
  const bobView = channelView('bob', channelType);
  const state = aliceState(5n);

  test('Alice and Bob build identical commitments for each side', () => {
    const aliceOwn = buildHolderCommitment(aliceView, state, alice.perCommitmentPoint(5n));
    const bobsViewOfAlice = buildCounterpartyCommitment(bobView, mirror(state), alice.perCommitmentPoint(5n));
    expect(aliceOwn.tx.toHex()).toBe(bobsViewOfAlice.tx.toHex());
    const bobOwn = buildHolderCommitment(bobView, mirror(state), bob.perCommitmentPoint(5n));
    const alicesViewOfBob = buildCounterpartyCommitment(aliceView, state, bob.perCommitmentPoint(5n));
    expect(bobOwn.tx.toHex()).toBe(alicesViewOfBob.tx.toHex());
    expect(aliceOwn.tx.getId()).not.toBe(bobOwn.tx.getId());
    // Roles land where they should: Alice's to_local waits her delay; the funder (Alice) pays the fee.
    expect(aliceOwn.params.toSelfDelay).toBe(ALICE_TO_SELF_DELAY);
    const aliceToLocal = aliceOwn.outputs.find((output) => output.kind === 'to_local')!;
    expect(aliceToLocal.amountSat).toBeLessThan(state.holderBalanceMsat / 1000n);
    const bobToLocal = bobOwn.outputs.find((output) => output.kind === 'to_local')!;
    expect(bobToLocal.amountSat).toBe(state.counterpartyBalanceMsat / 1000n);
  });

  test('commitment_signed round trip: Bob signs Alice commitment, Alice verifies and broadcasts', () => {
    const aliceOwn = buildHolderCommitment(aliceView, state, alice.perCommitmentPoint(5n));
    const bobSignature = signCommitment(buildCounterpartyCommitment(bobView, mirror(state), alice.perCommitmentPoint(5n)), bob.fundingSecret);
    assertCounterpartyCommitmentSignature(aliceView, aliceOwn, bobSignature);
    const signed = finalizeCommitment(aliceView, aliceOwn, signCommitment(aliceOwn, alice.fundingSecret), bobSignature);
    const funding = channelFundingOutput(aliceView);
    assertSpends(signed, 0, funding.scriptPubKey, funding.amountSat);
    expect(referenceCommitmentNumber(signed, channelObscuringFactor(aliceView))).toBe(5n);
    expect(referenceCommitmentNumber(signed, channelObscuringFactor(bobView))).toBe(5n);
  });

  test('HTLC transactions: Bob signs as remote, Alice completes them, bcoin accepts', () => {
    const point = alice.perCommitmentPoint(5n);
    const aliceOwn = buildHolderCommitment(aliceView, state, point);
    const bobsCopy = buildCounterpartyCommitment(bobView, mirror(state), point);
    const htlcTxs = buildHtlcTransactions(aliceOwn);
    // One HTLC each way is trimmed (dust at Alice's limit); the other two get second-stage transactions.
    expect(aliceOwn.trimmedHtlcs).toHaveLength(2);
    expect(htlcTxs.map((htlcTx) => htlcTx.kind).sort()).toEqual(['htlc-success', 'htlc-timeout']);
    const bobHtlcSignatures = buildHtlcTransactions(bobsCopy).map((htlcTx) =>
      signHtlcTransaction(htlcTx, derivePrivateKey(bob.htlcBasepointSecret, point), 'remote'),
    );
    htlcTxs.forEach((htlcTx, i) => {
      const remoteSignature = bobHtlcSignatures[i]!;
      expect(verifyHtlcSignature(htlcTx, remoteSignature, aliceOwn.params.keys.countersignatoryHtlcPubkey, 'remote')).toBe(true);
      const localSignature = signHtlcTransaction(htlcTx, derivePrivateKey(alice.htlcBasepointSecret, point), 'local');
      const label = state.htlcs.findIndex((htlc) => bytesToHex(htlc.paymentHash) === bytesToHex(htlcTx.htlc.paymentHash)) + 1;
      const signed = withHtlcWitness(htlcTx, aliceOwn, { localSignature, remoteSignature, paymentPreimage: preimage(label) });
      const spent = aliceOwn.outputs[htlcTx.commitmentOutputIndex]!;
      assertSpends(signed, 0, spent.scriptPubKey, spent.amountSat);
      if (htlcTx.kind === 'htlc-timeout') expect(signed.locktime).toBe(htlcTx.htlc.cltvExpiry);
    });
  });
});
