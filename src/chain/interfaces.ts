/**
 * The seams between a Lightning node and the Bitcoin chain, after LDK's `chaininterface.rs` and
 * `chain/mod.rs`: each is a small interface, so a learner sees exactly what a component needs and a test
 * can hand it a tiny fake (a broadcaster that records what it was given, say).
 */
import type { Block, Transaction } from 'bitcoinjs-lib';

/** Sends transactions to the Bitcoin network. */
export interface BroadcasterInterface {
  /**
   * Hands each transaction to the network, in order. Resolves with their txids once the node has
   * accepted every one; rejects with a `BroadcastRejectedError` carrying the node's reason otherwise.
   *
   * A transaction that double-spends one already confirmed (say, a justice transaction racing the
   * cheater's own sweep) is rejected; that is the chain working, not a bug in the caller.
   */
  broadcastTransactions(...txs: Transaction[]): Promise<string[]>;
}

/**
 * How urgently a transaction must confirm. Names follow LDK's `ConfirmationTarget`; each maps to a
 * confirmation target in blocks for the node's fee estimate.
 */
export type ConfirmationTarget = 'UrgentOnChainSweep' | 'NonAnchorChannelFee' | 'ChannelCloseMinimum';

/** Confirmation targets in blocks, per `ConfirmationTarget`. A justice sweep is urgent: it races the cheater. */
export const CONFIRMATION_TARGET_BLOCKS: Readonly<Record<ConfirmationTarget, number>> = Object.freeze({
  UrgentOnChainSweep: 1,
  NonAnchorChannelFee: 6,
  ChannelCloseMinimum: 144,
});

/**
 * The lowest feerate Bitcoin Core relays, in satoshis per 1000 weight units: 1 sat/vbyte is 250 sat/kW,
 * and LDK rounds up to 253 so that converting back to vbytes never lands below the relay minimum.
 */
export const FEERATE_FLOOR_SATS_PER_KW = 253;

/** Estimates feerates. Units are in the name: satoshis per 1000 weight units (sat/kW). */
export interface FeeEstimator {
  /** Never below `FEERATE_FLOOR_SATS_PER_KW`. */
  getEstSatPer1000Weight(target: ConfirmationTarget): Promise<number>;
}

/** The tip of the chain as seen by a block source. */
export interface BestBlock {
  readonly hash: string;
  readonly height: number;
}

/** Where blocks come from (LDK's `BlockSource`, trimmed to what the workshop reads). */
export interface BlockSource {
  getBestBlock(): Promise<BestBlock>;
  /** The full block, transactions included. */
  getBlock(hash: string): Promise<Block>;
  /** The 80-byte header only, as a bitcoinjs `Block` without transactions. */
  getHeader(hash: string): Promise<Block>;
  getBlockHash(height: number): Promise<string>;
}
