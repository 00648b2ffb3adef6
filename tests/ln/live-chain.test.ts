/**
 * The BOLT 3 builders of `src/ln` against a real regtest node (bcoin, enforcing scripts, CSV and CLTV
 * like Bitcoin Core). Each test funds its own Alice–Bob 2-of-2 from the faucet and proves that:
 * 1. a cooperative close signed by both confirms, paying each side its balance (the funder less the fee);
 * 2. an HTLC Bob offered is claimed by Alice from Bob's commitment with the preimage (a wrong preimage
 *    fails the script);
 * 3. Alice's HTLC-timeout transaction is non-final one block before cltv_expiry and confirms at it;
 * 4. Alice's delayed to_local sweep is non-BIP68-final before to_self_delay and confirms after.
 * Unit tests check the same transactions with an interpreter; here the chain itself is the judge.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import type { Transaction } from 'bitcoinjs-lib';
import { describe, expect, it } from 'vitest';
import { BroadcastRejectedError } from '../../src/internal.js';
import {
  buildClosingTx,
  buildCounterpartyCommitment,
  buildCounterpartyHtlcClaim,
  buildDelayedOutputSweep,
  buildHolderCommitment,
  buildHtlcTransactions,
  channelFundingOutput,
  closingFeeSat,
  derivePrivateKey,
  finalizeClosingTx,
  finalizeCommitment,
  signClosingTx,
  signCommitment,
  signHtlcTransaction,
  withHtlcWitness,
  type ChannelHtlc,
  type ChannelParameters,
  type ChannelState,
} from '../../src/ln/index.js';
import { useRegtestChain } from '../helpers/regtest.js';
import { alice, ALICE_WALLET_SCRIPT, bob, BOB_WALLET_SCRIPT, CHANNEL_VALUE_SAT, channelView } from './two-party.js';

const chain = useRegtestChain();

/** Short delays so the test can mine past them quickly (two-party.ts uses 144/720). */
const ALICE_TO_SELF_DELAY = 5;
const BOB_TO_SELF_DELAY = 7;
const FEERATE_PER_KW = 2_500;
const HTLC_MSAT = 50_000_000n; // 50,000 sat
const BOB_BALANCE_MSAT = 600_000_000n;
const N = 0n;
const destination = (script: Uint8Array) => ({ destinationScript: script, feeratePerKw: FEERATE_PER_KW });

/** Funds a fresh 2-of-2 on chain (1 confirmation) and returns Alice's view of the channel. */
async function openChannel(): Promise<ChannelParameters> {
  const base = channelView('alice');
  const funding = channelFundingOutput(base);
  const funded = await chain.faucet.fund(funding.scriptPubKey, CHANNEL_VALUE_SAT);
  await chain.faucet.mine(1);
  expect(await chain.client.getConfirmations(funded.txid)).toBe(1);
  return {
    ...base,
    fundingOutpoint: { txid: funded.txid, vout: funded.vout },
    holder: { ...base.holder, toSelfDelay: ALICE_TO_SELF_DELAY },
    counterparty: { ...base.counterparty, toSelfDelay: BOB_TO_SELF_DELAY },
  };
}

/** Alice's view of state N with the given HTLCs; Alice (the funder) holds the rest. */
function state(htlcs: ChannelHtlc[] = []): ChannelState {
  const htlcMsat = htlcs.reduce((sum, htlc) => sum + htlc.amountMsat, 0n);
  return {
    commitmentNumber: N,
    holderBalanceMsat: CHANNEL_VALUE_SAT * 1000n - BOB_BALANCE_MSAT - htlcMsat,
    counterpartyBalanceMsat: BOB_BALANCE_MSAT,
    feeratePerKw: FEERATE_PER_KW,
    htlcs,
  };
}

async function htlcExpiringIn(blocks: number, offeredBy: ChannelHtlc['offeredBy'], preimage: Uint8Array): Promise<ChannelHtlc> {
  const { height } = await chain.client.getBestBlock();
  return { offeredBy, amountMsat: HTLC_MSAT, paymentHash: sha256(preimage), cltvExpiry: height + blocks };
}

