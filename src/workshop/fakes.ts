/**
 * Tiny hand-written fakes for the chain seams, used by the exercise checks and the tests: a broadcaster
 * that records what it is given, a fee estimator with a fixed answer, and block headers made up per height.
 */
import { Block, type Transaction } from 'bitcoinjs-lib';
import type { BroadcasterInterface, FeeEstimator } from '../chain/interfaces.js';

export class RecordingBroadcaster implements BroadcasterInterface {
  readonly broadcast: Transaction[] = [];
  async broadcastTransactions(...txs: Transaction[]): Promise<string[]> {
    this.broadcast.push(...txs);
    return txs.map((tx) => tx.getId());
  }
}

export class FixedFeeEstimator implements FeeEstimator {
  constructor(readonly feeratePerKw = 2_500) {}
  async getEstSatPer1000Weight(): Promise<number> {
    return this.feeratePerKw;
  }
}

/** A block header with a distinct hash per height (no proof of work: monitors never check it). */
export function fakeHeader(height: number): Block {
  const block = new Block();
  block.version = 0x20000000;
  block.prevHash = new Uint8Array(32);
  block.merkleRoot = new Uint8Array(32);
  block.timestamp = 1_700_000_000 + height * 600;
  block.bits = 0x207fffff;
  block.nonce = height;
  return block;
}
