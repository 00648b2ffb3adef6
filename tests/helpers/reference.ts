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
