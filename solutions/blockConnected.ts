/** Reference solution of ⚡️ `blockConnected` (notebook 01). */
import type { Block, Transaction } from 'bitcoinjs-lib';
import type { BroadcasterInterface, ChannelMonitor, FeeEstimator } from '../src/index.js';

/**
 * Tells the monitor about a new block. For every transaction that spends an output we watch, build our
 * reaction (a justice transaction when it is a revoked commitment), broadcast it, and watch the new
 * outputs. Connecting the same block twice changes nothing.
 */
export async function blockConnected(
  this: ChannelMonitor,
  header: Block,
  txdata: Transaction[],
  height: number,
  broadcaster: BroadcasterInterface,
  feeEstimator: FeeEstimator,
): Promise<void> {
  // remember this block as our best block
  this.bestBlock = this.bestBlockOf(header, height);
  // for each transaction in the block
  for (const tx of txdata) {
    // does it spend an output we are watching?
    if (!this.spendsWatchedOutput(tx)) continue;
    // yes: react by building new transactions, at a feerate that wins a race against the cheater
    const feeratePerKw = await feeEstimator.getEstSatPer1000Weight('UrgentOnChainSweep');
    const reaction = this.reactTo(tx, height, feeratePerKw);
    // broadcast the new transactions
    await this.broadcast(broadcaster, reaction.claims);
    // add their outputs to the outputs we watch
    this.watchOutputs(reaction.outputsToWatch);
  }
  await this.broadcastMaturedClaims(height, broadcaster, feeEstimator); // (given) e.g. our to_local after a force close
}
