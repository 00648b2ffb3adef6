/**
 * Error paths: bad input gets a typed error with `context: expected X, got Y` and a fix, never a wrong
 * transaction.
 */
import { describe, expect, test } from 'vitest';
import { CounterpartyCommitmentSecrets, referenceRevocationPrivkey } from '../helpers/reference.js';
import { WorkshopError } from '../../src/errors.js';
import {
  AmountMismatchError,
  assertCounterpartyCommitmentSignature,
  buildClosingTx,
  buildCounterpartyHtlcClaim,
  buildHolderCommitment,
  buildHtlcTransaction,
  buildHtlcTransactions,
  buildJusticeTx,
  channelFundingOutput,
  derivePrivateKey,
  derivePublicKey,
  FeeTooHighError,
  InvalidPointError,
  InvalidSecretError,
  InvalidSignatureError,
  OutputNotFoundError,
  perCommitmentSecret,
  signCommitment,
  signHtlcTransaction,
  withHtlcWitness,
} from '../../src/ln/index.js';
import { appendixC, appendixCChannel, hex, htlcsForCase, vectors } from './bolt3-fixture.js';
import { alice, aliceState, ALICE_WALLET_SCRIPT, BOB_TO_SELF_DELAY, BOB_WALLET_SCRIPT, bob, channelView, FUNDING_OUTPOINT } from './two-party.js';

/** The house message shape: context, expected, got, then the fix on its own line. */
const HOUSE_MESSAGE = /^[^\n]+: expected .+, got .+\n→ .+/s;

function expectTyped<E extends WorkshopError>(run: () => unknown, type: new (...args: never[]) => E, pattern?: RegExp): E {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(type);
    expect(error).toBeInstanceOf(WorkshopError);
    expect((error as E).message).toMatch(HOUSE_MESSAGE);
    if (pattern) expect((error as E).message).toMatch(pattern);
    return error as E;
  }
  throw new Error(`expected ${type.name}, nothing was thrown`);
}

const point = hex(vectors.key_derivation.per_commitment_point);
const aliceView = channelView('alice');

describe('InvalidPointError', () => {
  test('a basepoint that is not a compressed key', () => {
    const error = expectTyped(() => derivePublicKey(new Uint8Array(33).fill(4), point), InvalidPointError, /starting 02 or 03/);
    expect(error.code).toBe('INVALID_POINT');
  });
  test('an x coordinate not on the curve', () => {
    const offCurve = Uint8Array.of(0x02, ...new Uint8Array(32).fill(0xff));
    expectTyped(() => derivePublicKey(offCurve, point), InvalidPointError, /not on the curve/);
  });
});

describe('InvalidSecretError', () => {
  test('a 33-byte Appendix C key with its trailing 01 gets a targeted fix', () => {
    expectTyped(() => derivePrivateKey(hex(vectors.commitment_tx.common_parameters.local_privkey), point), InvalidSecretError, /drop the trailing 01/);
  });
  test('a zero secret', () => {
    expectTyped(() => referenceRevocationPrivkey(new Uint8Array(32), new Uint8Array(32).fill(1)), InvalidSecretError, /got zero/);
  });
  test('a per-commitment secret for the wrong index leaves the store unchanged', () => {
    const seed = new Uint8Array(32).fill(0xff);
    const store = new CounterpartyCommitmentSecrets();
    store.provideSecret(2n ** 48n - 1n, perCommitmentSecret(seed, 2n ** 48n - 1n));
    const before = store.toBytes();
    expectTyped(() => store.provideSecret(2n ** 48n - 3n, perCommitmentSecret(seed, 2n ** 48n - 3n)), InvalidSecretError, /expected 281474976710654/);
    expect(store.toBytes()).toEqual(before);
  });
  test('an HTLC-success transaction with the wrong preimage', () => {
    const commitment = buildHolderCommitment(aliceView, aliceState(1n), alice.perCommitmentPoint(1n));
    const success = buildHtlcTransactions(commitment).find((htlcTx) => htlcTx.kind === 'htlc-success')!;
    const point1 = alice.perCommitmentPoint(1n);
    const parts = {
      localSignature: signHtlcTransaction(success, derivePrivateKey(alice.htlcBasepointSecret, point1), 'local'),
      remoteSignature: signHtlcTransaction(success, derivePrivateKey(bob.htlcBasepointSecret, point1), 'remote'),
      paymentPreimage: new Uint8Array(32).fill(0xee),
    };
    expectTyped(() => withHtlcWitness(success, commitment, parts), InvalidSecretError, /preimage whose SHA256 is/);
  });
  test('claiming an HTLC with a key that is not ours on that commitment', () => {
    const withHtlcs = buildHolderCommitment(channelView('bob'), mirrorForBob(), bob.perCommitmentPoint(1n));
    const htlcOutput = withHtlcs.outputs.find((output) => output.kind === 'received_htlc')!;
    const wrongKey = derivePrivateKey(alice.htlcBasepointSecret, alice.perCommitmentPoint(1n));
    const claim = { counterpartyCommitment: withHtlcs, outputIndex: htlcOutput.outputIndex, htlcSecret: wrongKey };
    expectTyped(() => buildCounterpartyHtlcClaim(claim, { destinationScript: ALICE_WALLET_SCRIPT, feeratePerKw: 253 }), InvalidSecretError);
  });
});

