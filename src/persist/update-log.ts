/**
 * The update log's on-disk format: a channel's `ChannelMonitorUpdate`s since its last snapshot, one framed
 * entry after another, appended with one write and one fdatasync each. Only the last entry can ever be
 * incomplete (each append waits for the previous one's fdatasync), so reading tells apart a torn tail,
 * which is discarded, from damage before it, which is an error.
 *
 * Entry layout (integers big-endian):
 *
 * | offset | size | field                                                      |
 * |--------|------|------------------------------------------------------------|
 * | 0      | 4    | magic `LNLU` (Lightning Lab Log of Updates)                |
 * | 4      | 1    | frame version (this layout) = 1                            |
 * | 5      | 4    | payload length n                                           |
 * | 9      | 8    | update id (1, 2, 3, … per channel)                         |
 * | 17     | 4    | CRC-32 of bytes [0, 17): the header alone                  |
 * | 21     | n    | payload: an `encodeMonitorUpdate` record                   |
 * | 21+n   | 4    | CRC-32 of bytes [0, 21+n): header and payload              |
 *
 * Why a header checksum of its own: the payload length decides where the next entry starts, so a length
 * damaged in the middle of the log must not be able to pose as "the last entry runs past the end of the
 * file" and swallow the entries after it. CRC-32 (zlib's, built into Node) is there to catch torn and
 * garbled writes; the payload record carries its own SHA-256 against anything subtler.
 */
import { crc32 } from 'node:zlib';
import { CorruptRecordError, type CorruptReason } from './errors.js';

/** Identifies a log entry; the first bytes of every entry. */
export const UPDATE_LOG_MAGIC = 'LNLU';
const MAGIC_BYTES = new TextEncoder().encode(UPDATE_LOG_MAGIC);
/** Version of the entry layout above. */
export const UPDATE_LOG_FRAME_VERSION = 1;
const VERSION_OFFSET = 4;
const LENGTH_OFFSET = 5;
const UPDATE_ID_OFFSET = 9;
const HEADER_CRC_OFFSET = 17;
/** Magic 4 + version 1 + length 4 + update id 8 + header CRC 4. */
export const LOG_ENTRY_HEADER_BYTES = 21;
/** The trailing CRC-32. */
export const LOG_ENTRY_TRAILER_BYTES = 4;
/** Payload lengths are stored in 4 bytes. */
const MAX_PAYLOAD_BYTES = 0xffff_ffff;

/** One entry read back. `payload` is a view into the bytes that were scanned. */
export interface LogEntry {
  readonly updateId: number;
  readonly payload: Uint8Array;
  /** Where the entry starts in the file, for messages. */
  readonly offset: number;
}

/** What a log holds. */
export interface ScannedLog {
  /** The complete, verified entries, in file order. */
  readonly entries: readonly LogEntry[];
  /** Bytes up to the end of the last complete entry: where the next append belongs. */
  readonly validLength: number;
  /** Bytes after `validLength` (an append that a crash or a failure cut short); 0 for a clean log. */
  readonly tornTailBytes: number;
}

/**
 * Frame `payload` as the log entry of `updateId`. Throws `RangeError` for an id that is not a positive
 * safe integer or a payload too long for its 4-byte length.
 */
export function encodeLogEntry(updateId: number, payload: Uint8Array): Uint8Array {
  if (!Number.isSafeInteger(updateId) || updateId < 1) {
    throw new RangeError(`encodeLogEntry: updateId expected a positive safe integer, got ${updateId}`);
  }
  if (payload.length > MAX_PAYLOAD_BYTES) {
    throw new RangeError(`encodeLogEntry: payload expected at most ${MAX_PAYLOAD_BYTES} bytes, got ${payload.length}`);
  }
  const out = new Uint8Array(LOG_ENTRY_HEADER_BYTES + payload.length + LOG_ENTRY_TRAILER_BYTES);
  const view = new DataView(out.buffer);
  out.set(MAGIC_BYTES, 0);
  view.setUint8(VERSION_OFFSET, UPDATE_LOG_FRAME_VERSION);
  view.setUint32(LENGTH_OFFSET, payload.length);
  view.setBigUint64(UPDATE_ID_OFFSET, BigInt(updateId));
  view.setUint32(HEADER_CRC_OFFSET, crc32(out.subarray(0, HEADER_CRC_OFFSET)));
  out.set(payload, LOG_ENTRY_HEADER_BYTES);
  const bodyLength = LOG_ENTRY_HEADER_BYTES + payload.length;
  view.setUint32(bodyLength, crc32(out.subarray(0, bodyLength)));
  return out;
}

/**
 * Read every entry of a log file's `bytes`. Stops at a torn tail and reports it (`tornTailBytes`); throws
 * a `CorruptRecordError` naming `fileName` and the byte offset for damage anywhere before the tail.
 *
 * What counts as a torn tail, and why it is safe to drop: fewer bytes than a header; a valid header whose
 * entry runs past the end of the file; a complete last entry whose checksum fails; or nothing but zero
 * bytes (a file extended by a crash before its data reached the disk). Each of these can only be the one
 * append that was in flight, never acknowledged. A bad header followed by other bytes, or a bad checksum
 * with more entries after it, is damage to acknowledged data: an error, never a shorter log.
 */
