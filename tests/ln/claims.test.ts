/** Claims after a unilateral close, each checked by bcoin's interpreter (CSV and CLTV included). */
import { describe, expect, test } from 'vitest';
import {
  buildCounterpartyCommitment,
  buildCounterpartyHtlcClaim,
  buildDelayedOutputSweep,
  buildHolderCommitment,
  buildHtlcTransactions,
  derivePrivateKey,
  InvalidSecretError,
  signHtlcTransaction,
  withHtlcWitness,
  type ChannelType,
} from '../../src/ln/index.js';
import { assertSpends } from './bolt3-fixture.js';
import { alice, ALICE_TO_SELF_DELAY, ALICE_WALLET_SCRIPT, aliceState, bob, channelView, preimage } from './two-party.js';

const N = 9n;
function largest<T extends { amountSat: bigint }>(outputs: T[]): T {
  return outputs.reduce((best, output) => (output.amountSat > best.amountSat ? output : best));
}

const destination = { destinationScript: ALICE_WALLET_SCRIPT, feeratePerKw: 1_000 };

describe.each<ChannelType>(['static_remotekey', 'anchors_zero_fee_htlc_tx'])('claims (%s)', (channelType) => {
  const aliceView = channelView('alice', channelType);
  const alicePoint = alice.perCommitmentPoint(N);
  const bobPoint = bob.perCommitmentPoint(N);

  test('our to_local after to_self_delay: nSequence = to_self_delay, witness <sig> <>', () => {
    const commitment = buildHolderCommitment(aliceView, aliceState(N), alicePoint);
    const toLocal = commitment.outputs.find((output) => output.kind === 'to_local')!;
    const sweep = buildDelayedOutputSweep(
      {
        outpoint: { txid: commitment.tx.getId(), vout: toLocal.outputIndex },
        amountSat: toLocal.amountSat,
        revocationPubkey: commitment.params.keys.revocationPubkey,
        toSelfDelay: ALICE_TO_SELF_DELAY,
        delayedPaymentSecret: derivePrivateKey(alice.delayedPaymentBasepointSecret, alicePoint),
      },
      destination,
    );
    expect(sweep.tx.ins[0]!.sequence).toBe(ALICE_TO_SELF_DELAY);
    expect(sweep.tx.ins[0]!.witness[1]).toHaveLength(0);
    assertSpends(sweep.tx, 0, toLocal.scriptPubKey, toLocal.amountSat);
  });

  test('our HTLC-timeout output after to_self_delay (same script as to_local)', () => {
    const commitment = buildHolderCommitment(aliceView, aliceState(N), alicePoint);
    const htlcTx = buildHtlcTransactions(commitment).find((candidate) => candidate.kind === 'htlc-timeout')!;
    const remoteSignature = signHtlcTransaction(htlcTx, derivePrivateKey(bob.htlcBasepointSecret, alicePoint), 'remote');
    const localSignature = signHtlcTransaction(htlcTx, derivePrivateKey(alice.htlcBasepointSecret, alicePoint), 'local');
    const signed = withHtlcWitness(htlcTx, commitment, { localSignature, remoteSignature });
    const sweep = buildDelayedOutputSweep(
      {
        outpoint: { txid: signed.getId(), vout: 0 },
        amountSat: signed.outs[0]!.value,
        revocationPubkey: commitment.params.keys.revocationPubkey,
        toSelfDelay: ALICE_TO_SELF_DELAY,
        delayedPaymentSecret: derivePrivateKey(alice.delayedPaymentBasepointSecret, alicePoint),
      },
      destination,
    );
    assertSpends(sweep.tx, 0, signed.outs[0]!.script, signed.outs[0]!.value);
  });

  test('on their commitment: the HTLC they offered us, with the preimage', () => {
    const theirs = buildCounterpartyCommitment(aliceView, aliceState(N), bobPoint);
    const output = largest(theirs.outputs.filter((candidate) => candidate.kind === 'offered_htlc'));
    const claim = buildCounterpartyHtlcClaim(
      {
        counterpartyCommitment: theirs,
        outputIndex: output.outputIndex,
        htlcSecret: derivePrivateKey(alice.htlcBasepointSecret, bobPoint),
        paymentPreimage: preimage(3),
      },
      destination,
    );
    expect(claim.tx.locktime).toBe(0);
    assertSpends(claim.tx, 0, output.scriptPubKey, output.amountSat);
    expect(() =>
      buildCounterpartyHtlcClaim(
        { counterpartyCommitment: theirs, outputIndex: output.outputIndex, htlcSecret: derivePrivateKey(alice.htlcBasepointSecret, bobPoint), paymentPreimage: preimage(1) },
        destination,
      ),
    ).toThrow(InvalidSecretError);
  });

  test('on their commitment: the HTLC we offered them, after cltv_expiry', () => {
    const theirs = buildCounterpartyCommitment(aliceView, aliceState(N), bobPoint);
    // The largest one: with anchors, Bob's lower dust limit keeps a 400-sat HTLC that costs more to claim than it holds.
    const output = largest(theirs.outputs.filter((candidate) => candidate.kind === 'received_htlc'));
    const claim = buildCounterpartyHtlcClaim(
      { counterpartyCommitment: theirs, outputIndex: output.outputIndex, htlcSecret: derivePrivateKey(alice.htlcBasepointSecret, bobPoint) },
      destination,
    );
    expect(claim.tx.locktime).toBe(output.htlc!.cltvExpiry);
    expect(claim.tx.ins[0]!.sequence).toBe(channelType === 'anchors_zero_fee_htlc_tx' ? 1 : 0xfffffffd);
    assertSpends(claim.tx, 0, output.scriptPubKey, output.amountSat);
  });
});