describe('AmountMismatchError', () => {
  test('balances plus HTLCs above the channel value', () => {
    const state = { ...aliceState(1n), holderBalanceMsat: aliceState(1n).holderBalanceMsat + 1n };
    expectTyped(() => buildHolderCommitment(aliceView, state, alice.perCommitmentPoint(1n)), AmountMismatchError, /2000000000 msat/);
  });
  test('closing balances that do not add up', () => {
    const params = {
      fundingOutpoint: FUNDING_OUTPOINT,
      funding: channelFundingOutput(aliceView),
      funder: 'holder' as const,
      holderBalanceMsat: 1_500_000_000n,
      counterpartyBalanceMsat: 600_000_000n,
      holderScriptPubKey: ALICE_WALLET_SCRIPT,
      counterpartyScriptPubKey: BOB_WALLET_SCRIPT,
      feeSat: 500n,
      dustLimitSat: 546n,
    };
    expectTyped(() => buildClosingTx(params), AmountMismatchError, /no HTLCs may remain/);
  });
});

describe('FeeTooHighError', () => {
  test('BOLT 3 Appendix C "fee greater than funder amount" is refused by default', () => {
    const vector = vectors.commitment_tx.cases.find((c: { name: string }) => c.name === 'commitment tx with fee greater than funder amount');
    const state = {
      commitmentNumber: appendixC.commitmentNumber,
      holderBalanceMsat: BigInt(vector.to_local_msat),
      counterpartyBalanceMsat: BigInt(vector.to_remote_msat),
      feeratePerKw: vector.local_feerate_per_kw,
      htlcs: htlcsForCase(vector.name, BigInt(vector.to_local_msat)),
    };
    const params = appendixCChannel('static_remotekey', 546n);
    expectTyped(() => buildHolderCommitment(params, state, appendixC.perCommitmentPoint), FeeTooHighError, /funder's 6988000 sat, got 6988001 sat/);
  });
  test('a justice transaction whose fee would eat what it sweeps', () => {
    const bobCommitment = buildHolderCommitment(channelView('bob'), { ...mirrorForBob(), htlcs: [], holderBalanceMsat: 600_000_000n, counterpartyBalanceMsat: 1_400_000_000n }, bob.perCommitmentPoint(0n));
    const params = {
      revokedCommitmentTx: bobCommitment.tx,
      perCommitmentSecret: bob.perCommitmentSecret(0n),
      revocationBasepointSecret: alice.revocationBasepointSecret,
      revocationPrivateKey: referenceRevocationPrivkey(alice.revocationBasepointSecret, bob.perCommitmentSecret(0n)),
      counterpartyDelayedPaymentBasepoint: bob.pubkeys.delayedPaymentBasepoint,
      toSelfDelay: BOB_TO_SELF_DELAY,
      destinationScript: ALICE_WALLET_SCRIPT,
      feeratePerKw: 4_000_000_000,
    };
    expectTyped(() => buildJusticeTx(params), FeeTooHighError, /dust threshold/);
  });
});

describe('InvalidSignatureError', () => {
  test('a counterparty signature for another commitment', () => {
    const mine = buildHolderCommitment(aliceView, aliceState(2n), alice.perCommitmentPoint(2n));
    const other = buildHolderCommitment(aliceView, aliceState(3n), alice.perCommitmentPoint(3n));
    expectTyped(() => assertCounterpartyCommitmentSignature(aliceView, mine, signCommitment(other, bob.fundingSecret)), InvalidSignatureError);
  });
});

describe('OutputNotFoundError', () => {
  test('a justice transaction with the secret of another commitment', () => {
    const revoked = buildHolderCommitment(channelView('bob'), mirrorForBob(), bob.perCommitmentPoint(4n));
    const params = {
      revokedCommitmentTx: revoked.tx,
      perCommitmentSecret: bob.perCommitmentSecret(5n),
      revocationBasepointSecret: alice.revocationBasepointSecret,
      revocationPrivateKey: referenceRevocationPrivkey(alice.revocationBasepointSecret, bob.perCommitmentSecret(5n)),
      counterpartyDelayedPaymentBasepoint: bob.pubkeys.delayedPaymentBasepoint,
      toSelfDelay: BOB_TO_SELF_DELAY,
      destinationScript: ALICE_WALLET_SCRIPT,
      feeratePerKw: 253,
    };
    expectTyped(() => buildJusticeTx(params), OutputNotFoundError, /none among its \d+ outputs/);
  });
  test('an HTLC transaction for a non-HTLC output', () => {
    const commitment = buildHolderCommitment(aliceView, aliceState(1n), alice.perCommitmentPoint(1n));
    const toLocal = commitment.outputs.find((output) => output.kind === 'to_local')!;
    expectTyped(() => buildHtlcTransaction(commitment, toLocal.outputIndex), OutputNotFoundError, /a to_local output/);
  });
});

/** Bob's view of Alice's state 1 (with HTLCs). */
function mirrorForBob() {
  const state = aliceState(1n);
  return {
    ...state,
    holderBalanceMsat: state.counterpartyBalanceMsat,
    counterpartyBalanceMsat: state.holderBalanceMsat,
    htlcs: state.htlcs.map((htlc) => ({ ...htlc, offeredBy: htlc.offeredBy === 'holder' ? ('counterparty' as const) : ('holder' as const) })),
  };
}
