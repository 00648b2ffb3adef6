/**
 * What notebook 06 measures: one block handed to a ChainMonitor watching 10 channels, then 10,000, with
 * the seed's `transactionsConfirmed` (every monitor looks at every transaction) and with the indexed one.
 * Made-up channels and transactions: the measurement is about dispatch, not the chain or the disk.
 */
import { randomBytes } from 'node:crypto';
import { Transaction, type Block } from 'bitcoinjs-lib';
import type { NodeClasses } from '../node/assemble.js';
import type { ChainMonitor } from '../node/chain-monitor.js';
import { outpointKey } from '../monitor/outpoints.js';
import type { Persist, StoredChannel } from '../persist/persist.js';
import { DEMO_ALICE_DESTINATION, demoChannelPair } from './demo-channel.js';
import { FixedFeeEstimator, RecordingBroadcaster, fakeHeader } from './fakes.js';

/** Where the made-up channels' monitors start watching; any height works, blocks are numbered from here. */
const START_HEIGHT = 100;
/** A typical transaction spends one or two outputs. */
const INPUTS_PER_TRANSACTION = 2;
/** Each output pays the same made-up amount: only the inputs matter to a monitor. */
const OUTPUT_SAT = 10_000n;

/** A persister that keeps nothing, so the measurement is the ChainMonitor's own work. */
export class NullPersister implements Persist {
  async persistNewChannel(): Promise<void> {}
  async updatePersistedChannel(): Promise<void> {}
  async readAllChannels(): Promise<StoredChannel[]> {
    return [];
  }
}

/** `count` transactions spending random outpoints: a busy block in which no channel is involved. */
export function randomBlockTransactions(count: number): Transaction[] {
  const txs: Transaction[] = [];
  for (let i = 0; i < count; i++) {
    const tx = new Transaction();
    for (let input = 0; input < INPUTS_PER_TRANSACTION; input++) tx.addInput(randomBytes(32), input);
    tx.addOutput(DEMO_ALICE_DESTINATION, OUTPUT_SAT);
    txs.push(tx);
  }
  return txs;
}

/**
 * A ChainMonitor of the node `classes` watching `channels` made-up channels (random funding outpoints).
 * The monitors are registered directly, not through `watchChannel`, since nothing is persisted here.
 * Each monitor validates its keys when built: 10,000 take a few seconds.
 */
export function chainMonitorWithChannels(channels: number, classes: NodeClasses): ChainMonitor {
  const chainMonitor = new classes.ChainMonitor(new NullPersister(), new RecordingBroadcaster(), new FixedFeeEstimator());
  const init = demoChannelPair().monitorInit('alice', DEMO_ALICE_DESTINATION, { hash: '00'.repeat(32), height: START_HEIGHT });
  for (let i = 0; i < channels; i++) {
    const fundingOutpoint = { txid: randomBytes(32).toString('hex'), vout: 0 };
    const monitor = new classes.ChannelMonitor({ ...init, params: { ...init.params, fundingOutpoint }, holderCommitmentTx: null });
    chainMonitor.register(outpointKey(fundingOutpoint), monitor);
  }
  return chainMonitor;
}

/** A `transactionsConfirmed` to measure: a method of ChainMonitor or a learner's function with `this`. */
export type TransactionsConfirmedFn = (this: ChainMonitor, header: Block, txdata: Transaction[], height: number) => Promise<void>;

/**
 * Median milliseconds for `fn` to connect `txdata` on `chainMonitor`, over `rounds` blocks (each a new
 * height, so no block is a repeat).
 */
export async function timeBlocks(chainMonitor: ChainMonitor, fn: TransactionsConfirmedFn, txdata: Transaction[], rounds = 3): Promise<number> {
  const times: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const height = START_HEIGHT + 1 + round;
    const started = performance.now();
    await fn.call(chainMonitor, fakeHeader(height), txdata, height);
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return Number(times[Math.floor(times.length / 2)]!.toFixed(1));
}
