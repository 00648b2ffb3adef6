/**
 * A whole Lightning node on a live regtest chain, small enough for a check or a notebook cell: a
 * KeysManager, an OnChainWallet, a ChainMonitor persisting to a FileStore, and a ChannelManager. Blocks
 * reach a node only through `deliverBlocks`, as a block watcher would hand them over.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { BroadcasterInterface } from '../chain/interfaces.js';
import type { BitcoindClient } from '../chain/bitcoind-client.js';
import type { Faucet } from '../chain/regtest/faucet.js';
import type { UserConfig } from '../channel/config.js';
import type { UtxoLookup } from '../gossip/index.js';
import { KeysManager } from '../ln/keys-manager.js';
import type { InProcessNetwork } from '../peer/network.js';
import { FileStore } from '../persist/file-store.js';
import { KVStoreMonitorPersister, WholeMonitorPersist } from '../persist/monitor-persister.js';
import type { Persist } from '../persist/persist.js';
import type { ChainMonitor } from '../node/chain-monitor.js';
import type { ChannelManager } from '../node/channel-manager.js';
import type { NodeClasses } from '../node/assemble.js';
import { OnChainWallet } from '../wallet/wallet.js';
import { scratchDir } from './scratch-dir.js';

export interface LiveNode {
  readonly name: string;
  readonly keysManager: KeysManager;
  readonly wallet: OnChainWallet;
  /** The FileStore-backed persister, for reading back what is on disk. */
  readonly store: KVStoreMonitorPersister;
  readonly chainMonitor: ChainMonitor;
  readonly manager: ChannelManager;
  /** The last block handed to this node. */
  height: number;
}

export interface LiveNodeOptions {
  /** The node's classes, holes filled (`assembleNode`, or `yourNode()` in a notebook). */
  readonly classes: NodeClasses;
  /** Where the FileStore goes; by default a fresh scratch folder, removed when the process exits (`scratchDir`). */
  readonly dir?: string;
  /** Wraps the FileStore persister (to inject faults). */
  readonly persister?: (persist: Persist, store: KVStoreMonitorPersister) => Persist;
  /** The node's broadcaster; the chain client by default. */
  readonly broadcaster?: BroadcasterInterface;
  readonly config?: UserConfig;
  /** How gossip checks that an announced channel's funding output exists; the manager's default otherwise. */
  readonly utxoLookup?: UtxoLookup;
  /** Key seed; random by default, so every run gets fresh keys on a long-lived chain. */
  readonly seed?: Uint8Array;
}

/** A node named `name` on the chain `client` talks to, starting at the current tip. */
export async function liveNode(client: BitcoindClient, name: string, options: LiveNodeOptions): Promise<LiveNode> {
  const keysManager = new KeysManager(options.seed ?? Uint8Array.from(randomBytes(32)));
  const wallet = new OnChainWallet(keysManager, client);
  const dir = options.dir ?? scratchDir('node');
  const store = new KVStoreMonitorPersister(await FileStore.open(join(dir, name)));
  const persist = new WholeMonitorPersist(store);
  const chainMonitor = new options.classes.ChainMonitor(options.persister?.(persist, store) ?? persist, client, client);
  const bestBlock = await client.getBestBlock();
  const manager = new options.classes.ChannelManager({ keysManager, chainMonitor, wallet, broadcaster: options.broadcaster ?? client, feeEstimator: client, bestBlock, config: options.config, utxoLookup: options.utxoLookup });
  return { name, keysManager, wallet, store, chainMonitor, manager, height: bestBlock.height };
}

/** Hands every block a node has not seen yet to it, in order, letting messages settle after each. */
export async function deliverBlocks(client: BitcoindClient, nodes: readonly LiveNode[], network?: InProcessNetwork): Promise<void> {
  const tip = (await client.getBestBlock()).height;
  for (let height = Math.min(...nodes.map((n) => n.height)) + 1; height <= tip; height++) {
    const block = await client.getBlock(await client.getBlockHash(height));
    for (const node of nodes) {
      if (node.height >= height) continue;
      await node.manager.blockConnected(block, height);
      node.height = height;
    }
    await network?.settle();
  }
  await network?.settle();
}

/** Mines `count` blocks and delivers them to `nodes`. */
export async function mineAndDeliver(client: BitcoindClient, faucet: Faucet, nodes: readonly LiveNode[], network?: InProcessNetwork, count = 1): Promise<void> {
  await faucet.mine(count);
  await deliverBlocks(client, nodes, network);
}

/** Pays `amountSat` from the faucet into `funded`'s wallet and confirms it in a block delivered to `nodes`. */
export async function fundLiveNode(client: BitcoindClient, faucet: Faucet, funded: LiveNode, amountSat: bigint, nodes: readonly LiveNode[] = [funded], network?: InProcessNetwork): Promise<void> {
  await faucet.fund(funded.wallet.receiveScript(), amountSat);
  await mineAndDeliver(client, faucet, nodes, network);
}
