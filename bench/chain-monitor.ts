/**
 * `chain_monitor_block`: how long the reference ChainMonitor takes to connect a block of 2,000
 * transactions, with 10, 10,000 and 100,000 channels, and the ratios to the 10-channel figure measured in
 * the same run (`chain_monitor_block_ratio`; goals: ≤ 2× at 10,000, ≤ 3× at 100,000). The watch index
 * finds the few monitors a block concerns, and only those are called.
 *
 * `monitor_update_persist`: monitor updates persisted per second through ChainMonitor.updateChannel into a
 * FileStore, next to raw write + fsync per second of the same number of bytes, measured in the same run.
 */
import { NullPersister, WholeMonitorPersist } from '../src/internal.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Transaction } from 'bitcoinjs-lib';
import { FileStore, KVStoreMonitorPersister, type MonitorPersister } from '../src/internal.js';
import { ChainMonitor, ChannelMonitor } from '../tests/helpers/reference.js';
import { FixedFeeEstimator, RecordingBroadcaster, fakeHeader } from '../tests/helpers/fakes.js';
import { ALICE_DESTINATION, makePair } from '../tests/helpers/channel.js';
import type { BenchResult } from './filestore.js';

const TXS_PER_BLOCK = 2_000;
const INPUTS_PER_TX = 2;
const BLOCK_ROUNDS = 15;

/** A persister that keeps nothing: the block benchmark measures dispatch, not the disk. */
function randomBlockTxs(count: number): Transaction[] {
  const txs: Transaction[] = [];
  for (let i = 0; i < count; i++) {
    const tx = new Transaction();
    for (let j = 0; j < INPUTS_PER_TX; j++) tx.addInput(randomBytes(32), j);
    tx.addOutput(ALICE_DESTINATION, 10_000n);
    txs.push(tx);
  }
  return txs;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function chainMonitorWith(channels: number): Promise<ChainMonitor> {
  const chainMonitor = new ChainMonitor(new NullPersister(), new RecordingBroadcaster(), new FixedFeeEstimator());
  const base = makePair().monitorInit('alice', ALICE_DESTINATION, { hash: '00'.repeat(32), height: 100 });
  for (let i = 0; i < channels; i++) {
    const fundingOutpoint = { txid: randomBytes(32).toString('hex'), vout: i % 4 };
    const monitor = new ChannelMonitor({ ...base, params: { ...base.params, fundingOutpoint }, holderCommitmentTx: null });
    await chainMonitor.watchChannel(fundingOutpoint, monitor);
  }
  return chainMonitor;
}

export async function benchChainMonitorBlock(): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  const txdata = randomBlockTxs(TXS_PER_BLOCK);
  const medians = new Map<number, number>();
  for (const channels of [10, 10_000, 100_000]) {
    const chainMonitor = await chainMonitorWith(channels);
    const times: number[] = [];
    for (let round = 0; round < BLOCK_ROUNDS; round++) {
      const started = performance.now();
      await chainMonitor.transactionsConfirmed(fakeHeader(101 + round), txdata, 101 + round);
      times.push(performance.now() - started);
    }
    medians.set(channels, median(times));
    results.push({ name: 'chain_monitor_block', value: Number(median(times).toFixed(2)), unit: 'ms', channels, transactions: TXS_PER_BLOCK });
  }
  for (const [channels, goal] of [[10_000, 2], [100_000, 3]] as const) {
    const ratio = medians.get(channels)! / medians.get(10)!;
    results.push({ name: 'chain_monitor_block_ratio', value: Number(ratio.toFixed(2)), unit: 'ratio', channels, versus_channels: 10, goal_at_most: goal });
  }
  return results;
}

export async function benchMonitorUpdatePersist(durationMs = 2_000): Promise<BenchResult[]> {
  const dir = mkdtempSync(join(tmpdir(), 'lnlab-bench-'));
  try {
    const persister = new KVStoreMonitorPersister(await FileStore.open(join(dir, 'store')));
    const chainMonitor = new ChainMonitor(new WholeMonitorPersist(persister), new RecordingBroadcaster(), new FixedFeeEstimator());
    const monitor = new ChannelMonitor(makePair().monitorInit('alice', ALICE_DESTINATION, { hash: '00'.repeat(32), height: 100 }));
    await chainMonitor.watchChannel(monitor.fundingOutpoint, monitor);
    // Each update is a new preimage, so the record really changes (and grows a little) every time.
    let updates = 0;
    const started = performance.now();
    while (performance.now() - started < durationMs) {
      await chainMonitor.updateChannel(monitor.fundingOutpoint, { kind: 'PaymentPreimage', paymentPreimage: randomBytes(32) });
      updates++;
    }
    const updatesPerSecond = updates / ((performance.now() - started) / 1000);
    const recordBytes = monitor.toBytes().length;

    const payload = randomBytes(recordBytes);
    let writes = 0;
    const rawStarted = performance.now();
    while (performance.now() - rawStarted < durationMs) {
      const handle = await open(join(dir, 'raw.bin'), 'w');
      await handle.write(payload);
      await handle.sync();
      await handle.close();
      writes++;
    }
    const rawPerSecond = writes / ((performance.now() - rawStarted) / 1000);
    return [
      { name: 'filestore_update', value: Math.round(updatesPerSecond), unit: 'updates/s', record_bytes: recordBytes },
      { name: 'raw_write_fsync', value: Math.round(rawPerSecond), unit: 'writes/s', record_bytes: recordBytes },
      { name: 'filestore_update_vs_raw', value: Number((updatesPerSecond / rawPerSecond).toFixed(3)), unit: 'ratio', record_bytes: recordBytes },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
