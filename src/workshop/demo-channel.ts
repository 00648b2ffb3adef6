/** A deterministic Alice–Bob channel for checks, tests and notebooks, funded by a made-up or a real outpoint. */
import { payments } from 'bitcoinjs-lib';
import { fundingOutput } from '../ln/funding.js';
import { KeysManager } from '../ln/keys-manager.js';
import type { OutPoint } from '../ln/types.js';
import { ChannelPair } from './channel-pair.js';

export const DEMO_TO_SELF_DELAY = 6;
export const DEMO_CHANNEL_VALUE_SAT = 1_000_000n;
export const DEMO_FEERATE_PER_KW = 1_000;
/** Alice opens with 1,000,000 sat and gives Bob 100,000 sat (BOLT 2 `push_msat`) so both have a balance. */
export const DEMO_PUSH_MSAT = 100_000_000n;

function demoKeys(seedByte: number) {
  return new KeysManager(new Uint8Array(32).fill(seedByte)).channelKeys(0);
}

export const demoAliceKeys = demoKeys(0xa1);
export const demoBobKeys = demoKeys(0xb0);

/** Where Alice's monitor sends what it claims: a P2WPKH of a key of hers. */
export const DEMO_ALICE_DESTINATION: Uint8Array = payments.p2wpkh({ pubkey: demoAliceKeys.pubkeys.paymentBasepoint }).output!;
export const DEMO_FUNDING_OUTPUT = fundingOutput(demoAliceKeys.pubkeys.fundingPubkey, demoBobKeys.pubkeys.fundingPubkey, DEMO_CHANNEL_VALUE_SAT);

/** A made-up funding outpoint, for checks that need no chain. */
export const DEMO_FUNDING_OUTPOINT: OutPoint = Object.freeze({ txid: 'ab'.repeat(32), vout: 0 });

export function demoChannelPair(fundingOutpoint: OutPoint = DEMO_FUNDING_OUTPOINT): ChannelPair {
  return new ChannelPair({
    aliceKeys: demoAliceKeys,
    bobKeys: demoBobKeys,
    fundingOutpoint,
    channelValueSat: DEMO_CHANNEL_VALUE_SAT,
    toSelfDelay: DEMO_TO_SELF_DELAY,
    feeratePerKw: DEMO_FEERATE_PER_KW,
    pushMsat: DEMO_PUSH_MSAT,
  });
}