export function scanUpdateLog(bytes: Uint8Array, fileName: string): ScannedLog {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const entries: LogEntry[] = [];
  let offset = 0;
  const torn = (): ScannedLog => ({ entries, validLength: offset, tornTailBytes: bytes.length - offset });
  while (offset < bytes.length) {
    const remaining = bytes.length - offset;
    if (remaining < LOG_ENTRY_HEADER_BYTES) return torn();
    const problem = headerProblem(bytes, view, offset);
    if (problem !== undefined) {
      if (bytes.subarray(offset).every((byte) => byte === 0)) return torn();
      throw new CorruptRecordError(fileName, problem.reason, `at byte ${offset}: expected an update log entry header, got ${problem.got}`);
    }
    const payloadLength = view.getUint32(offset + LENGTH_OFFSET);
    const bodyEnd = offset + LOG_ENTRY_HEADER_BYTES + payloadLength;
    const end = bodyEnd + LOG_ENTRY_TRAILER_BYTES;
    if (end > bytes.length) return torn();
    const stored = view.getUint32(bodyEnd);
    const actual = crc32(bytes.subarray(offset, bodyEnd));
    if (stored !== actual) {
      if (end === bytes.length) return torn();
      throw new CorruptRecordError(fileName, 'bad-checksum',
        `at byte ${offset}: expected CRC-32 ${hex32(stored)} over the entry, got ${hex32(actual)} (contents damaged, with ${bytes.length - end} bytes of later entries after it)`);
    }
    const updateId = view.getBigUint64(offset + UPDATE_ID_OFFSET);
    if (updateId < 1n || updateId > BigInt(Number.MAX_SAFE_INTEGER)) {
      throw new CorruptRecordError(fileName, 'bad-header', `at byte ${offset}: expected an update id from 1 to ${Number.MAX_SAFE_INTEGER}, got ${updateId}`);
    }
    entries.push({ updateId: Number(updateId), payload: bytes.subarray(offset + LOG_ENTRY_HEADER_BYTES, bodyEnd), offset });
    offset = end;
  }
  return { entries, validLength: offset, tornTailBytes: 0 };
}

/** The entries to replay on top of a snapshot, and whether stale ones are left from an interrupted compaction. */
export interface ReplayPlan {
  /** Entries with an id above the snapshot's, consecutive from `snapshotUpdateId + 1`. */
  readonly fresh: readonly LogEntry[];
  /** Entries the snapshot already includes: its log was not yet dropped when the writer stopped. */
  readonly staleCount: number;
}

/**
 * Choose what to replay on top of a snapshot that includes every update up to `snapshotUpdateId`. Entries
 * at or below it are skipped (a crash between writing a snapshot and dropping the log leaves them; applying
 * them again would double-apply). The rest must run `snapshotUpdateId + 1, + 2, …` without a gap, or an
 * update was lost: that, or an older id after a newer one, is a `CorruptRecordError` naming `fileName`.
 */
export function planReplay(log: ScannedLog, snapshotUpdateId: number, fileName: string): ReplayPlan {
  const fresh: LogEntry[] = [];
  let staleCount = 0;
  for (const entry of log.entries) {
    const expected = snapshotUpdateId + fresh.length + 1;
    if (entry.updateId <= snapshotUpdateId && fresh.length === 0) {
      staleCount++;
    } else if (entry.updateId === expected) {
      fresh.push(entry);
    } else if (entry.updateId > expected) {
      throw new CorruptRecordError(fileName, 'missing-update',
        `at byte ${entry.offset}: expected update ${expected} (the snapshot holds up to ${snapshotUpdateId}), got update ${entry.updateId}; updates ${expected}–${entry.updateId - 1} are missing`);
    } else {
      throw new CorruptRecordError(fileName, 'out-of-order',
        `at byte ${entry.offset}: expected update ${expected}, got update ${entry.updateId}, an older one after a newer one`);
    }
  }
  return { fresh, staleCount };
}

function headerProblem(bytes: Uint8Array, view: DataView, offset: number): { reason: CorruptReason; got: string } | undefined {
  if (MAGIC_BYTES.some((byte, i) => bytes[offset + i] !== byte)) return { reason: 'bad-magic', got: 'no "LNLU" magic' };
  const stored = view.getUint32(offset + HEADER_CRC_OFFSET);
  const actual = crc32(bytes.subarray(offset, offset + HEADER_CRC_OFFSET));
  if (stored !== actual) return { reason: 'bad-header', got: `a header CRC-32 of ${hex32(actual)} where ${hex32(stored)} was stored` };
  // Checked after the CRC: a version byte that passes the CRC was really written by another program version.
  const version = view.getUint8(offset + VERSION_OFFSET);
  if (version !== UPDATE_LOG_FRAME_VERSION) {
    return { reason: 'unsupported-frame-version', got: `frame version ${version} (this program reads ${UPDATE_LOG_FRAME_VERSION})` };
  }
  return undefined;
}

function hex32(value: number): string {
  return value.toString(16).padStart(8, '0');
}
