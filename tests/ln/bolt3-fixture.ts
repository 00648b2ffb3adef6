/**
 * Loads tests/fixtures/bolt3_vectors.json (BOLT 3's test vectors, stored unchanged; see
 * tests/fixtures/README.md) and turns its hex, written as the spec writes it, into the workshop's types.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import type { Transaction } from 'bitcoinjs-lib';
import { publicKeyFromSecret, type ChannelHtlc, type ChannelParameters, type ChannelType } from '../../src/ln/index.js';

const fixtureUrl = new URL('../fixtures/bolt3_vectors.json', import.meta.url);
export const vectors: any = JSON.parse(readFileSync(fixtureUrl, 'utf8'));

/** Spec hex: optional `0x`, either case. */
export function hex(value: string): Uint8Array {
  return hexToBytes(value.replace(/^0x/i, '').toLowerCase());
}

/** Appendix C private keys carry a trailing `01` (the WIF "compressed" marker); the key is the first 32 bytes. */
export function privkey(value: string): Uint8Array {
  const bytes = hex(value);
  if (bytes.length === 33 && bytes[32] === 0x01) return bytes.subarray(0, 32);
  return bytes;
}

export { bytesToHex };

const common = vectors.commitment_tx.common_parameters;
const internal = vectors.commitment_tx.internal_values;

/** Appendix C's keys, by the names the spec uses. */
export const appendixC = Object.freeze({
  common,
  internal,
  localFundingSecret: privkey(common.local_funding_privkey),
  remoteFundingSecret: privkey(internal.remote_funding_privkey),
  /** The private key of `local_htlcpubkey` (the spec's `local_privkey`). */
  localHtlcSecret: privkey(common.local_privkey),
  /** The private key of `remote_htlcpubkey` (the spec's internal `remote_privkey`). */
  remoteHtlcSecret: privkey(internal.remote_privkey),
  perCommitmentPoint: hex(internal.local_per_commitment_point),
  commitmentNumber: BigInt(common.commitment_number),
});

/** A valid point for basepoints Appendix C never uses (the holder's revocation basepoint, the remote delayed one). */
const UNUSED_BASEPOINT = publicKeyFromSecret(new Uint8Array(32).fill(0x77));

/**
 * Appendix C's channel from the local node's side: local is the holder and the funder; the vectors are
 * the holder's commitment (commitment number 42). Two basepoints the holder's commitment never reads are
 * filled with an unrelated valid point.
 */
export function appendixCChannel(channelType: ChannelType, holderDustLimitSat: bigint): ChannelParameters {
  return {
    fundingOutpoint: { txid: common.funding_tx_id, vout: common.funding_output_index },
    channelValueSat: BigInt(common.funding_amount_satoshi),
    funder: 'holder',
    channelType,
    holder: {
      pubkeys: {
        fundingPubkey: hex(common.local_funding_pubkey),
        revocationBasepoint: UNUSED_BASEPOINT,
        paymentBasepoint: hex(common.local_payment_basepoint),
        delayedPaymentBasepoint: hex(internal.local_delayed_payment_basepoint),
        htlcBasepoint: hex(common.local_htlc_basepoint),
      },
      toSelfDelay: common.local_delay,
      dustLimitSat: holderDustLimitSat,
    },
    counterparty: {
      pubkeys: {
        fundingPubkey: hex(common.remote_funding_pubkey),
        revocationBasepoint: hex(internal.remote_revocation_basepoint),
        paymentBasepoint: hex(common.remote_payment_basepoint),
        delayedPaymentBasepoint: UNUSED_BASEPOINT,
        htlcBasepoint: hex(common.remote_htlc_basepoint),
      },
      toSelfDelay: common.local_delay,
      dustLimitSat: BigInt(common.local_dust_limit_satoshi),
    },
  };
}

/** Appendix C's HTLC table, as channel HTLCs ("remote->local" was offered by the counterparty). */
export const vectorHtlcs: readonly (ChannelHtlc & { readonly id: number; readonly preimage: Uint8Array })[] = vectors.commitment_tx.htlcs.map(
  (htlc: any) => ({
    id: htlc.htlc,
    offeredBy: htlc.direction === 'remote->local' ? 'counterparty' : 'holder',
    amountMsat: BigInt(htlc.amount_msat),
    paymentHash: sha256(hex(htlc.payment_preimage)),
    cltvExpiry: htlc.expiry,
    preimage: hex(htlc.payment_preimage),
  }),
);

/**
 * Which HTLCs a case has. Appendix C: "simple commitment tx with no HTLCs" has none; the "2 offered
 * having the same amount and preimage" case uses HTLCs 1, 5 and 6; every other case uses HTLCs 0–4
 * (trimmed or not). The balances confirm it: they add up to the channel value only with these sets.
 */
export function htlcsForCase(caseName: string, toLocalMsat: bigint): typeof vectorHtlcs {
  if (caseName === 'simple commitment tx with no HTLCs' || toLocalMsat === 10_000_000_000n) return [];
  const ids = caseName.includes('2 offered having the same amount and preimage') ? [1, 5, 6] : [0, 1, 2, 3, 4];
  return vectorHtlcs.filter((htlc) => ids.includes(htlc.id));
}

/** The vector HTLC behind an HTLC of a built transaction. */
export function vectorHtlcFor(htlc: { paymentHash: Uint8Array; cltvExpiry: number; amountMsat: bigint }) {
  const found = vectorHtlcs.find(
    (candidate) =>
      candidate.cltvExpiry === htlc.cltvExpiry &&
      candidate.amountMsat === htlc.amountMsat &&
      bytesToHex(candidate.paymentHash) === bytesToHex(htlc.paymentHash),
  );
  if (found === undefined) throw new Error('no vector HTLC matches');
  return found;
}

// bcoin (a dependency for the embedded regtest node) has a full script interpreter: the tests run every
// witness we produce through it, with Bitcoin Core's standard verification flags.
const require = createRequire(import.meta.url);
const bcoin: any = require('bcoin');

/** Throws bcoin's ScriptError (with its reason) unless input `inputIndex` of `tx` validly spends the given output. */
export function assertSpends(tx: Transaction, inputIndex: number, prevScriptPubKey: Uint8Array, prevAmountSat: bigint): void {
  const bcoinTx = bcoin.TX.fromRaw(Buffer.from(tx.toBuffer()));
  const coin = new bcoin.Output({ script: bcoin.Script.fromRaw(Buffer.from(prevScriptPubKey)), value: Number(prevAmountSat) });
  bcoinTx.checkInput(inputIndex, coin, bcoin.Script.flags.STANDARD_VERIFY_FLAGS);
}
