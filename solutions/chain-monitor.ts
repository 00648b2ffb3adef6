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

export class ChainMonitor {
  /** Every watched channel's monitor, keyed by its funding outpoint (`<txid>:<vout>`). */
  readonly monitors = new Map<string, ChannelMonitor>();
  readonly persister: MonitorPersister;
  readonly broadcaster: BroadcasterInterface;
  readonly feeEstimator: FeeEstimator;
  /** The last persist failure, for the caller that got `UnrecoverableError` and wants to say why. */
  lastPersistError: unknown;
  private readonly index = new WatchedTxidIndex();
  /** Monitors changed by a block whose persist failed; retried on the next block. */
  private readonly unpersisted = new Set<string>();

  constructor(persister: MonitorPersister, broadcaster: BroadcasterInterface, feeEstimator: FeeEstimator) {
    this.persister = persister;
    this.broadcaster = broadcaster;
    this.feeEstimator = feeEstimator;
  }

  // #region transactionsConfirmed
  /**
   * Hands a newly connected block to every monitor. Each monitor gets only the transactions that spend
   * something it watches (see `WatchedTxidIndex`), so a block costs O(monitors + inputs), not their product.
   *
   * **Order**: call once per block, in chain order. Calling twice for one block is harmless.
   */
  async transactionsConfirmed(header: Block, txdata: Transaction[], height: number): Promise<void> {
    let relevant = this.index.relevantTransactions(txdata);
    const bestBlock = Object.freeze({ hash: header.getId(), height });
    const changed = new Set<string>();
    for (const [key, monitor] of this.monitors) {
      if (!relevant.has(key) && !monitor.hasMaturedClaims(height)) {
        // Nothing in this block concerns this channel: only its best block moves. (Skipping the call
        // keeps a block with 10,000 channels cheap.)
        monitor.bestBlock = bestBlock;
        continue;
      }
      const watchedBefore = monitor.watchedOutputCount();
      await monitor.blockConnected(header, relevant.get(key) ?? [], height, this.broadcaster, this.feeEstimator);
      if (monitor.watchedOutputCount() !== watchedBefore || relevant.has(key)) changed.add(key);
    }
    // A transaction in this block may spend an output that became watched while processing it (a
    // commitment and its HTLC spend mined together). Re-run those monitors until nothing new turns up;
    // blockConnected is idempotent, so a repeated transaction is not counted twice.
    for (let round = 0; round < txdata.length && changed.size > 0; round++) {
      for (const key of changed) this.index.update(key, this.monitors.get(key)!.outputsToWatch);
      relevant = this.index.relevantTransactions(txdata);
      let grew = false;
      for (const key of changed) {
        const monitor = this.monitors.get(key)!;
        const before = monitor.watchedOutputCount();
        await monitor.blockConnected(header, relevant.get(key) ?? [], height, this.broadcaster, this.feeEstimator);
        if (monitor.watchedOutputCount() !== before) grew = true;
      }
      if (!grew) break;
    }
    // Persist what changed. A monitor whose only change is its best block is not rewritten every block:
    // after a restart it re-scans from an older block, which is safe because blockConnected is idempotent.
    for (const key of changed) this.unpersisted.add(key);
    for (const key of [...this.unpersisted]) {
      const status = await this.persist(this.monitors.get(key)!);
      if (status === ChannelMonitorUpdateStatus.Completed) this.unpersisted.delete(key);
    }
  }
  // #endregion transactionsConfirmed

  // #region watchChannel
  /**
   * Starts watching a new channel: persists its monitor, then registers it. `Completed` only once the
   * monitor is durably on disk; if persisting fails the monitor is not registered and the answer is
   * `UnrecoverableError` (the channel must not open). A second monitor for the same outpoint is refused.
   */
  async watchChannel(fundingOutpoint: OutPoint, monitor: ChannelMonitor): Promise<ChannelMonitorUpdateStatus> {
    const key = outpointKey(fundingOutpoint);
    if (this.monitors.has(key)) throw new ChannelAlreadyWatchedError(key);
    const monitorKey = outpointKey(monitor.fundingOutpoint);
    if (monitorKey !== key) throw new MonitorMismatchError(key, monitorKey);

    const status = await this.persist(monitor);
    if (status !== ChannelMonitorUpdateStatus.Completed) return status;
    this.monitors.set(key, monitor);
    this.index.update(key, monitor.outputsToWatch);
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
    const key = outpointKey(fundingOutpoint);
    const monitor = this.monitors.get(key);
    if (!monitor) throw new UnknownChannelError(key, this.monitors.size);
    monitor.updateMonitor(update);
    return this.persist(monitor);
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
      chainMonitor.index.update(key, monitor.outputsToWatch);
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
