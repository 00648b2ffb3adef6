/**
 * Reference `ChainMonitor`: one coordinator that feeds every block to every channel's `ChannelMonitor`
 * and persists each monitor before its channel may move on.
 *
 * The ⚡️ exercises of notebooks 02 and 03 are the methods marked `#region`; a learner's version of each is
 * checked against the same tests as this one.
 */
import type { Block, Transaction } from 'bitcoinjs-lib';
import type { BlockSource, BroadcasterInterface, FeeEstimator } from '../src/chain/interfaces.js';
import type { OutPoint } from '../src/ln/types.js';
import { ChannelMonitorUpdateStatus, type ChannelMonitorUpdate } from '../src/monitor/updates.js';
import { ChannelAlreadyWatchedError, MonitorMismatchError, UnknownChannelError } from '../src/monitor/errors.js';
import { outpointKey } from '../src/monitor/outpoints.js';
import { WatchedTxidIndex } from '../src/monitor/watch-index.js';
import { fundingOutpointKey, type MonitorPersister } from '../src/persist/index.js';
import { ChannelMonitor } from './channel-monitor.js';

// #region transactionsConfirmed
/**
 * ⚡️ Notebook 02: hands a newly connected block to every monitor, the seed's first version. Each monitor
 * looks at every transaction; notebook 06 makes it scale.
 */
export async function transactionsConfirmed(this: ChainMonitor, header: Block, txdata: Transaction[], height: number): Promise<void> {
  // loop over each monitor in `monitors`
  for (const monitor of this.monitors.values()) {
    // call monitor.blockConnected with the block, our broadcaster and fee estimator
    await monitor.blockConnected(header, txdata, height, this.broadcaster, this.feeEstimator);
  }
  await this.afterBlock(header, txdata, height); // (given) watch new outputs, persist what changed
}
// #endregion transactionsConfirmed

/** The monitor handed over must be the one for this outpoint. */
export function assertSameChannel(key: string, monitor: ChannelMonitor): void {
  const monitorKey = outpointKey(monitor.fundingOutpoint);
  if (monitorKey !== key) throw new MonitorMismatchError(key, monitorKey);
}

export class ChainMonitor {
  /** Every watched channel's monitor, keyed by its funding outpoint (`<txid>:<vout>`). */
  readonly monitors = new Map<string, ChannelMonitor>();
  readonly persister: MonitorPersister;
  readonly broadcaster: BroadcasterInterface;
  readonly feeEstimator: FeeEstimator;
  /** The last persist failure, for the caller that got `UnrecoverableError` and wants to say why. */
  lastPersistError: unknown;
  /** Which monitors watch which txids: how a block reaches only the monitors it concerns. */
  readonly watchIndex = new WatchedTxidIndex();
  /** Monitors changed by a block whose persist failed; retried on the next block. */
  private readonly unpersisted = new Set<string>();

  constructor(persister: MonitorPersister, broadcaster: BroadcasterInterface, feeEstimator: FeeEstimator) {
    this.persister = persister;
    this.broadcaster = broadcaster;
    this.feeEstimator = feeEstimator;
  }

  // #region scaleTransactionsConfirmed
  /**
   * Hands a newly connected block to every monitor, each with only the transactions that spend something
   * it watches (looked up in `watchIndex`), so a block costs O(monitors + inputs) rather than their
   * product: the version that scales to 10,000 channels (notebook 06).
   *
   * **Order**: call once per block, in chain order. Calling twice for one block is harmless.
   */
  async transactionsConfirmed(header: Block, txdata: Transaction[], height: number): Promise<void> {
    // find, for each monitor, the transactions that spend an output it watches
    const relevant = this.watchIndex.relevantTransactions(txdata);
    for (const [key, monitor] of this.monitors) {
      // hand each monitor only its own transactions (most monitors get none)
      await monitor.blockConnected(header, relevant.get(key) ?? [], height, this.broadcaster, this.feeEstimator);
    }
    await this.afterBlock(header, txdata, height); // (given) watch new outputs, persist what changed
  }
  // #endregion scaleTransactionsConfirmed

  /**
   * What follows every block, whichever way it was handed out: re-index the monitors whose watch list
   * grew, hand them again the transactions of this block that spend their new outputs (a commitment and
   * its HTLC spend can be mined together; `blockConnected` is idempotent, so nothing counts twice), and
   * persist every monitor the block changed. A monitor whose only change is its best block is not
   * rewritten: after a restart it re-scans from an older block, which is safe for the same reason.
   */
  async afterBlock(header: Block, txdata: Transaction[], height: number): Promise<void> {
    // Only a monitor that was handed transactions can have started watching more outputs.
    const changed = new Set(this.watchIndex.relevantTransactions(txdata).keys());
    let grown = this.reindexGrownMonitors(changed);
    for (let round = 0; grown.length > 0 && round < txdata.length; round++) {
      for (const key of grown) changed.add(key);
      const relevant = this.watchIndex.relevantTransactions(txdata);
      for (const key of grown) {
        const txs = relevant.get(key);
        if (txs) await this.monitors.get(key)!.blockConnected(header, txs, height, this.broadcaster, this.feeEstimator);
      }
      grown = this.reindexGrownMonitors(grown);
    }
    for (const key of changed) this.unpersisted.add(key);
    for (const key of [...this.unpersisted]) {
      const monitor = this.monitors.get(key);
      if (!monitor || (await this.persist(monitor)) === ChannelMonitorUpdateStatus.Completed) this.unpersisted.delete(key);
    }
  }

