/**
 * Justice: Bob broadcasts a commitment he revoked; Alice, knowing only what a ChannelMonitor stores, sweeps
 * every output that would have paid him. Each input is run through bcoin's script interpreter.
 */
import { describe, expect, test } from 'vitest';
import { CounterpartyCommitmentSecrets, referenceRevocationPrivkey, referenceCommitmentNumber } from '../helpers/reference.js';
import type { Transaction } from 'bitcoinjs-lib';
import {
  buildCounterpartyCommitment,
  buildHolderCommitment,
  buildJusticeTx,
  channelObscuringFactor,
  feeForWeightRoundedUpSat,
  finalizeCommitment,
  secretIndexForCommitment,
  signCommitment,
  type ChannelState,
  type ChannelType,
  type CommitmentHtlc,
  type JusticeParams,
} from '../../src/ln/index.js';
import { assertSpends } from './bolt3-fixture.js';
import { alice, aliceState, bob, BOB_TO_SELF_DELAY, channelView, mirror, ALICE_WALLET_SCRIPT } from './two-party.js';

const REVOKED = 3n;
const FEERATE_PER_KW = 2_000;

/** Bob's signed commitment `n` and the HTLCs on it (directions as Bob's commitment sees them). */
function bobCommitment(n: bigint, channelType: ChannelType, aliceView: ChannelState = aliceState(n)) {
  const bobView = channelView('bob', channelType);
  const state = mirror(aliceView);
  const commitment = buildHolderCommitment(bobView, state, bob.perCommitmentPoint(n));
  const aliceSignature = signCommitment(
    buildCounterpartyCommitment(channelView('alice', channelType), aliceView, bob.perCommitmentPoint(n)),
    alice.fundingSecret,
  );
  const tx = finalizeCommitment(bobView, commitment, signCommitment(commitment, bob.fundingSecret), aliceSignature);
  const commitmentHtlcs: CommitmentHtlc[] = state.htlcs.map((htlc) => ({
    direction: htlc.offeredBy === 'holder' ? 'offered' : 'received',
    amountMsat: htlc.amountMsat,
    paymentHash: htlc.paymentHash,
    cltvExpiry: htlc.cltvExpiry,
  }));
  return { commitment, tx, commitmentHtlcs };
}

/** Alice's monitor: Bob revealed his secrets for commitments 0..REVOKED when revoking them. */
function aliceSecretStore(): CounterpartyCommitmentSecrets {
  const store = new CounterpartyCommitmentSecrets();
  for (let n = 0n; n <= REVOKED; n++) store.provideSecret(secretIndexForCommitment(n), bob.perCommitmentSecret(n));
  return store;
}

function justiceParams(revoked: Transaction, channelType: ChannelType, htlcs?: CommitmentHtlc[]): JusticeParams {
  // What a monitor does on seeing a funding spend: recover the number, then the secret.
  const number = referenceCommitmentNumber(revoked, channelObscuringFactor(channelView('alice', channelType)))!;
  const perCommitmentSecret = aliceSecretStore().getSecret(secretIndexForCommitment(number))!;
  return {
    revokedCommitmentTx: revoked,
    perCommitmentSecret,
    revocationBasepointSecret: alice.revocationBasepointSecret,
    revocationPrivateKey: referenceRevocationPrivkey(alice.revocationBasepointSecret, perCommitmentSecret),
    counterpartyDelayedPaymentBasepoint: bob.pubkeys.delayedPaymentBasepoint,
    toSelfDelay: BOB_TO_SELF_DELAY,
    htlcs: htlcs && { htlcs, counterpartyHtlcBasepoint: bob.pubkeys.htlcBasepoint, holderHtlcBasepoint: alice.pubkeys.htlcBasepoint },
    destinationScript: ALICE_WALLET_SCRIPT,
    feeratePerKw: FEERATE_PER_KW,
    channelType,
  };
}

describe.each<ChannelType>(['static_remotekey', 'anchors_zero_fee_htlc_tx'])('justice transaction (%s)', (channelType) => {
  test('sweeps to_local and every untrimmed HTLC output of the revoked commitment', () => {
    const { commitment, tx, commitmentHtlcs } = bobCommitment(REVOKED, channelType);
    const justice = buildJusticeTx(justiceParams(tx, channelType, commitmentHtlcs));

    const expected = commitment.outputs.filter((output) => output.kind === 'to_local' || output.htlc !== undefined);
    expect(justice.swept.map((swept) => swept.outputIndex).sort()).toEqual(expected.map((output) => output.outputIndex).sort());
    expect(justice.unmatchedHtlcs).toHaveLength(commitment.trimmedHtlcs.length);
    justice.tx.ins.forEach((input, i) => {
      const swept = justice.swept[i]!;
      expect(input.index).toBe(swept.outputIndex);
      assertSpends(justice.tx, i, tx.outs[swept.outputIndex]!.script, swept.amountSat);
    });

    // Fee: the requested feerate on an estimate the real transaction does not exceed.
    expect(justice.tx.weight()).toBeLessThanOrEqual(justice.estimatedWeight);
    expect(justice.estimatedWeight - justice.tx.weight()).toBeLessThan(4 * justice.swept.length);
    expect(justice.feeSat).toBe(feeForWeightRoundedUpSat(FEERATE_PER_KW, BigInt(justice.estimatedWeight)));
    const sweptSat = justice.swept.reduce((sum, swept) => sum + swept.amountSat, 0n);
    expect(justice.tx.outs).toHaveLength(1);
    expect(justice.tx.outs[0]!.value).toBe(sweptSat - justice.feeSat);
  });

  test('without HTLC information, sweeps to_local alone', () => {
    const { commitment, tx } = bobCommitment(REVOKED, channelType);
    const justice = buildJusticeTx(justiceParams(tx, channelType));
    const toLocal = commitment.outputs.find((output) => output.kind === 'to_local')!;
    expect(justice.swept).toEqual([{ outputIndex: toLocal.outputIndex, kind: 'to_local', amountSat: toLocal.amountSat, htlc: undefined }]);
    assertSpends(justice.tx, 0, toLocal.scriptPubKey, toLocal.amountSat);
  });

  test('when the cheater had no to_local output, sweeps the HTLCs alone', () => {
    // Bob spends (nearly) everything into HTLCs he offered, leaving his balance below his dust limit.
    const bobOffered = { offeredBy: 'counterparty' as const, paymentHash: new Uint8Array(32).fill(9), cltvExpiry: 700_000 };
    const state = aliceState(REVOKED, []);
    const htlc = { ...bobOffered, amountMsat: state.counterpartyBalanceMsat - 100_000n };
    const { commitment, tx, commitmentHtlcs } = bobCommitment(REVOKED, channelType, {
      ...state,
      counterpartyBalanceMsat: 100_000n,
      htlcs: [htlc],
    });
    expect(commitment.outputs.some((output) => output.kind === 'to_local')).toBe(false);
    const justice = buildJusticeTx(justiceParams(tx, channelType, commitmentHtlcs));
    expect(justice.swept.map((swept) => swept.kind)).toEqual(['offered_htlc']);
    assertSpends(justice.tx, 0, tx.outs[justice.swept[0]!.outputIndex]!.script, justice.swept[0]!.amountSat);
  });
});
