/** Reference solution of ⚡️ `scaleTransactionsConfirmed` (notebook 06). */
import type { Block, Transaction } from 'bitcoinjs-lib';
import type { ChainMonitor } from '../src/index.js';

/**
 * Hands a newly connected block only to the monitors it concerns, each with only the transactions that
 * spend something it watches (looked up in `watchIndex`), so a block costs O(inputs + monitors concerned)
 * however many channels sit idle: the version that scales to 100,000 channels.
 */
export async function transactionsConfirmed(this: ChainMonitor, header: Block, txdata: Transaction[], height: number): Promise<void> {
  // find, for each monitor concerned, the transactions that spend an output it watches
  const relevant = this.watchIndex.relevantTransactions(txdata);
  for (const [key, txs] of relevant) {
    // hand that monitor its own transactions, and wait for its reaction
    await this.monitors.get(key)!.blockConnected(header, txs, height, this.broadcaster, this.feeEstimator);
  }
  await this.afterBlock(header, txdata, height); // (given) new tip for every monitor, matured claims, persist what changed
}
