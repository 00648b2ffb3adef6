/**
 * Lightning nodes for live-chain tests: each node is a KeysManager, an OnChainWallet, a ChainMonitor
 * persisting to its own FileStore (through a persister that can be told to fail), and a ChannelManager.
 * Blocks reach every node through `mineAndSync`, as a block watcher would deliver them.
 */
import { REFERENCE } from './reference.js';
import { WholeMonitorPersist } from '../../src/internal.js';
import {
  InProcessNetwork,
  fundingOutpointKey,
  type MonitorPersister,
  type OutPoint,
  type PersistedMonitor,
  type UserConfig,
  type UtxoLookup,
} from '../../src/internal.js';
import type { TestChain } from './regtest.js';
import { deliverBlocks, liveNode, type LiveNode } from '../../src/workshop/live-node.js';

/**
 * A `MonitorPersister` that works until told otherwise: `failFor(outpoint)` makes every later write of
 * that channel's monitor fail, as a full disk would; `failWhen(outpoint, test)` only the writes whose
 * record passes `test`; `heal()` ends it.
 */
export class FaultyPersister implements MonitorPersister {
  readonly #failing = new Map<string, (bytes: Uint8Array) => boolean>();
  #failEverything = false;
  failedWrites = 0;

  constructor(private readonly inner: MonitorPersister) {}

  failFor(outpoint: OutPoint): void {
    this.failWhen(outpoint, () => true);
  }

  failWhen(outpoint: OutPoint, test: (bytes: Uint8Array) => boolean): void {
    this.#failing.set(fundingOutpointKey(outpoint.txid, outpoint.vout), test);
  }

  failEverything(): void {
    this.#failEverything = true;
  }

  heal(): void {
    this.#failing.clear();
    this.#failEverything = false;
  }

  async persistMonitor(key: string, bytes: Uint8Array): Promise<void> {
    if (this.#failEverything || this.#failing.get(key)?.(bytes)) {
      this.failedWrites += 1;
      throw new Error(`injected persist failure for ${key}`);
    }
    return this.inner.persistMonitor(key, bytes);
  }

  readAllMonitors(): Promise<PersistedMonitor[]> {
    return this.inner.readAllMonitors();
  }
}

/** A live node (see `src/workshop/live-node.ts`) whose persister can be made to fail on demand. */
export interface TestNode extends LiveNode {
  readonly persister: FaultyPersister;
}

/** A node named `name` with seed `seedByte` repeated, storing its monitors under `root/name`. */
export async function makeNode(
  chain: TestChain,
  name: string,
  seedByte: number,
  root: string,
  options: { config?: UserConfig; utxoLookup?: UtxoLookup } = {},
): Promise<TestNode> {
  let persister: FaultyPersister | undefined;
  const node = await liveNode(chain.client, name, {
    ...options,
    classes: REFERENCE,
    seed: new Uint8Array(32).fill(seedByte),
    dir: root,
    persister: (_persist, store) => new WholeMonitorPersist((persister = new FaultyPersister(store))),
  });
  return { ...node, persister: persister! };
}

/** Hands every block each node has not seen yet to it, in order, then lets messages settle. */
export async function syncNodes(chain: TestChain, network: InProcessNetwork | undefined, nodes: readonly TestNode[]): Promise<void> {
  await deliverBlocks(chain.client, nodes, network);
}

/** Mines `count` blocks and delivers them to `nodes`. */
export async function mineAndSync(chain: TestChain, network: InProcessNetwork | undefined, nodes: readonly TestNode[], count = 1): Promise<void> {
  await chain.faucet.mine(count);
  await syncNodes(chain, network, nodes);
}

/** Pays `amountSat` from the faucet to a fresh wallet script of each node, and confirms it. */
export async function fundNodes(chain: TestChain, nodes: readonly TestNode[], amountSat: bigint): Promise<void> {
  for (const node of nodes) await chain.faucet.fund(node.wallet.receiveScript(), amountSat);
  await mineAndSync(chain, undefined, nodes);
}

/**
 * `a` opens a channel of `valueSat` to `b` (already linked), the funding confirms, and both sides are
 * `Ready`. Returns the channel id.
 */
export async function openReadyChannel(chain: TestChain, network: InProcessNetwork, nodes: readonly TestNode[], a: TestNode, b: TestNode, valueSat: bigint): Promise<string> {
  const status = await a.manager.createChannel(b.keysManager.nodeId, valueSat);
  if (status.kind !== 'Success') throw status.error;
  await network.settle();
  await mineAndSync(chain, network, nodes);
  return status.channelId;
}

/** Waits until every node has finished what it was doing and every message is delivered. */
export async function settle(network: InProcessNetwork, nodes: readonly TestNode[]): Promise<void> {
  for (;;) {
    const delivered = network.log.length;
    await Promise.all(nodes.map((node) => node.manager.exclusive(async () => undefined)));
    await network.settle();
    if (network.log.length === delivered) return;
  }
}
