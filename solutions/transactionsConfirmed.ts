/** Reference solution of ⚡️ `transactionsConfirmed` (notebook 02): the seed's first version. */
import type { Block, Transaction } from 'bitcoinjs-lib';
import type { ChainMonitor } from '../src/index.js';

/**
 * Hands a newly connected block to every monitor. Each monitor looks at every transaction; notebook 06
 * makes it scale.
 */
export async function transactionsConfirmed(this: ChainMonitor, header: Block, txdata: Transaction[], height: number): Promise<void> {
  // loop over each monitor in `monitors`
  for (const monitor of this.monitors.values()) {
    // call monitor.blockConnected with the block, our broadcaster and fee estimator — and wait for it
    await monitor.blockConnected(header, txdata, height, this.broadcaster, this.feeEstimator);
  }
  await this.afterBlock(header, txdata, height); // (given) watch new outputs, persist what changed
}
