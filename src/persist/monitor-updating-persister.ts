/**
 * `MonitorUpdatingPersister`: a `Persist` that makes each `ChannelMonitorUpdate` durable with one append
 * and one fdatasync to a per-channel log, and writes the whole monitor only every N updates (and whenever
 * a block changed the monitor), after LDK's `MonitorUpdatingPersister`. Where LDK writes one `KVStore`
 * file per update (create, fsync, rename, fsync the directory), this keeps the log open and appends to it,
 * which brings an update's cost down to the disk's price for one durable write.
 *
 * On disk, under `root`:
 * - `monitors/<txid>_<vout>`: the channel's snapshot (`monitor-snapshot.ts`): the whole monitor and the id
 *   of the last update it includes, replaced atomically (`atomicWriteFile`);
 * - `monitor_updates/<txid>_<vout>`: its update log (`update-log.ts`): the updates after that snapshot.
 *
 * Compaction is two steps, each crash-safe on its own: write the new snapshot (atomic), then empty the log.
 * A crash between them leaves log entries the snapshot already includes; a reload skips every entry whose
 * id is not above the snapshot's, so nothing is lost and nothing is applied twice.
 *
 * Both directories are owner-only, both files too: monitors and updates hold revocation secrets.
 * Like `FileStore`, it must be the only writer of its directory.
 *
 * @see LDK `lightning::util::persist::MonitorUpdatingPersister`
 */
import { pinMode } from '../util/permissions.js';
import { dirname, join, resolve } from 'node:path';
import { WorkshopError } from '../errors.js';
import type { OutPoint } from '../ln/types.js';
import type { ChannelMonitorUpdate } from '../monitor/updates.js';
import { atomicWriteFile, removeAtomicWriteLeftovers } from '../util/atomic-write.js';
import { NotFoundError, PersistError, UnreadableMonitorsError, UpdateLogStoppedError, errnoCode, type MonitorReadFailure } from './errors.js';
import { SENSITIVE_DIR_MODE, SENSITIVE_FILE_MODE } from './file-store.js';
import { fsyncDirectory, makeDirectories, nodeFileSystem, type FileSystem } from './fs-seam.js';
import { MONITORS_NAMESPACE, fundingOutpointKey } from './monitor-persister.js';
import { encodeMonitorSnapshot } from './monitor-snapshot.js';
import { isValidName } from './names.js';
import { decodeRecord } from './record.js';
import type { Persist, PersistableMonitor, StoredChannel } from './persist.js';
import { encodeMonitorUpdate, decodeMonitorUpdate } from './update-codec.js';
import { readChannelFiles, type ChannelFiles } from './read-channel.js';
import { UpdateLogFile } from './update-log-file.js';
import { encodeLogEntry } from './update-log.js';

/** Where update logs live; the name LDK's `MonitorUpdatingPersister` gives its update namespace. */
export const MONITOR_UPDATES_NAMESPACE = 'monitor_updates';

/**
 * Default updates between two snapshots. A snapshot costs about as much as five appends here (two fsyncs,
 * a rename, a directory fsync, and the whole monitor instead of one update), so at 100 it adds ~5% to the
 * average update, while a reload replays at most 99 logged updates (a few hundred KB, milliseconds). LDK
 * leaves the choice to the caller; its own tests use values from 5 to 100.
 */
export const DEFAULT_SNAPSHOT_EVERY_UPDATES = 100;

/** How to open a `MonitorUpdatingPersister`. */
export interface MonitorUpdatingPersisterOptions {
  /**
   * Write the whole monitor on every N-th update (and empty the log), default `DEFAULT_SNAPSHOT_EVERY_UPDATES`.
   * 1 writes the whole monitor every time, as `KVStorePersister` does.
   */
  readonly snapshotEveryUpdates?: number;
  /** Test seam for fault injection only; defaults to `node:fs/promises`. */
  readonly fs?: FileSystem;
}

/** One channel's state in this process. */
interface Channel {
  readonly key: string;
  readonly snapshotPath: string;
  readonly log: UpdateLogFile;
  /** Tail of the queue of this channel's disk operations: one at a time, in call order. */
  tail: Promise<unknown>;
  // Decided synchronously at call time, so a snapshot captures exactly the updates made before it:
  /** The counters below describe the channel (it was loaded, or created, in this process). */
  known: boolean;
  /** Updates logged (or queued to be) since the last snapshot. */
  updatesSinceSnapshot: number;
  /** The next call must write the whole monitor: after a failure, or over a bare (KVStorePersister) monitor. */
  snapshotNext: boolean;
  // Maintained by the queued operations:
  /** `lastUpdateId` and the log's length were read from disk (or are those of a channel created here). */
  loaded: boolean;
  /** The id of the newest durable update (in the snapshot or the log). */
  lastUpdateId: number;
  /** The write that failed, until a snapshot succeeds: no update may be logged on its own meanwhile. */
  failure: Error | undefined;
}