/** The broadcast's rejection reason (fails the test if the node accepted it). */
async function rejection(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(BroadcastRejectedError);
  return (error as BroadcastRejectedError).reason;
}

/** Broadcasts, mines one block, and checks the transaction has exactly one confirmation. */
async function confirm(tx: Transaction): Promise<void> {
  await expect(chain.client.broadcastTransactions(tx)).resolves.toEqual([tx.getId()]);
  await chain.faucet.mine(1);
  expect(await chain.client.getConfirmations(tx.getId())).toBe(1);
}

async function mineUntilHeight(target: number): Promise<void> {
  const { height } = await chain.client.getBestBlock();
  if (target > height) await chain.faucet.mine(target - height);
  expect((await chain.client.getBestBlock()).height).toBe(target);
}

describe('BOLT 3 transactions on the live regtest chain', () => {
  it('cooperative close: both sign, it confirms, each side gets its balance (funder pays the fee)', async () => {
    const params = await openChannel();
    const funding = channelFundingOutput(params);
    const feeSat = closingFeeSat(FEERATE_PER_KW, funding, ALICE_WALLET_SCRIPT, BOB_WALLET_SCRIPT);
    const { holderBalanceMsat, counterpartyBalanceMsat } = state();
    const closing = buildClosingTx({
      fundingOutpoint: params.fundingOutpoint,
      funding,
      funder: params.funder,
      holderBalanceMsat,
      counterpartyBalanceMsat,
      holderScriptPubKey: ALICE_WALLET_SCRIPT,
      counterpartyScriptPubKey: BOB_WALLET_SCRIPT,
      feeSat,
      dustLimitSat: params.holder.dustLimitSat,
    });
    const signed = finalizeClosingTx(
      closing,
      { fundingPubkey: alice.pubkeys.fundingPubkey, signature: signClosingTx(closing, alice.fundingSecret) },
      { fundingPubkey: bob.pubkeys.fundingPubkey, signature: signClosingTx(closing, bob.fundingSecret) },
    );
    await confirm(signed);

    const paid = (script: Uint8Array) => signed.outs.find((out) => Buffer.from(out.script).equals(Buffer.from(script)))?.value;
    expect(params.funder).toBe('holder');
    expect(paid(ALICE_WALLET_SCRIPT)).toBe(holderBalanceMsat / 1000n - feeSat);
    expect(paid(BOB_WALLET_SCRIPT)).toBe(counterpartyBalanceMsat / 1000n);
    expect(signed.outs).toHaveLength(2);
  });

  it('an HTLC Bob offered is claimed by Alice from his commitment with the preimage; a wrong one fails the script', async () => {
    const params = await openChannel();
    const preimage = sha256(new TextEncoder().encode('live-chain preimage'));
    const htlc = await htlcExpiringIn(20, 'counterparty', preimage);
    const bobPoint = bob.perCommitmentPoint(N);

    // Bob, the HTLC's offerer, force-closes with his fully signed commitment.
    const bobsCommitment = buildCounterpartyCommitment(params, state([htlc]), bobPoint);
    const bobsTx = finalizeCommitment(params, bobsCommitment, signCommitment(bobsCommitment, alice.fundingSecret), signCommitment(bobsCommitment, bob.fundingSecret));
    await confirm(bobsTx);

    const output = bobsCommitment.outputs.find((o) => o.kind === 'offered_htlc')!;
    expect(output.amountSat).toBe(HTLC_MSAT / 1000n);
    const claim = buildCounterpartyHtlcClaim(
      { counterpartyCommitment: bobsCommitment, outputIndex: output.outputIndex, htlcSecret: derivePrivateKey(alice.htlcBasepointSecret, bobPoint), paymentPreimage: preimage },
      destination(ALICE_WALLET_SCRIPT),
    ).tx;
    expect(claim.locktime).toBe(0);

    // Same transaction, same (valid) signature, wrong preimage: only the script's hash check can refuse it.
    const forged = claim.clone();
    const witness = [...forged.ins[0]!.witness];
    witness[1] = sha256(new TextEncoder().encode('not the preimage'));
    forged.setWitness(0, witness);
    expect(await rejection(chain.client.broadcastTransactions(forged))).toMatch(/script-verify-flag/);

    await confirm(claim);
    expect(claim.outs[0]!.value).toBeGreaterThan(output.amountSat - 2_000n);
  });

  it("Alice's HTLC-timeout is non-final until cltv_expiry, then confirms", async () => {
    const params = await openChannel();
    const htlc = await htlcExpiringIn(20, 'holder', sha256(new TextEncoder().encode('never revealed')));
    const alicePoint = alice.perCommitmentPoint(N);

    // Alice, the offerer, force-closes; her HTLC-timeout was signed by Bob along with the commitment.
    const commitment = buildHolderCommitment(params, state([htlc]), alicePoint);
    const commitmentTx = finalizeCommitment(params, commitment, signCommitment(commitment, alice.fundingSecret), signCommitment(commitment, bob.fundingSecret));
    await confirm(commitmentTx);

    const [htlcTx] = buildHtlcTransactions(commitment);
    expect(htlcTx!.kind).toBe('htlc-timeout');
    expect(htlcTx!.tx.locktime).toBe(htlc.cltvExpiry);
    const timeout = withHtlcWitness(htlcTx!, commitment, {
      localSignature: signHtlcTransaction(htlcTx!, derivePrivateKey(alice.htlcBasepointSecret, alicePoint), 'local'),
      remoteSignature: signHtlcTransaction(htlcTx!, derivePrivateKey(bob.htlcBasepointSecret, alicePoint), 'remote'),
    });

    // Well before expiry, and again exactly one block too early (the next block would be cltv_expiry).
    expect(await rejection(chain.client.broadcastTransactions(timeout))).toMatch(/non-final/);
    await mineUntilHeight(htlc.cltvExpiry - 1);
    expect(await rejection(chain.client.broadcastTransactions(timeout))).toMatch(/non-final/);

    await mineUntilHeight(htlc.cltvExpiry);
    await confirm(timeout);
    expect(timeout.outs[0]!.value).toBe(HTLC_MSAT / 1000n - htlcTx!.feeSat);
  });

  it("Alice's delayed to_local sweep is non-BIP68-final before to_self_delay, then confirms", async () => {
    const params = await openChannel();
    const alicePoint = alice.perCommitmentPoint(N);
    const commitment = buildHolderCommitment(params, state(), alicePoint);
    const commitmentTx = finalizeCommitment(params, commitment, signCommitment(commitment, alice.fundingSecret), signCommitment(commitment, bob.fundingSecret));
    await confirm(commitmentTx);

    const toLocal = commitment.outputs.find((o) => o.kind === 'to_local')!;
    const sweep = buildDelayedOutputSweep(
      {
        outpoint: { txid: commitmentTx.getId(), vout: toLocal.outputIndex },
        amountSat: toLocal.amountSat,
        revocationPubkey: commitment.params.keys.revocationPubkey,
        toSelfDelay: ALICE_TO_SELF_DELAY,
        delayedPaymentSecret: derivePrivateKey(alice.delayedPaymentBasepointSecret, alicePoint),
      },
      destination(ALICE_WALLET_SCRIPT),
    ).tx;
    expect(sweep.ins[0]!.sequence).toBe(ALICE_TO_SELF_DELAY);

    // The commitment has 1 confirmation; the sweep may enter the block that gives it to_self_delay.
    expect(await rejection(chain.client.broadcastTransactions(sweep))).toMatch(/non-BIP68-final/);
    await chain.faucet.mine(ALICE_TO_SELF_DELAY - 2);
    expect(await rejection(chain.client.broadcastTransactions(sweep))).toMatch(/non-BIP68-final/);
    await chain.faucet.mine(1);
    await confirm(sweep);
  });
});
