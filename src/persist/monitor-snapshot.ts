/**
 * A monitor snapshot: the whole `ChannelMonitor` (its `toBytes()` record) together with the id of the last
 * update it already includes, so that a reload replays from the update log exactly the updates after it.
 * Writing both in one file, replaced atomically, is what makes compaction crash-safe: there is no moment at
 * which the monitor and its "includes up to" mark can disagree.
 *
 * A record (`encodeRecord`) of kind `ChannelMonitorSnapshot`; payload: the last included update id as 8
 * bytes big-endian, then the monitor record, unchanged.
 */
import { CorruptRecordError } from './errors.js';
import { decodeRecord, encodeRecord } from './record.js';

export const MONITOR_SNAPSHOT_RECORD_KIND = 'ChannelMonitorSnapshot';
/** Bump (and keep a reader for 1) when the payload layout changes. */
export const MONITOR_SNAPSHOT_FORMAT_VERSION = 1;
/** The update id field: a u64, of which only safe integers are ever written. */
const UPDATE_ID_BYTES = 8;

/** A snapshot read back. */
export interface MonitorSnapshot {
  /** Every update with an id up to this one is already inside `monitorBytes`. */
  readonly lastUpdateId: number;
  /** The monitor record, exactly as `toBytes()` produced it (verified). */
  readonly monitorBytes: Uint8Array;
  /**
   * True when the file held a bare monitor record, as `KVStorePersister` writes it, rather than a
   * snapshot: it is read as a snapshot including no update (`lastUpdateId` 0), so a node can switch
   * persisters without losing its monitors.
   */
  readonly bare: boolean;
}

/**
 * The snapshot record for `monitorBytes` including updates up to `lastUpdateId`. Throws
 * `CorruptRecordError` (naming `fileNameForErrors`, "refused before writing") if `monitorBytes` is not a
 * valid record: a serializer bug caught now is a bug report; caught at the next restart it is a channel
 * the node can no longer watch. Throws `RangeError` for an id that is not a non-negative safe integer.
 */
export function encodeMonitorSnapshot(lastUpdateId: number, monitorBytes: Uint8Array, fileNameForErrors: string): Uint8Array {
  if (!Number.isSafeInteger(lastUpdateId) || lastUpdateId < 0) {
    throw new RangeError(`encodeMonitorSnapshot: lastUpdateId expected a non-negative safe integer, got ${lastUpdateId}`);
  }
  decodeRecord(monitorBytes, `${fileNameForErrors} (refused before writing)`);
  const payload = new Uint8Array(UPDATE_ID_BYTES + monitorBytes.length);
  new DataView(payload.buffer).setBigUint64(0, BigInt(lastUpdateId));
  payload.set(monitorBytes, UPDATE_ID_BYTES);
  return encodeRecord(MONITOR_SNAPSHOT_RECORD_KIND, MONITOR_SNAPSHOT_FORMAT_VERSION, payload);
}

/**
 * Read a snapshot file's bytes. A record of any other kind is taken as a bare monitor (see `bare`). Any
 * damage, to the snapshot or to the monitor inside it, is a `CorruptRecordError` naming `fileName`.
 */
export function decodeMonitorSnapshot(bytes: Uint8Array, fileName: string): MonitorSnapshot {
  const record = decodeRecord(bytes, fileName);
  if (record.kind !== MONITOR_SNAPSHOT_RECORD_KIND) {
    return { lastUpdateId: 0, monitorBytes: bytes, bare: true };
  }
  if (record.formatVersion !== MONITOR_SNAPSHOT_FORMAT_VERSION) {
    throw new CorruptRecordError(fileName, 'unsupported-format-version',
      `expected ${MONITOR_SNAPSHOT_RECORD_KIND} format version ${MONITOR_SNAPSHOT_FORMAT_VERSION}, got ${record.formatVersion}`);
  }
  if (record.payload.length < UPDATE_ID_BYTES) {
    throw new CorruptRecordError(fileName, 'bad-payload', `expected at least ${UPDATE_ID_BYTES} bytes of snapshot payload, got ${record.payload.length}`);
  }
  const lastUpdateId = new DataView(record.payload.buffer, record.payload.byteOffset).getBigUint64(0);
  if (lastUpdateId > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new CorruptRecordError(fileName, 'bad-payload', `expected a last update id up to ${Number.MAX_SAFE_INTEGER}, got ${lastUpdateId}`);
  }
  const monitorBytes = record.payload.subarray(UPDATE_ID_BYTES);
  decodeRecord(monitorBytes, `${fileName} (the monitor inside the snapshot)`);
  return { lastUpdateId: Number(lastUpdateId), monitorBytes, bare: false };
}