/** A `Persist` that logs updates and snapshots monitors. Obtain one with `MonitorUpdatingPersister.open`. */
export class MonitorUpdatingPersister implements Persist {
  /** Absolute path of the directory holding `monitors/` and `monitor_updates/`. */
  readonly root: string;
  private readonly fs: FileSystem;
  private readonly snapshotEveryUpdates: number;
  private readonly channels = new Map<string, Channel>();
  private closed = false;

  private constructor(root: string, fs: FileSystem, snapshotEveryUpdates: number) {
    this.root = root;
    this.fs = fs;
    this.snapshotEveryUpdates = snapshotEveryUpdates;
  }

  /**
   * Open (creating if needed) the persister's directories under `root`, and delete temporary snapshot
   * files a crashed writer left. Rejects with `PersistError` if that fails, and with a `WorkshopError`
   * (`INVALID_OPTION`) for a `snapshotEveryUpdates` that is not a positive integer.
   */
  static async open(root: string, options: MonitorUpdatingPersisterOptions = {}): Promise<MonitorUpdatingPersister> {
    const context = 'MonitorUpdatingPersister.open';
    const every = options.snapshotEveryUpdates ?? DEFAULT_SNAPSHOT_EVERY_UPDATES;
    if (!Number.isSafeInteger(every) || every < 1) {
      throw new WorkshopError('INVALID_OPTION', `${context}: snapshotEveryUpdates expected a positive integer, got ${every}`,
        `pass e.g. ${DEFAULT_SNAPSHOT_EVERY_UPDATES} (or omit it); 1 writes the whole monitor on every update`);
    }
    const fs = options.fs ?? nodeFileSystem;
    const absoluteRoot = resolve(root);
    let current = absoluteRoot;
    try {
      for (const dir of await makeDirectories(fs, absoluteRoot, SENSITIVE_DIR_MODE)) await fsyncDirectory(fs, dirname(dir));
      for (const namespace of [MONITORS_NAMESPACE, MONITOR_UPDATES_NAMESPACE]) {
        current = join(absoluteRoot, namespace);
        let created = false;
        try {
          await fs.mkdir(current, { mode: SENSITIVE_DIR_MODE });
          created = true;
        } catch (error) {
          if (errnoCode(error) !== 'EEXIST') throw error;
        }
        // pin owner-only even if it existed or the umask is loose
        await pinMode(() => fs.chmod(current, SENSITIVE_DIR_MODE), () => fs.stat(current), SENSITIVE_DIR_MODE, current);
        if (created) await fsyncDirectory(fs, absoluteRoot);
      }
    } catch (error) {
      throw new PersistError(context, current, 'create the store directory', error, 'no persister was opened');
    }
    await removeAtomicWriteLeftovers(fs, join(absoluteRoot, MONITORS_NAMESPACE), context);
    return new MonitorUpdatingPersister(absoluteRoot, fs, every);
  }

  /** See `Persist.persistNewChannel`: writes a snapshot including no update, and empties any old log. */
  async persistNewChannel(fundingOutpoint: OutPoint, monitor: PersistableMonitor): Promise<void> {
    const channel = this.channel('persistNewChannel', fundingOutpoint);
    const monitorBytes = this.monitorBytesOf(channel, monitor); // now, before any later change to the monitor
    channel.known = true;
    channel.updatesSinceSnapshot = 0;
    channel.snapshotNext = false;
    return this.enqueue(channel, () => this.writeSnapshot(channel, monitorBytes, false, `MonitorUpdatingPersister.persistNewChannel(${channel.key})`));
  }

