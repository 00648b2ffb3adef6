/** A deterministic Alice–Bob channel for monitor tests, funded by a made-up (or real) outpoint. */
import { payments } from 'bitcoinjs-lib';
import { ChannelPair, KeysManager, fundingOutput, type OutPoint } from '../../src/index.js';

export const TO_SELF_DELAY = 6;
export const CHANNEL_VALUE_SAT = 1_000_000n;
export const FEERATE_PER_KW = 1_000;

export function channelKeys(seedByte: number) {
  return new KeysManager(new Uint8Array(32).fill(seedByte)).channelKeys(0);
}

export const aliceKeys = channelKeys(0xa1);
export const bobKeys = channelKeys(0xb0);

/** Where Alice's monitor sends what it claims: a P2WPKH of a key of hers. */
export const ALICE_DESTINATION: Uint8Array = payments.p2wpkh({ pubkey: aliceKeys.pubkeys.paymentBasepoint }).output!;
export const FUNDING_OUTPUT = fundingOutput(aliceKeys.pubkeys.fundingPubkey, bobKeys.pubkeys.fundingPubkey, CHANNEL_VALUE_SAT);

export function makePair(fundingOutpoint: OutPoint = { txid: 'ab'.repeat(32), vout: 0 }): ChannelPair {
  return new ChannelPair({
    aliceKeys,
    bobKeys,
    fundingOutpoint,
    channelValueSat: CHANNEL_VALUE_SAT,
    toSelfDelay: TO_SELF_DELAY,
    feeratePerKw: FEERATE_PER_KW,
    pushMsat: 100_000_000n,
  });
}
