/**
 * `Persist`: how a ChainMonitor makes a channel's monitor durable, after LDK's `chain::chainmonitor::Persist`
 * trait. The ChainMonitor calls it for every new channel and after every change to a monitor, and lets the
 * channel move on only once the returned promise resolves: resolving means *durable* (it would survive a
 * crash or a power cut). A rejection means nothing new is durable, and the channel must stop.
 *
 * Two implementations:
 * - `KVStorePersister` writes the whole monitor through a `KVStore` each time (LDK's `FilesystemStore`
 *   pattern): simple, one file per channel;
 * - `MonitorUpdatingPersister` appends each `ChannelMonitorUpdate` to a per-channel log and writes the whole
 *   monitor only every N updates (LDK's `MonitorUpdatingPersister`), which is what lets a node persist at
 *   close to the disk's fsync rate.
 *
 * @see LDK `lightning::chain::chainmonitor::Persist`, `lightning::util::persist::MonitorUpdatingPersister`
 */
import type { OutPoint } from '../ln/types.js';
import type { ChannelMonitorUpdate } from '../monitor/updates.js';

/** What a persister needs of a monitor: its bytes (`ChannelMonitor.toBytes()`). */
export interface PersistableMonitor {
  toBytes(): Uint8Array;
}

/** One channel as stored: its last full monitor, and the updates logged after it, oldest first. */
export interface StoredChannel {
  /** The storage key, `<txid>_<vout>` of the funding outpoint (`fundingOutpointKey`). */
  readonly key: string;
  /** A record written by `monitor.toBytes()`. */
  readonly monitorBytes: Uint8Array;
  /** Updates durably recorded after `monitorBytes` was written; replay them in order with `updateMonitor`. */
  readonly updates: readonly ChannelMonitorUpdate[];
}

/** Durable storage for channel monitors, as a ChainMonitor uses it. */
export interface Persist {
  /**
   * Durably stores the monitor of a channel the node starts watching. Resolves once durable; rejects (and
   * stores nothing new) otherwise.
   */
  persistNewChannel(fundingOutpoint: OutPoint, monitor: PersistableMonitor): Promise<void>;
  /**
   * Durably records that `monitor` changed. `update` is the `ChannelMonitorUpdate` just applied to it, or
   * `null` when the change came from a block (the monitor reacted on chain), in which case the whole monitor
   * is written. Resolves once durable; rejects otherwise, and then the channel must not move on.
   *
   * **Order**: call after `monitor.updateMonitor(update)` succeeded, once per update, in the order applied.
   */
  updatePersistedChannel(fundingOutpoint: OutPoint, update: ChannelMonitorUpdate | null, monitor: PersistableMonitor): Promise<void>;
  /**
   * Every stored channel, verified. Rejects (never a silently shorter list) if any one of them cannot be
   * read: a channel the node cannot watch must be noticed by a person.
   */
  readAllChannels(): Promise<StoredChannel[]>;
}
