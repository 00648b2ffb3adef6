/**
 * Finding what a ChannelMonitor can claim on a commitment that reached the chain. Building and signing the
 * claims is BOLT 3 work done in `src/ln` (`buildJusticeTx`, `buildDelayedOutputSweep`); this file only
 * recognises our outputs, from the channel's parameters and our keys.
 */
import type { Transaction } from 'bitcoinjs-lib';
import type { ChannelParameters } from '../ln/channel.js';
import type { DelayedOutput } from '../ln/claims.js';
import { deriveCommitmentKeys } from '../ln/commitment-keys.js';
import { derivePrivateKey } from '../ln/keys.js';
import { p2wshScriptPubKey, toLocalScript } from '../ln/scripts.js';

/** The secrets a monitor holds to claim outputs: our basepoint secrets (never the funding key). */
export interface MonitorSecrets {
  readonly revocationBasepointSecret: Uint8Array;
  readonly delayedPaymentBasepointSecret: Uint8Array;
  readonly htlcBasepointSecret: Uint8Array;
  readonly paymentBasepointSecret: Uint8Array;
  /** Our per-commitment seed: gives the per-commitment point of any of our commitments. */
  readonly commitmentSeed: Uint8Array;
}

/**
 * Our own `to_local` output on **our** commitment `commitmentTx`, if it has one: spendable with our
 * delayed key once it has `to_self_delay` confirmations.
 * @see BOLT 3 "to_local Output"
 */
export function findHolderToLocal(
  params: ChannelParameters,
  secrets: MonitorSecrets,
  commitmentTx: Transaction,
  holderPerCommitmentPoint: Uint8Array,
): DelayedOutput | undefined {
  const keys = deriveCommitmentKeys(holderPerCommitmentPoint, params.holder.pubkeys, params.counterparty.pubkeys);
  const toSelfDelay = params.holder.toSelfDelay;
  const scriptPubKey = Buffer.from(p2wshScriptPubKey(toLocalScript(keys.revocationPubkey, toSelfDelay, keys.broadcasterDelayedPubkey)));
  const vout = commitmentTx.outs.findIndex((out) => scriptPubKey.equals(Buffer.from(out.script)));
  if (vout < 0) return undefined;
  return {
    outpoint: { txid: commitmentTx.getId(), vout },
    amountSat: commitmentTx.outs[vout]!.value,
    revocationPubkey: keys.revocationPubkey,
    toSelfDelay,
    delayedPaymentSecret: derivePrivateKey(secrets.delayedPaymentBasepointSecret, holderPerCommitmentPoint),
  };
}