  /**
   * See `Persist.updatePersistedChannel`. With an update: one log append and one fdatasync, or on every
   * `snapshotEveryUpdates`-th update a snapshot instead. With `null` (a block changed the monitor): a
   * snapshot. Also a snapshot for the first call on a channel this process has not read or created, and
   * for the first call after a failure, since then the log alone cannot be trusted to be complete.
   * Rejects with `PersistError` (disk), `CorruptRecordError` (a damaged log found on first use),
   * `UpdateLogStoppedError` (an earlier update of the channel failed) or a `WorkshopError`
   * (`INVALID_MONITOR_UPDATE`, `INVALID_OUTPOINT`) for bad input.
   */
  async updatePersistedChannel(fundingOutpoint: OutPoint, update: ChannelMonitorUpdate | null, monitor: PersistableMonitor): Promise<void> {
    const channel = this.channel('updatePersistedChannel', fundingOutpoint);
    const context = `MonitorUpdatingPersister.updatePersistedChannel(${channel.key})`;
    const updateBytes = update === null ? undefined : encodeMonitorUpdate(update); // validates, before any state changes
    const logIt = updateBytes !== undefined && channel.known && !channel.snapshotNext &&
      channel.updatesSinceSnapshot + 1 < this.snapshotEveryUpdates;
    if (logIt) {
      channel.updatesSinceSnapshot += 1;
      return this.enqueue(channel, () => this.appendUpdate(channel, updateBytes, context));
    }
    const monitorBytes = this.monitorBytesOf(channel, monitor); // now: exactly the updates made before this call
    channel.known = true;
    channel.updatesSinceSnapshot = 0;
    channel.snapshotNext = false;
    return this.enqueue(channel, () => this.writeSnapshot(channel, monitorBytes, update !== null, context));
  }

  /**
   * See `Persist.readAllChannels`: every channel with a snapshot (or a log), sorted by key, with the
   * logged updates after its snapshot decoded, in order. A torn last log entry is left out (it was never
   * acknowledged); any other damage, or a log without a snapshot, makes it reject with
   * `UnreadableMonitorsError` listing every failing channel and file.
   */
  async readAllChannels(): Promise<StoredChannel[]> {
    const context = 'MonitorUpdatingPersister.readAllChannels';
    this.assertOpen(context);
    const keys = [...new Set([...(await this.listKeys(MONITORS_NAMESPACE)), ...(await this.listKeys(MONITOR_UPDATES_NAMESPACE))])].sort();
    const settled = await Promise.allSettled(keys.map((key) => {
      const channel = this.channelByKey(key);
      return this.enqueue(channel, async () => this.toStored(channel, await this.load(channel)));
    }));
    const readable: StoredChannel[] = [];
    const failures: MonitorReadFailure[] = [];
    settled.forEach((outcome, i) => {
      if (outcome.status === 'fulfilled') readable.push(outcome.value);
      else failures.push({ key: keys[i]!, error: outcome.reason instanceof Error ? outcome.reason : new Error(String(outcome.reason)) });
    });
    if (failures.length > 0) {
      throw new UnreadableMonitorsError(context, keys.length, failures, readable.map((c) => ({ key: c.key, bytes: c.monitorBytes })));
    }
    return readable;
  }

