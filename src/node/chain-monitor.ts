/**
 * The `ChainMonitor`: the one coordinator between the chain and every channel's `ChannelMonitor`. It
 * hands each new block to the monitors (`Confirm`), and it is where the `ChannelManager` hands channels
 * and their updates (`Watch`): each is persisted before the channel may move on.
 *
 * The methods marked ⚡️ are exercises (holes here; see `./assemble.ts`). Everything else — what follows
 * a block, loading after a restart, catching up with the chain — is given.
 *
 * @see LDK `lightning::chain::chainmonitor::ChainMonitor`
 */
import type { Block, Transaction } from 'bitcoinjs-lib';
import type { BlockSource, BroadcasterInterface, Confirm, FeeEstimator, Filter, Watch } from '../chain/interfaces.js';
import { NotImplementedError } from '../errors.js';
import type { OutPoint } from '../ln/types.js';
import { MonitorMismatchError } from '../monitor/errors.js';
import { outpointKey } from '../monitor/outpoints.js';
import { ChannelMonitorUpdateStatus, type ChannelMonitorUpdate } from '../monitor/updates.js';
import { WatchedTxidIndex } from '../monitor/watch-index.js';
import type { Persist } from '../persist/persist.js';
import { ChannelMonitor, type ChannelMonitorClass } from './channel-monitor.js';

/** Optional parts of a ChainMonitor. */
export interface ChainMonitorOptions {
  /** Told about every output the monitors watch, for a chain source that filters by script. */
  readonly filter?: Filter;
}

/** The monitor handed over must be the one for this outpoint; throws `MonitorMismatchError` otherwise. */
export function assertSameChannel(key: string, monitor: ChannelMonitor): void {
  const monitorKey = outpointKey(monitor.fundingOutpoint);
  if (monitorKey !== key) throw new MonitorMismatchError(key, monitorKey);
}

export class ChainMonitor implements Watch<ChannelMonitor, ChannelMonitorUpdate>, Confirm {
  /** The monitor class `load` builds; an assembled subclass sets its own (see `./assemble.ts`). */
  static monitorClass: ChannelMonitorClass = ChannelMonitor;

  /** Every watched channel's monitor, keyed by its funding outpoint (`<txid>:<vout>`, see `outpointKey`). */
  readonly monitors = new Map<string, ChannelMonitor>();
  /** Where monitors are made durable: `persistNewChannel`, `updatePersistedChannel`. */
  readonly persister: Persist;
  readonly broadcaster: BroadcasterInterface;
  readonly feeEstimator: FeeEstimator;
  /** Which monitors watch which txids: how a block reaches only the monitors it concerns (notebook 06). */
  readonly watchIndex = new WatchedTxidIndex();
  /** The last persist failure, for the caller that got `UnrecoverableError` and wants to say why. */
  lastPersistError: unknown;
  readonly #filter: Filter | undefined;
  /** Monitors changed by a block whose persist failed; retried after the next block. */
  readonly #unpersisted = new Set<string>();
  /**
   * Monitors holding a timelocked claim, by key → the lowest height at which one may be broadcast: how a
   * block reaches the few idle monitors that have something to do without calling all the others.
   */
  readonly #claimsDue = new Map<string, number>();

  constructor(persister: Persist, broadcaster: BroadcasterInterface, feeEstimator: FeeEstimator, options: ChainMonitorOptions = {}) {
    this.persister = persister;
    this.broadcaster = broadcaster;
    this.feeEstimator = feeEstimator;
    this.#filter = options.filter;
  }

  /**
   * ⚡️ Exercise `transactionsConfirmed` (notebook 02), and its scaled version `scaleTransactionsConfirmed`
   * (notebook 06). Hands a newly connected block to every monitor (`monitor.blockConnected`, with this
   * ChainMonitor's broadcaster and fee estimator), then ends with the given `this.afterBlock(...)`.
   *
   * **Order**: once per block, in chain order. Calling twice for one block is harmless.
   */
  async transactionsConfirmed(header: Block, txdata: Transaction[], height: number): Promise<void> {
    throw new NotImplementedError('transactionsConfirmed', 'ChainMonitor.prototype.transactionsConfirmed');
  }

  /**
   * ⚡️ Exercise `watchChannel` (notebook 02). Starts watching a new channel: persists its monitor
   * (`this.persister.persistNewChannel`), then registers it (`this.monitors`, `this.watchIndex`, via
   * `this.register`). `Completed` only once durable; `UnrecoverableError` (and nothing registered) if
   * persisting failed; a second monitor for the same outpoint is refused with `ChannelAlreadyWatchedError`.
   */
  async watchChannel(fundingOutpoint: OutPoint, monitor: ChannelMonitor): Promise<ChannelMonitorUpdateStatus> {
    throw new NotImplementedError('watchChannel', 'ChainMonitor.prototype.watchChannel');
  }

  /**
   * ⚡️ Exercise `updateChannel` (notebook 03). Applies `update` to the channel's monitor
   * (`monitor.updateMonitor`), then persists it (`this.persister.updatePersistedChannel`). `Completed` only
   * once durable; an unknown outpoint throws `UnknownChannelError`; an update the monitor refuses throws
   * and nothing is persisted.
   */
  async updateChannel(fundingOutpoint: OutPoint, update: ChannelMonitorUpdate): Promise<ChannelMonitorUpdateStatus> {
    throw new NotImplementedError('updateChannel', 'ChainMonitor.prototype.updateChannel');
  }

  /**
   * Registers `monitor` under `key`: in `monitors`, in the watch index, and with the chain filter. Only
   * for a monitor that is already durable (`watchChannel` calls it after persisting).
   */
  register(key: string, monitor: ChannelMonitor): void {
    this.monitors.set(key, monitor);
    this.#index(key, monitor);
    this.#noteClaimsDue(key, monitor);
  }

