/**
 * The reference node for the project's own tests: `src/node`'s classes with every solution in
 * `solutions/` installed (loaded through the registry, as later notebooks load them).
 */
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
