/**
 * Lightning nodes without a chain, for unit tests: monitors persist in memory (through a persister that
 * can be told to fail), the broadcaster only records, and blocks are made up. A wallet is funded by a fake
 * block paying it; a channel's funding confirms by a fake block carrying the funding transaction.
 */
import { WholeMonitorPersist } from '../../src/internal.js';
import { randomBytes } from 'node:crypto';
import { Transaction, type Block } from 'bitcoinjs-lib';
import { InProcessNetwork, KeysManager, OnChainWallet, type MonitorPersister, type PersistedMonitor, type UserConfig } from '../../src/internal.js';
import { ChainMonitor, ChannelManager } from '../helpers/reference.js';
import { FixedFeeEstimator, RecordingBroadcaster, fakeHeader } from './fakes.js';
import { FaultyPersister, type TestNode } from './lightning.js';

/** Monitors in a Map. */
export class MemoryPersister implements MonitorPersister {
  readonly records = new Map<string, Uint8Array>();
  async persistMonitor(key: string, bytes: Uint8Array): Promise<void> {
    this.records.set(key, Uint8Array.from(bytes));
  }
  async readAllMonitors(): Promise<PersistedMonitor[]> {
    return [...this.records].map(([key, bytes]) => ({ key, bytes }));
  }
}

export interface OfflineNode extends Omit<TestNode, 'store'> {
  readonly broadcaster: RecordingBroadcaster;
  readonly memory: MemoryPersister;
}

/** The height fake blocks start from. */
export const OFFLINE_START_HEIGHT = 200;

export function offlineNode(name: string, seedByte: number, config?: UserConfig): OfflineNode {
  const keysManager = new KeysManager(new Uint8Array(32).fill(seedByte));
  const feeEstimator = new FixedFeeEstimator(2_500);
  const broadcaster = new RecordingBroadcaster();
  const wallet = new OnChainWallet(keysManager, feeEstimator);
  const memory = new MemoryPersister();
  const persister = new FaultyPersister(memory);
  const chainMonitor = new ChainMonitor(new WholeMonitorPersist(persister), broadcaster, feeEstimator);
  const bestBlock = { hash: fakeHeader(OFFLINE_START_HEIGHT).getId(), height: OFFLINE_START_HEIGHT };
  const manager = new ChannelManager({ keysManager, chainMonitor, wallet, broadcaster, feeEstimator, bestBlock, config });
  return { name, keysManager, wallet, persister, memory, chainMonitor, manager, broadcaster, height: OFFLINE_START_HEIGHT };
}

/** A made-up block at the next height of `nodes[0]` carrying `txs`, handed to every node. */
export async function connectFakeBlock(network: InProcessNetwork, nodes: readonly OfflineNode[], txs: Transaction[] = []): Promise<Block> {
  const height = Math.max(...nodes.map((n) => n.height)) + 1;
  const block = fakeHeader(height);
  block.transactions = txs;
  for (const node of nodes) {
    await node.manager.blockConnected(block, height);
    node.height = height;
  }
  await network.settle();
  return block;
}

/** A transaction from nowhere paying `amountSat` to `node`'s wallet, confirmed in a fake block. */
export async function fundOffline(network: InProcessNetwork, nodes: readonly OfflineNode[], node: OfflineNode, amountSat: bigint): Promise<void> {
  const tx = new Transaction();
  tx.version = 2;
  tx.addInput(Uint8Array.from(randomBytes(32)), 0);
  tx.addOutput(node.wallet.receiveScript(), amountSat);
  await connectFakeBlock(network, nodes, [tx]);
}

/** `a` opens a channel to `b`; the funding "confirms" in a fake block; both sides are ready. */
export async function openOffline(network: InProcessNetwork, nodes: readonly OfflineNode[], a: OfflineNode, b: OfflineNode, valueSat: bigint): Promise<string> {
  const status = await a.manager.createChannel(b.keysManager.nodeId, valueSat);
  if (status.kind !== 'Success') throw status.error;
  await network.settle();
  const fundingTx = a.broadcaster.broadcast.find((tx) => tx.getId() === status.fundingOutpoint.txid)!;
  await connectFakeBlock(network, nodes, [fundingTx]);
  return status.channelId;
}
