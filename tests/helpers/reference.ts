/**
 * The reference node for the project's own tests: `src/node`'s classes with every solution in
 * `solutions/` installed (loaded through the registry, as later notebooks load them).
 */
import type { Transaction } from 'bitcoinjs-lib';
import { referenceNode } from '../../src/internal.js';

export const REFERENCE = await referenceNode();
export const { ChannelMonitor, ChainMonitor, ChannelManager, CounterpartyCommitmentSecrets } = REFERENCE;
export type ChannelMonitor = InstanceType<typeof ChannelMonitor>;
export type ChainMonitor = InstanceType<typeof ChainMonitor>;
export type ChannelManager = InstanceType<typeof ChannelManager>;
export type CounterpartyCommitmentSecrets = InstanceType<typeof CounterpartyCommitmentSecrets>;

/**
 * BOLT 3's `revocationprivkey`, computed by the reference `revocationPrivkey` (a monitor method, called here
 * on just the one field it reads): for tests of the BOLT 3 builders, which no longer hold the derivation.
 */
export function referenceRevocationPrivkey(revocationBasepointSecret: Uint8Array, perCommitmentSecret: Uint8Array): Uint8Array {
  const method = ChannelMonitor.prototype.revocationPrivkey as (this: unknown, secret: Uint8Array) => Uint8Array;
  return method.call({ secrets: { revocationBasepointSecret } }, perCommitmentSecret);
}

/**
 * The commitment number a commitment transaction carries in its locktime and sequence, read by the
 * reference `classifySpend` (on a stand-in that knows no commitment of its own and no secret, so every
 * commitment comes back as the counterparty's); `undefined` for a transaction that is no commitment.
 */
export function referenceCommitmentNumber(tx: Transaction, obscuringFactor: bigint): bigint | undefined {
  const method = ChannelMonitor.prototype.classifySpend as (this: unknown, tx: Transaction) => { kind: string; commitmentNumber?: bigint };
  const standIn = { obscuringFactor, isHolderCommitment: () => false, commitmentSecrets: { getSecret: () => undefined } };
  return method.call(standIn, tx).commitmentNumber;
}
