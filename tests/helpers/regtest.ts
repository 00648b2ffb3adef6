/**
 * Each chain test file gets its own throwaway regtest node (in memory, free port, ~1 s to start), so
 * files can run in parallel without one mining under another's timelock test.
 */
import { afterAll, beforeAll } from 'vitest';
import { BitcoindClient, Faucet, startThrowawayNode, type RunningNode } from '../../src/internal.js';

export interface TestChain {
  node: RunningNode;
  client: BitcoindClient;
  faucet: Faucet;
}

/** Starts a node before the file's tests and stops it after; read the fields inside tests. */
export function useRegtestChain(): TestChain {
  const chain = {} as TestChain;
  let stop: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    const node = await startThrowawayNode();
    stop = node.stop;
    chain.node = node;
    chain.client = new BitcoindClient(node.config);
    chain.faucet = await Faucet.create(chain.client);
  });
  afterAll(async () => {
    await stop?.();
  });
  return chain;
}
