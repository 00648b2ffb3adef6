/** Reference solution of ⚡️ `scaleTransactionsConfirmed` (notebook 06). */
import type { Block, Transaction } from 'bitcoinjs-lib';
import type { ChainMonitor } from '../src/index.js';

/**
 * Hands a newly connected block to every monitor, each with only the transactions that spend something
 * it watches (looked up in `watchIndex`), so a block costs O(monitors + inputs) rather than their
 * product: the version that scales to 10,000 channels.
 */
export async function transactionsConfirmed(this: ChainMonitor, header: Block, txdata: Transaction[], height: number): Promise<void> {
  // find, for each monitor, the transactions that spend an output it watches
  const relevant = this.watchIndex.relevantTransactions(txdata);
  for (const [key, monitor] of this.monitors) {
    // hand each monitor only its own transactions (most monitors get none)
    await monitor.blockConnected(header, relevant.get(key) ?? [], height, this.broadcaster, this.feeEstimator);
  }
  await this.afterBlock(header, txdata, height); // (given) watch new outputs, persist what changed
}
