/**
 * `KVStorePersister`: the simple `Persist`, writing the whole monitor through a `KVStore` on every change,
 * as LDK's default persistence through its `FilesystemStore` does. One file per channel
 * (`monitors/<txid>_<vout>`), never a log: every call costs a full atomic write of the monitor, which is
 * what `MonitorUpdatingPersister` exists to avoid.
 *
 * @see LDK `lightning::util::persist` (`impl Persist for KVStore`)
 */
import type { OutPoint } from '../ln/types.js';
import type { ChannelMonitorUpdate } from '../monitor/updates.js';
import type { KVStore } from './kv-store.js';
import { KVStoreMonitorPersister, fundingOutpointKey } from './monitor-persister.js';
import type { Persist, PersistableMonitor, StoredChannel } from './persist.js';

/**
 * A `Persist` over any `KVStore`, in namespace `monitors`, key `fundingOutpointKey(txid, vout)`, every
 * value written as sensitive (owner-only): monitors hold revocation secrets. It shares its format and
 * checks with `KVStoreMonitorPersister` (the bytes are verified as a record before they are written and
 * when read back), so the two read each other's files.
 */
export class KVStorePersister implements Persist {
  private readonly monitors: KVStoreMonitorPersister;

  constructor(store: KVStore) {
    this.monitors = new KVStoreMonitorPersister(store);
  }

  /** See `Persist.persistNewChannel`: writes the whole monitor. */
  async persistNewChannel(fundingOutpoint: OutPoint, monitor: PersistableMonitor): Promise<void> {
    const key = fundingOutpointKey(fundingOutpoint?.txid, fundingOutpoint?.vout);
    await this.monitors.persistMonitor(key, monitor.toBytes());
  }

  /** See `Persist.updatePersistedChannel`: writes the whole monitor, whatever `update` is. */
  async updatePersistedChannel(fundingOutpoint: OutPoint, _update: ChannelMonitorUpdate | null, monitor: PersistableMonitor): Promise<void> {
    const key = fundingOutpointKey(fundingOutpoint?.txid, fundingOutpoint?.vout);
    await this.monitors.persistMonitor(key, monitor.toBytes());
  }

  /** See `Persist.readAllChannels`: every monitor, verified, sorted by key, each with no updates to replay. */
  async readAllChannels(): Promise<StoredChannel[]> {
    const monitors = await this.monitors.readAllMonitors();
    return monitors.map(({ key, bytes }) => Object.freeze({ key, monitorBytes: bytes, updates: Object.freeze([]) }));
  }
}