  /** Wait for every queued write to settle, then close the log files. Later calls reject. */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.channels.values()].map(async (channel) => {
      await channel.tail;
      await channel.log.close();
    }));
  }

  private async writeSnapshot(channel: Channel, monitorBytes: Uint8Array, includesNewUpdate: boolean, context: string): Promise<void> {
    let updateId = 0;
    try {
      await this.ensureLoaded(channel);
      // Above every id in the log, so that the entries it includes are skipped on reload even if the log
      // cannot be emptied below.
      updateId = channel.lastUpdateId + (includesNewUpdate ? 1 : 0);
      const record = encodeMonitorSnapshot(updateId, monitorBytes, channel.snapshotPath);
      await atomicWriteFile(channel.snapshotPath, record, { mode: SENSITIVE_FILE_MODE, context, fs: this.fs });
    } catch (error) {
      this.markFailed(channel, updateId, error);
      throw error;
    }
    channel.lastUpdateId = updateId;
    channel.failure = undefined;
    try {
      await channel.log.reset(context);
    } catch {
      // The update is durable in the snapshot, so this call succeeded. The entries left in the log are all
      // included in it and skipped on reload; the log remembers to cut them before its next append.
    }
  }

  private async appendUpdate(channel: Channel, updateBytes: Uint8Array, context: string): Promise<void> {
    try {
      await this.ensureLoaded(channel);
    } catch (error) {
      this.markFailed(channel, 0, error); // this update is lost: the next one must not be logged alone either
      throw error;
    }
    if (channel.failure !== undefined) throw new UpdateLogStoppedError(context, channel.key, channel.failure);
    const updateId = channel.lastUpdateId + 1;
    try {
      await channel.log.append(encodeLogEntry(updateId, updateBytes), context);
    } catch (error) {
      this.markFailed(channel, updateId, error);
      throw error;
    }
    channel.lastUpdateId = updateId;
  }

  /**
   * `monitor.toBytes()`, verified to be a record before any state changes: a serializer bug is then a
   * refused call (`CorruptRecordError`, "refused before writing"), not a failed channel.
   */
  private monitorBytesOf(channel: Channel, monitor: PersistableMonitor): Uint8Array {
    const bytes = monitor.toBytes();
    decodeRecord(bytes, `${channel.snapshotPath} (refused before writing)`);
    return bytes;
  }

  /**
   * After a failed write of `updateId`: stop logging until a snapshot repairs the channel, and count the id
   * as used. The failed write may still be on disk (an entry whose fdatasync failed and could not be cut
   * back); the repairing snapshot must have an id at least as high, so a reload skips that entry rather
   * than apply it on top of a monitor that already includes it.
   */
  private markFailed(channel: Channel, updateId: number, error: unknown): void {
    channel.failure = error instanceof Error ? error : new Error(String(error));
    channel.snapshotNext = true;
    channel.lastUpdateId = Math.max(channel.lastUpdateId, updateId);
  }

  /** Read the channel's files into its state, once. */
  private async ensureLoaded(channel: Channel): Promise<void> {
    if (!channel.loaded) await this.load(channel);
  }

  /** Read and verify the channel's snapshot and log; adopt them as its state unless it is already loaded. */
  private async load(channel: Channel): Promise<ChannelFiles> {
    const files = await readChannelFiles(this.fs, channel.key, channel.snapshotPath, channel.log.path);
    if (!channel.loaded) {
      channel.lastUpdateId = files.lastUpdateId;
      channel.log.adopt(files.keepLogBytes, files.cutBeforeAppend);
      channel.loaded = true;
      if (!channel.known) {
        channel.known = true;
        channel.updatesSinceSnapshot = files.fresh.length;
        channel.snapshotNext = files.snapshot?.bare === true;
      }
    }
    return files;
  }

  private toStored(channel: Channel, files: ChannelFiles): StoredChannel {
    const { snapshot } = files;
    // Listed a moment ago, gone now: someone else is deleting monitors, which is data loss to report.
    if (snapshot === undefined) throw new NotFoundError('MonitorUpdatingPersister.readAllChannels', MONITORS_NAMESPACE, channel.key, channel.snapshotPath);
    const updates = files.fresh.map((entry) =>
      decodeMonitorUpdate(entry.payload, `${channel.log.path} (update ${entry.updateId} at byte ${entry.offset})`));
    return Object.freeze({ key: channel.key, monitorBytes: snapshot.monitorBytes, updates: Object.freeze(updates) });
  }

  private channel(method: string, fundingOutpoint: OutPoint): Channel {
    this.assertOpen(`MonitorUpdatingPersister.${method}`);
    return this.channelByKey(fundingOutpointKey(fundingOutpoint?.txid, fundingOutpoint?.vout));
  }

  private channelByKey(key: string): Channel {
    let channel = this.channels.get(key);
    if (channel === undefined) {
      channel = {
        key,
        snapshotPath: join(this.root, MONITORS_NAMESPACE, key),
        log: new UpdateLogFile(join(this.root, MONITOR_UPDATES_NAMESPACE, key), this.fs),
        tail: Promise.resolve(),
        known: false,
        updatesSinceSnapshot: 0,
        snapshotNext: false,
        loaded: false,
        lastUpdateId: 0,
        failure: undefined,
      };
      this.channels.set(key, channel);
    }
    return channel;
  }

  /** Run `operation` after every earlier operation on the channel has settled; its outcome is the caller's. */
  private enqueue<T>(channel: Channel, operation: () => Promise<T>): Promise<T> {
    const result = channel.tail.then(operation);
    channel.tail = result.catch(() => undefined);
    return result;
  }

  private async listKeys(namespace: string): Promise<string[]> {
    const dir = join(this.root, namespace);
    try {
      const entries = await this.fs.readdir(dir, { withFileTypes: true });
      return entries.filter((entry) => entry.isFile() && isValidName(entry.name)).map((entry) => entry.name);
    } catch (error) {
      throw new PersistError('MonitorUpdatingPersister.readAllChannels', dir, 'list the directory', error, 'nothing was read');
    }
  }

  private assertOpen(context: string): void {
    if (this.closed) {
      throw new WorkshopError('PERSISTER_CLOSED', `${context}: expected an open persister, got one that was closed`,
        'open a new one with MonitorUpdatingPersister.open(root)');
    }
  }
}
