/**
 * Child process for the monitor crash-safety test (`crash-safety.test.ts`):
 * `node --import tsx crash-updater.ts <root>`.
 *
 * Opens `FileStore` at <root>/store → `KVStoreMonitorPersister` → `ChainMonitor.load`. If no monitor was
 * stored, creates Alice's monitor and `watchChannel`s it (must answer `Completed`). Prints `READY <n>`
 * (n = preimages held), then forever: n += 1, `updateChannel` with preimage #n, and only if that answered
 * `Completed` prints `COMPLETED <n>`. The parent kills it with SIGKILL at a random moment.
 *
 * stdout is a pipe; on Linux Node writes to pipes synchronously, so a printed line survives the SIGKILL,
 * and each line is far below PIPE_BUF, so it arrives whole or not at all.
 */
import { WholeMonitorPersist } from '../../src/internal.js';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Transaction } from 'bitcoinjs-lib';
import type { BroadcasterInterface, FeeEstimator } from '../../src/chain/interfaces.js';
import { ChannelMonitorUpdateStatus } from '../../src/monitor/updates.js';
import { FileStore } from '../../src/persist/file-store.js';
import { KVStoreMonitorPersister } from '../../src/persist/monitor-persister.js';
import { ChainMonitor } from '../helpers/reference.js';
import { ChannelMonitor } from '../helpers/reference.js';

/** Preimage #n: 32 bytes, n big-endian in the first 4, the rest a fixed filler so it is never all zeros. */
export function preimageFor(n: number): Uint8Array {
  const bytes = new Uint8Array(32).fill(0x5a);
  new DataView(bytes.buffer).setUint32(0, n);
  return bytes;
}

/** Inverse of `preimageFor`; throws if `bytes` is not one of ours. */
export function preimageNumber(bytes: Uint8Array): number {
  const n = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(0);
  if (!Buffer.from(bytes).equals(Buffer.from(preimageFor(n)))) throw new Error(`not a test preimage: ${Buffer.from(bytes).toString('hex')}`);
  return n;
}

/** The store directory inside the test's temp root. */
export function storeDir(root: string): string {
  return join(root, 'store');
}

/** Nothing is ever broadcast or fee-estimated here: no blocks are connected. */
export const noopBroadcaster: BroadcasterInterface = {
  async broadcastTransactions(...txs: Transaction[]): Promise<string[]> {
    return txs.map((tx) => tx.getId());
  },
};
export const fixedFeeEstimator: FeeEstimator = {
  async getEstSatPer1000Weight(): Promise<number> {
    return 2_500;
  },
};

async function main(root: string): Promise<void> {
  const persister = new KVStoreMonitorPersister(await FileStore.open(storeDir(root)));
  const chainMonitor = await ChainMonitor.load(new WholeMonitorPersist(persister), noopBroadcaster, fixedFeeEstimator); // corrupt → throws
  let monitor = [...chainMonitor.monitors.values()][0];
  if (monitor === undefined) {
    // Imported only here: the channel helper loads the `src/index.js` barrel (~0.3 s of tsx start-up), and
    // only the first run of a lane needs it; every later run resumes the stored monitor.
    const { ALICE_DESTINATION, makePair } = await import('../helpers/channel.js');
    monitor = new ChannelMonitor(makePair().monitorInit('alice', ALICE_DESTINATION, { hash: '00'.repeat(32), height: 100 }));
    const status = await chainMonitor.watchChannel(monitor.fundingOutpoint, monitor);
    if (status !== ChannelMonitorUpdateStatus.Completed) throw new Error(`watchChannel answered ${status}`);
  }
  const { fundingOutpoint } = monitor;
  let n = monitor.preimages.length;
  process.stdout.write(`READY ${n}\n`);
  for (;;) {
    n += 1;
    const status = await chainMonitor.updateChannel(fundingOutpoint, { kind: 'PaymentPreimage', paymentPreimage: preimageFor(n) });
    if (status === ChannelMonitorUpdateStatus.Completed) process.stdout.write(`COMPLETED ${n}\n`);
  }
}

// Run only as a script: the test imports this file for its helpers and must not start an updater itself.
const root = process.argv[2];
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href && root !== undefined) {
  main(root).catch((error: unknown) => {
    process.stderr.write(`crash-updater: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  });
}
