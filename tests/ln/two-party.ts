/**
 * A deterministic Alice–Bob channel for the non-vector tests: Alice funds it; each side's view is a
 * `ChannelParameters` with itself as holder. The two sides use different delays and dust limits so a
 * mixed-up role shows up as a different transaction.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import {
  KeysManager,
  p2wpkhScriptPubKey,
  type ChannelHtlc,
  type ChannelKeys,
  type ChannelParameters,
  type ChannelState,
  type ChannelType,
} from '../../src/ln/index.js';

export const alice: ChannelKeys = new KeysManager(new Uint8Array(32).fill(0xa1)).channelKeys(7);
export const bob: ChannelKeys = new KeysManager(new Uint8Array(32).fill(0xb0)).channelKeys(3);

export const CHANNEL_VALUE_SAT = 2_000_000n;
/** Blocks Alice waits on her own to_local (Bob asked for it). */
export const ALICE_TO_SELF_DELAY = 144;
/** Blocks Bob waits on his own to_local (Alice asked for it). */
export const BOB_TO_SELF_DELAY = 720;
export const ALICE_DUST_LIMIT_SAT = 546n;
export const BOB_DUST_LIMIT_SAT = 354n;
export const FUNDING_OUTPOINT = Object.freeze({ txid: '5a'.repeat(32), vout: 1 });

/** Where each side's sweeps go. */
export const ALICE_WALLET_SCRIPT = p2wpkhScriptPubKey(new KeysManager(new Uint8Array(32).fill(0xa2)).nodeId);
export const BOB_WALLET_SCRIPT = p2wpkhScriptPubKey(new KeysManager(new Uint8Array(32).fill(0xb2)).nodeId);

const aliceParty = { pubkeys: alice.pubkeys, toSelfDelay: ALICE_TO_SELF_DELAY, dustLimitSat: ALICE_DUST_LIMIT_SAT };
const bobParty = { pubkeys: bob.pubkeys, toSelfDelay: BOB_TO_SELF_DELAY, dustLimitSat: BOB_DUST_LIMIT_SAT };

/** The channel as `who` sees it. */
export function channelView(who: 'alice' | 'bob', channelType: ChannelType = 'static_remotekey'): ChannelParameters {
  return {
    fundingOutpoint: FUNDING_OUTPOINT,
    channelValueSat: CHANNEL_VALUE_SAT,
    funder: who === 'alice' ? 'holder' : 'counterparty',
    holder: who === 'alice' ? aliceParty : bobParty,
    counterparty: who === 'alice' ? bobParty : aliceParty,
    channelType,
  };
}

/** A payment preimage from a label, and its hash. */
export function preimage(label: number): Uint8Array {
  return new Uint8Array(32).fill(label);
}

/** HTLCs in flight, from Alice's side: two she offered, two Bob offered (one of each tiny, to be trimmed). */
export function aliceHtlcs(): ChannelHtlc[] {
  return [
    { offeredBy: 'holder', amountMsat: 150_000_000n, paymentHash: sha256(preimage(1)), cltvExpiry: 600_100 },
    { offeredBy: 'holder', amountMsat: 400_000n, paymentHash: sha256(preimage(2)), cltvExpiry: 600_101 },
    { offeredBy: 'counterparty', amountMsat: 90_000_000n, paymentHash: sha256(preimage(3)), cltvExpiry: 600_102 },
    { offeredBy: 'counterparty', amountMsat: 300_000n, paymentHash: sha256(preimage(4)), cltvExpiry: 600_103 },
  ];
}

/** Alice's view of a state; `mirror` turns it into Bob's view of the same state. */
export function aliceState(commitmentNumber: bigint, htlcs: ChannelHtlc[] = aliceHtlcs(), feeratePerKw = 2_500): ChannelState {
  const htlcMsat = htlcs.reduce((sum, htlc) => sum + htlc.amountMsat, 0n);
  const bobMsat = 600_000_000n;
  return {
    commitmentNumber,
    holderBalanceMsat: CHANNEL_VALUE_SAT * 1000n - bobMsat - htlcMsat,
    counterpartyBalanceMsat: bobMsat,
    feeratePerKw,
    htlcs,
  };
}

export function mirror(state: ChannelState): ChannelState {
  return {
    commitmentNumber: state.commitmentNumber,
    holderBalanceMsat: state.counterpartyBalanceMsat,
    counterpartyBalanceMsat: state.holderBalanceMsat,
    feeratePerKw: state.feeratePerKw,
    htlcs: state.htlcs.map((htlc) => ({ ...htlc, offeredBy: htlc.offeredBy === 'holder' ? 'counterparty' : 'holder' })),
  };
}