  /** Re-indexes those of `candidates` whose `outputsToWatch` changed since last indexed; returns their keys. */
  private reindexGrownMonitors(candidates: Iterable<string>): string[] {
    const grown: string[] = [];
    for (const key of candidates) {
      const monitor = this.monitors.get(key);
      if (!monitor || this.watchIndex.isCurrent(key, monitor.outputsToWatch)) continue;
      this.watchIndex.update(key, monitor.outputsToWatch);
      grown.push(key);
    }
    return grown;
  }

  // #region watchChannel
  /**
   * Starts watching a new channel: persists its monitor, then registers it. `Completed` only once the
   * monitor is durably on disk; if persisting fails the monitor is not registered and the answer is
   * `UnrecoverableError` (the channel must not open). A second monitor for the same outpoint is refused.
   */
  async watchChannel(fundingOutpoint: OutPoint, monitor: ChannelMonitor): Promise<ChannelMonitorUpdateStatus> {
    const key = outpointKey(fundingOutpoint); // (given)
    assertSameChannel(key, monitor); // (given)
    // refuse a second monitor for the same funding outpoint (`ChannelAlreadyWatchedError`)
    if (this.monitors.has(key)) throw new ChannelAlreadyWatchedError(key);
    // attempt to persist the monitor to disk
    try {
      await this.persister.persistMonitor(fundingOutpointKey(fundingOutpoint.txid, fundingOutpoint.vout), monitor.toBytes());
    } catch (err) {
      // if failure: remember why and answer UnrecoverableError — the monitor is not kept
      this.lastPersistError = err;
      return ChannelMonitorUpdateStatus.UnrecoverableError;
    }
    // if success: insert the monitor into `monitors` (and `watchIndex`) and answer Completed
    this.monitors.set(key, monitor);
    this.watchIndex.update(key, monitor.outputsToWatch);
    return ChannelMonitorUpdateStatus.Completed;
  }
  // #endregion watchChannel

  // #region updateChannel
  /**
   * Applies an update to a channel's monitor, then persists the monitor. `Completed` only once the updated
   * monitor is durably on disk. An update the monitor rejects (an invalid secret) throws and changes
   * nothing; an unknown outpoint throws `UnknownChannelError`.
   */
  async updateChannel(fundingOutpoint: OutPoint, update: ChannelMonitorUpdate): Promise<ChannelMonitorUpdateStatus> {
    // find the channel's monitor; an unknown outpoint is a clear error (`UnknownChannelError`), not a crash
    const key = outpointKey(fundingOutpoint);
    const monitor = this.monitors.get(key);
    if (!monitor) throw new UnknownChannelError(key, this.monitors.size);
    // apply the update (an invalid one throws, and nothing changes)
    monitor.updateMonitor(update);
    // persist the updated monitor: Completed on success, UnrecoverableError on failure
    try {
      await this.persister.persistMonitor(fundingOutpointKey(fundingOutpoint.txid, fundingOutpoint.vout), monitor.toBytes());
    } catch (err) {
      this.lastPersistError = err;
      return ChannelMonitorUpdateStatus.UnrecoverableError;
    }
    return ChannelMonitorUpdateStatus.Completed;
  }
  // #endregion updateChannel

  /** Writes one monitor; maps any failure to `UnrecoverableError` and remembers why. */
  private async persist(monitor: ChannelMonitor): Promise<ChannelMonitorUpdateStatus> {
    try {
      const { txid, vout } = monitor.fundingOutpoint;
      await this.persister.persistMonitor(fundingOutpointKey(txid, vout), monitor.toBytes());
      return ChannelMonitorUpdateStatus.Completed;
    } catch (err) {
      this.lastPersistError = err;
      return ChannelMonitorUpdateStatus.UnrecoverableError;
    }
  }

  /**
   * A ChainMonitor with every persisted monitor loaded and registered. Rejects (never silently skips) if
   * any stored monitor is corrupt: a channel the node cannot watch must be noticed by a person.
   */
  static async load(persister: MonitorPersister, broadcaster: BroadcasterInterface, feeEstimator: FeeEstimator): Promise<ChainMonitor> {
    const chainMonitor = new ChainMonitor(persister, broadcaster, feeEstimator);
    for (const { bytes } of await persister.readAllMonitors()) {
      const monitor = ChannelMonitor.fromBytes(bytes);
      const key = outpointKey(monitor.fundingOutpoint);
      chainMonitor.monitors.set(key, monitor);
      chainMonitor.watchIndex.update(key, monitor.outputsToWatch);
    }
    return chainMonitor;
  }

  /**
   * Catches up with the chain: connects every block after the oldest monitor's best block up to the tip.
   * Resolves with the number of blocks connected.
   */
  async syncToTip(blockSource: BlockSource): Promise<number> {
    if (this.monitors.size === 0) return 0;
    const from = Math.min(...[...this.monitors.values()].map((m) => m.bestBlock.height)) + 1;
    const tip = (await blockSource.getBestBlock()).height;
    for (let height = from; height <= tip; height++) {
      const block = await blockSource.getBlock(await blockSource.getBlockHash(height));
      await this.transactionsConfirmed(block, block.transactions ?? [], height);
    }
    return Math.max(0, tip - from + 1);
  }
}
