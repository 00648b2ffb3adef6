/**
 * `MonitorPersister`: the tiny seam between a ChainMonitor and storage, after LDK's `Persist` trait. The
 * ChainMonitor hands over a serialized ChannelMonitor after every update and must not let the channel move
 * on until `persistMonitor` resolves; on startup it loads every monitor back with `readAllMonitors`.
 */
import { WorkshopError } from '../errors.js';
import { UnreadableMonitorsError, type MonitorReadFailure } from './errors.js';
import type { KVStore } from './kv-store.js';
import { decodeRecord } from './record.js';
import { FileStore } from './file-store.js';
import type { OutPoint } from '../ln/types.js';
import type { ChannelMonitorUpdate } from '../monitor/updates.js';
import type { Persist, PersistableMonitor, StoredChannel } from './persist.js';

/** The namespace monitors live in; LDK's `FilesystemStore` uses the same name. */
export const MONITORS_NAMESPACE = 'monitors';

/** A stored monitor: its key (the funding outpoint) and its record bytes, exactly as persisted. */
export interface PersistedMonitor {
  readonly key: string;
  readonly bytes: Uint8Array;
}

/** Durable storage for serialized ChannelMonitors. */
export interface MonitorPersister {
  /**
   * Durably store `bytes` (a record from `encodeRecord`/`encodeJsonRecord`) under `key`, replacing any
   * earlier version. Resolves only once durable; on rejection the update is not persisted and the channel
   * must not proceed.
   */
  persistMonitor(key: string, bytes: Uint8Array): Promise<void>;
  /** Every stored monitor, verified. Rejects if any one of them cannot be read or verified. */
  readAllMonitors(): Promise<PersistedMonitor[]>;
}

/** Largest output index: `vout` is a 32-bit unsigned integer in a transaction. */
const MAX_VOUT = 0xffff_ffff;
const TXID_HEX = /^[0-9a-f]{64}$/;

/**
 * The key a monitor is stored under: its funding outpoint as `<txid>_<vout>` (LDK's convention), with the
 * txid in the usual display (reversed) hex. Throws a `WorkshopError` (`INVALID_OUTPOINT`) for a malformed
 * txid or vout, since a key that silently differs from the writer's would make a monitor unfindable.
 */
export function fundingOutpointKey(txid: string, vout: number): string {
  if (!TXID_HEX.test(txid)) {
    throw new WorkshopError('INVALID_OUTPOINT',
      `fundingOutpointKey: txid expected 64 lowercase hex characters, got ${JSON.stringify(txid)}`,
      'pass the txid as displayed by the node (e.g. `getrawtransaction`), lowercased');
  }
  if (!Number.isInteger(vout) || vout < 0 || vout > MAX_VOUT) {
    throw new WorkshopError('INVALID_OUTPOINT', `fundingOutpointKey: vout expected an integer 0–${MAX_VOUT}, got ${vout}`,
      'pass the index of the funding output within the funding transaction');
  }
  return `${txid}_${vout}`;
}

/**
 * A `MonitorPersister` over any `KVStore`, in namespace `monitors`. Monitors are written as sensitive
 * (owner-only files): they hold the counterparty's revocation secrets and our own key derivation data.
 */
export class KVStoreMonitorPersister implements MonitorPersister {
  private readonly store: KVStore;

  constructor(store: KVStore) {
    this.store = store;
  }

  /**
   * See `MonitorPersister.persistMonitor`. Verifies that `bytes` is a well-formed record first and throws
   * `CorruptRecordError` if not: a serializer bug caught now is a bug report, caught at the next restart it
   * is a channel the node can no longer watch.
   */
  async persistMonitor(key: string, bytes: Uint8Array): Promise<void> {
    decodeRecord(bytes, `${this.locate(key)} (refused before writing)`);
    await this.store.write(MONITORS_NAMESPACE, key, bytes, { sensitive: true });
  }

  /**
   * See `MonitorPersister.readAllMonitors`: every key in `monitors`, sorted, each verified with
   * `decodeRecord`. If any entry fails (corrupt, truncated, unreadable, vanished), rejects with
   * `UnreadableMonitorsError` listing every failing file, never a silently shortened list.
   */
  async readAllMonitors(): Promise<PersistedMonitor[]> {
    const keys = await this.store.list(MONITORS_NAMESPACE);
    const readable: PersistedMonitor[] = [];
    const failures: MonitorReadFailure[] = [];
    for (const key of keys) {
      try {
        const bytes = await this.store.read(MONITORS_NAMESPACE, key);
        decodeRecord(bytes, this.locate(key));
        readable.push({ key, bytes });
      } catch (error) {
        failures.push({ key, error: error instanceof Error ? error : new Error(String(error)) });
      }
    }
    if (failures.length > 0) {
      throw new UnreadableMonitorsError('KVStoreMonitorPersister.readAllMonitors', keys.length, failures, readable);
    }
    return readable;
  }

  private locate(key: string): string {
    return this.store.describe?.(MONITORS_NAMESPACE, key) ?? `${MONITORS_NAMESPACE}/${key}`;
  }
}

/**
 * `Persist` over a `MonitorPersister`: the whole monitor is written after every change, updates are not
 * logged (so `readAllChannels` never has any to replay). The simplest persister a ChainMonitor can have.
 */
export class WholeMonitorPersist implements Persist {
  constructor(readonly inner: MonitorPersister) {}

  persistNewChannel(fundingOutpoint: OutPoint, monitor: PersistableMonitor): Promise<void> {
    return this.inner.persistMonitor(fundingOutpointKey(fundingOutpoint.txid, fundingOutpoint.vout), monitor.toBytes());
  }

  updatePersistedChannel(fundingOutpoint: OutPoint, _update: ChannelMonitorUpdate | null, monitor: PersistableMonitor): Promise<void> {
    return this.inner.persistMonitor(fundingOutpointKey(fundingOutpoint.txid, fundingOutpoint.vout), monitor.toBytes());
  }

  async readAllChannels(): Promise<StoredChannel[]> {
    return (await this.inner.readAllMonitors()).map(({ key, bytes }) => ({ key, monitorBytes: bytes, updates: [] }));
  }
}

/**
 * The `Persist` a node uses by default: monitors in a `FileStore` at `dir` (created if need be), written
 * whole after every change. Notebooks and live nodes call this rather than assembling the pieces.
 */
export async function fileStorePersister(dir: string): Promise<Persist> {
  return new WholeMonitorPersist(new KVStoreMonitorPersister(await FileStore.open(dir)));
}