  /**
   * What follows every block, however it was handed out: re-index the monitors whose watch list grew, hand
   * them again this block's transactions that spend their new outputs (a commitment and its HTLC spend can
   * confirm together; `blockConnected` is idempotent, so nothing counts twice); give every monitor the new
   * tip as its best block (a field write, so idle channels cost next to nothing); broadcast the timelocked
   * claims that mature at this height, also of monitors the block did not concern; and persist every
   * monitor the block changed. A monitor whose only change is its best block is not rewritten: after a
   * restart it re-scans from an older block, which is safe for the same reason.
   */
  async afterBlock(header: Block, txdata: Transaction[], height: number): Promise<void> {
    // Only a monitor that was handed transactions can have started watching more outputs.
    const changed = new Set(this.watchIndex.relevantTransactions(txdata).keys());
    let grown = this.#reindexGrown(changed);
    for (let round = 0; grown.length > 0 && round < txdata.length; round++) {
      for (const key of grown) changed.add(key);
      const relevant = this.watchIndex.relevantTransactions(txdata);
      for (const key of grown) {
        const txs = relevant.get(key);
        if (txs) await this.monitors.get(key)!.blockConnected(header, txs, height, this.broadcaster, this.feeEstimator);
      }
      grown = this.#reindexGrown(grown);
    }
    this.#advanceTip(header, height);
    for (const [key, due] of [...this.#claimsDue]) {
      const monitor = this.monitors.get(key);
      if (!monitor || due > height) continue;
      await monitor.broadcastMaturedClaims(height, this.broadcaster, this.feeEstimator);
      changed.add(key);
    }
    for (const key of changed) {
      const monitor = this.monitors.get(key);
      if (monitor) this.#noteClaimsDue(key, monitor);
      this.#unpersisted.add(key);
    }
    for (const key of [...this.#unpersisted]) {
      const monitor = this.monitors.get(key);
      if (!monitor || (await this.persistChanged(monitor)) === ChannelMonitorUpdateStatus.Completed) this.#unpersisted.delete(key);
    }
  }

  /** Writes a monitor a block changed (no update object); maps a failure to `UnrecoverableError` and remembers why. */
  async persistChanged(monitor: ChannelMonitor): Promise<ChannelMonitorUpdateStatus> {
    try {
      await this.persister.updatePersistedChannel(monitor.fundingOutpoint, null, monitor);
      return ChannelMonitorUpdateStatus.Completed;
    } catch (err) {
      this.lastPersistError = err;
      return ChannelMonitorUpdateStatus.UnrecoverableError;
    }
  }

  /**
   * A ChainMonitor with every stored channel loaded, its logged updates replayed in order, and registered.
   * Rejects (never silently skips) if a stored monitor is corrupt or an update does not apply: a channel
   * the node cannot watch must be noticed by a person.
   */
  static async load<C extends ChainMonitor>(
    this: { new (...args: ConstructorParameters<typeof ChainMonitor>): C; monitorClass: ChannelMonitorClass },
    persister: Persist,
    broadcaster: BroadcasterInterface,
    feeEstimator: FeeEstimator,
    options: ChainMonitorOptions = {},
  ): Promise<C> {
    const chainMonitor = new this(persister, broadcaster, feeEstimator, options);
    for (const stored of await persister.readAllChannels()) {
      const monitor = this.monitorClass.fromBytes(stored.monitorBytes, stored.key);
      for (const update of stored.updates) monitor.updateMonitor(update);
      chainMonitor.register(outpointKey(monitor.fundingOutpoint), monitor);
    }
    return chainMonitor;
  }

  /**
   * Catches up with the chain: connects every block after the oldest monitor's best block, up to the
   * tip. Resolves with the number of blocks connected.
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

  /** Puts `monitor` in the watch index under what it watches now, and tells the chain filter. */
  #index(key: string, monitor: ChannelMonitor): void {
    this.watchIndex.update(key, monitor.outputsToWatch);
    if (!this.#filter) return;
    for (const [txid, outputs] of monitor.outputsToWatch) {
      for (const [vout, scriptPubKey] of outputs) this.#filter.registerOutput({ outpoint: { txid, vout }, scriptPubKey });
    }
  }

  /** Sets every monitor behind `height` to this block: what a monitor handed no transactions still learns. */
  #advanceTip(header: Block, height: number): void {
    let tip: ChannelMonitor['bestBlock'] | undefined;
    for (const monitor of this.monitors.values()) {
      if (monitor.bestBlock.height >= height) continue;
      tip ??= Object.freeze({ hash: header.getId(), height });
      monitor.bestBlock = tip;
    }
  }

  /** Records when `monitor`'s next timelocked claim matures, or forgets it when it has none. */
  #noteClaimsDue(key: string, monitor: ChannelMonitor): void {
    if (monitor.pendingClaims.length === 0) {
      this.#claimsDue.delete(key);
      return;
    }
    this.#claimsDue.set(key, Math.min(...monitor.pendingClaims.map((claim) => claim.broadcastAtHeight)));
  }

  /** Re-indexes those of `candidates` whose `outputsToWatch` changed since last indexed; returns their keys. */
  #reindexGrown(candidates: Iterable<string>): string[] {
    const grown: string[] = [];
    for (const key of candidates) {
      const monitor = this.monitors.get(key);
      if (!monitor || this.watchIndex.isCurrent(key, monitor.outputsToWatch)) continue;
      this.#index(key, monitor);
      grown.push(key);
    }
    return grown;
  }
}

/** The constructor of `ChainMonitor` or of a subclass with exercises filled in. */
export type ChainMonitorClass = typeof ChainMonitor;
