/**
 * Reading one channel's files for `MonitorUpdatingPersister`: its snapshot and its update log, checked
 * against each other. Everything a reload must decide is decided here, in one place: which log entries to
 * replay, which are stale, what is a torn tail, and where the next append must go.
 */
import { CorruptRecordError, PersistError, errnoCode } from './errors.js';
import type { FileSystem } from './fs-seam.js';
import { decodeMonitorSnapshot, type MonitorSnapshot } from './monitor-snapshot.js';
import { planReplay, scanUpdateLog, type LogEntry } from './update-log.js';

/** What a channel's files hold. */
export interface ChannelFiles {
  /** The snapshot, or `undefined` for a channel with no files at all. */
  readonly snapshot: MonitorSnapshot | undefined;
  /** Log entries after the snapshot, to replay in this order. */
  readonly fresh: readonly LogEntry[];
  /** Entries the snapshot already includes (a compaction was interrupted before it emptied the log). */
  readonly staleCount: number;
  /** Bytes of an unfinished last entry, discarded. */
  readonly tornTailBytes: number;
  /** The newest update id on disk: the snapshot's, or the last fresh entry's. */
  readonly lastUpdateId: number;
  /** Bytes of the log to keep: up to the last fresh entry (0 when none is fresh). */
  readonly keepLogBytes: number;
  /** The log holds bytes beyond `keepLogBytes` that the next append must cut first. */
  readonly cutBeforeAppend: boolean;
}

/**
 * Read and verify `key`'s snapshot and log. Rejects with `PersistError` if a file cannot be read and with
 * `CorruptRecordError` naming the file for damage: a bad snapshot, a log damaged before its tail, a missing
 * update, a log with no snapshot, or a log next to a bare monitor written by another persister.
 */
export async function readChannelFiles(fs: FileSystem, key: string, snapshotPath: string, logPath: string): Promise<ChannelFiles> {
  const context = `MonitorUpdatingPersister: channel ${key}`;
  const snapshotBytes = await readIfPresent(fs, snapshotPath, context);
  const logBytes = (await readIfPresent(fs, logPath, context)) ?? new Uint8Array();
  if (snapshotBytes === undefined) {
    if (logBytes.length > 0) {
      throw new CorruptRecordError(logPath, 'orphan-update-log',
        `expected the snapshot ${snapshotPath} these updates apply to, got no such file (deleted or never restored)`);
    }
    return { snapshot: undefined, fresh: [], staleCount: 0, tornTailBytes: 0, lastUpdateId: 0, keepLogBytes: 0, cutBeforeAppend: false };
  }
  const snapshot = decodeMonitorSnapshot(snapshotBytes, snapshotPath);
  const log = scanUpdateLog(logBytes, logPath);
  if (snapshot.bare && log.entries.length > 0) {
    // A bare monitor is how KVStorePersister writes; this persister never appends next to one. So the
    // monitor was rewritten by the other persister after these updates were logged: they are most likely
    // in it already, and replaying them would apply them twice.
    throw new CorruptRecordError(logPath, 'orphan-update-log',
      `expected no update log next to the bare monitor ${snapshotPath} (written by KVStorePersister), got ${log.entries.length} entries`);
  }
  const { fresh, staleCount } = planReplay(log, snapshot.lastUpdateId, logPath);
  const last = fresh.at(-1);
  // Stale entries can only precede fresh ones (planReplay), so with any fresh entry all complete ones stay.
  const keepLogBytes = last === undefined ? 0 : log.validLength;
  return {
    snapshot,
    fresh,
    staleCount,
    tornTailBytes: log.tornTailBytes,
    lastUpdateId: last?.updateId ?? snapshot.lastUpdateId,
    keepLogBytes,
    cutBeforeAppend: logBytes.length > keepLogBytes,
  };
}

async function readIfPresent(fs: FileSystem, path: string, context: string): Promise<Uint8Array | undefined> {
  try {
    const buffer = await fs.readFile(path);
    return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') return undefined;
    throw new PersistError(context, path, 'read the file', error, 'nothing was changed');
  }
}
