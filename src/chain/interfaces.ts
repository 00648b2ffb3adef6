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

/**
 * How a `ChannelManager` hands channels to the part of the node that watches the chain (LDK's
 * `chain::Watch`). Both methods answer a `ChannelMonitorUpdateStatus`: the channel may move on only on
 * `Completed`, which promises the monitor is durably stored; on `UnrecoverableError` it must stop, since
 * after a crash nobody would know its newest state.
 *
 * `M` is the monitor type (`ChannelMonitor`); it is a parameter so this file stays free of the node.
 * @see LDK `lightning::chain::Watch`
 */
export interface Watch<M, Update> {
  /** Starts watching a new channel: persist its monitor, then register it. */
  watchChannel(fundingOutpoint: OutPointLike, monitor: M): Promise<ChannelMonitorUpdateStatusLike>;
  /** Applies `update` to the channel's monitor and persists the result. */
  updateChannel(fundingOutpoint: OutPointLike, update: Update): Promise<ChannelMonitorUpdateStatusLike>;
}

/**
 * What is told about each new block (LDK's `chain::Confirm`, the part this workshop uses).
 *
 * **Order**: call once per block, in chain order, with the block's transactions in block order.
 * @see LDK `lightning::chain::Confirm::transactions_confirmed`
 */
export interface Confirm {
  transactionsConfirmed(header: Block, txdata: Transaction[], height: number): Promise<void>;
}

/**
 * An output to look out for: its outpoint and the script it pays, so a source that filters by script (an
 * Electrum or Esplora client, a compact-block-filter client) can find the transaction that spends it.
 */
export interface RegisteredOutput {
  readonly outpoint: OutPointLike;
  readonly scriptPubKey: Uint8Array;
}

/**
 * Registrations a chain source may use to hand over only the transactions a node cares about (LDK's
 * `chain::Filter`). A full-block source (this workshop's bitcoind client) can ignore them.
 *
 * Must not block on I/O: it is called while a monitor is being registered or is reacting to a block.
 * @see LDK `lightning::chain::Filter`
 */
export interface Filter {
  /** Interest in transaction `txid`, which has an output paying `scriptPubKey` (e.g. a funding transaction). */
  registerTx(txid: string, scriptPubKey: Uint8Array): void;
  /** Interest in whatever spends `output`. */
  registerOutput(output: RegisteredOutput): void;
}

/** `{ txid, vout }`, as `src/ln/types.ts` defines `OutPoint` (repeated here to keep this file dependency-free). */
export interface OutPointLike {
  readonly txid: string;
  readonly vout: number;
}

/** `'Completed' | 'UnrecoverableError'`, as `ChannelMonitorUpdateStatus` in `src/monitor/updates.ts`. */
export type ChannelMonitorUpdateStatusLike = 'Completed' | 'UnrecoverableError';
