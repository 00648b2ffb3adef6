/**
 * `UpdateLogFile`: one channel's update log as an open file, kept open between appends so that an
 * append costs exactly one positional write and one fdatasync, which is the disk's own price for a
 * durable byte.
 *
 * Why fdatasync and not fsync: it flushes the data and the metadata needed to read it back (the file
 * size), and skips what a reader does not need (timestamps), which saves a journal write per append on
 * ext4. Why a positional write at a length tracked here rather than O_APPEND: after a torn or failed
 * append the file may be longer than its valid content; the next append must land at the end of the
 * valid content, never after the garbage.
 *
 * After any failed write or fdatasync the handle is closed and never used again: on Linux a failed fsync
 * may have dropped the dirty pages while marking them clean, so a later fsync on the same file can
 * succeed without the data ever reaching the disk ("fsyncgate", PostgreSQL 2018).
 */
import { pinMode } from '../util/permissions.js';
import { dirname } from 'node:path';
import type { FileHandle } from 'node:fs/promises';
import { PersistError, errnoCode, type PersistStage } from './errors.js';
import { SENSITIVE_FILE_MODE } from './file-store.js';
import { fsyncDirectory, type FileSystem } from './fs-seam.js';

export class UpdateLogFile {
  /** The log's path. */
  readonly path: string;
  private readonly fs: FileSystem;
  private handle: FileHandle | undefined;
  /** Bytes of valid content: where the next entry goes. */
  private validLength = 0;
  /** The file may hold bytes after `validLength` (a torn tail, stale entries, a failed append): cut them first. */
  private cutBeforeAppend = false;

  constructor(path: string, fs: FileSystem) {
    this.path = path;
    this.fs = fs;
  }

  /** Bytes of valid content (entries that are durable, or were before a failure was reported). */
  get length(): number {
    return this.validLength;
  }

  /**
   * Adopt what a scan of the file found: `validLength` bytes of entries to keep, and whether anything after
   * them (or, when `validLength` is 0, stale entries) must be cut before the next append.
   */
  adopt(validLength: number, cutBeforeAppend: boolean): void {
    this.validLength = validLength;
    this.cutBeforeAppend = cutBeforeAppend;
  }

  /**
   * Durably append `entry` (an `encodeLogEntry` frame): one write at the end of the valid content, then one
   * fdatasync. Creates the file (owner-only) and fsyncs its directory the first time. Rejects with a
   * `PersistError` naming the stage; the entry is then not durable, and the file is cut back to its
   * previous content when that is still possible (else the next append cuts it).
   */
  async append(entry: Uint8Array, context: string): Promise<void> {
    let stage: PersistStage = 'open the update log';
    try {
      const handle = await this.openHandle((next) => { stage = next; });
      if (this.cutBeforeAppend) {
        stage = 'truncate the update log';
        await handle.truncate(this.validLength);
        // Durable before the new entry lands: otherwise a crash could leave old garbage after it.
        await handle.datasync();
        this.cutBeforeAppend = false;
      }
      stage = 'append to the update log';
      await writeFully(handle, entry, this.validLength);
      stage = 'fdatasync the update log';
      await handle.datasync();
    } catch (error) {
      await this.discardHandle();
      this.cutBeforeAppend = true;
      await this.cutBack();
      throw new PersistError(context, this.path, stage, error,
        'this update is not durable; a reload yields the channel as it was before it (the next write of this channel stores the whole monitor)');
    }
    this.validLength += entry.length;
  }

  /**
   * Empty the log (after a snapshot that includes every entry in it): truncate to 0, fdatasync. A log that
   * does not exist is already empty. Rejects with a `PersistError`; the entries left behind are then all
   * included in the snapshot (a reload skips them) and the next append cuts them first.
   */
  async reset(context: string): Promise<void> {
    // Valid content 0 and nothing to cut: the file is empty or absent already (the case for every snapshot
    // when snapshots are written for every update), so spend no system call on it.
    if (this.validLength === 0 && !this.cutBeforeAppend) return;
    this.validLength = 0;
    this.cutBeforeAppend = true; // until the truncation below is durable
    let stage: PersistStage = 'open the update log';
    try {
      const handle = await this.openHandle((next) => { stage = next; }, { create: false });
      if (handle !== undefined) {
        stage = 'truncate the update log';
        await handle.truncate(0);
        await handle.datasync();
      }
      this.cutBeforeAppend = false;
    } catch (error) {
      await this.discardHandle();
      throw new PersistError(context, this.path, stage, error, 'the snapshot is durable; the stale log entries it includes are skipped on reload');
    }
  }

  /** Close the handle (idempotent). */
  async close(): Promise<void> {
    await this.discardHandle();
  }

  /** The open handle, opening (and, if allowed, creating) the file first. */
  private openHandle(onStage: (stage: PersistStage) => void): Promise<FileHandle>;
  private openHandle(onStage: (stage: PersistStage) => void, options: { create: false }): Promise<FileHandle | undefined>;
  private async openHandle(onStage: (stage: PersistStage) => void, options = { create: true }): Promise<FileHandle | undefined> {
    if (this.handle !== undefined) return this.handle;
    try {
      this.handle = await this.fs.open(this.path, 'r+');
      return this.handle;
    } catch (error) {
      // A log we believe holds entries must exist: recreating it would silently drop them.
      if (errnoCode(error) !== 'ENOENT' || this.validLength > 0) throw error;
      if (!options.create) return undefined;
    }
    onStage('create the update log');
    const handle = await this.fs.open(this.path, 'wx', SENSITIVE_FILE_MODE);
    this.handle = handle;
    // exact owner-only mode, whatever the umask: updates hold secrets
    await pinMode(() => handle.chmod(SENSITIVE_FILE_MODE), () => handle.stat(), SENSITIVE_FILE_MODE, this.path);
    // The new directory entry must be durable before any entry in the file is acknowledged.
    await fsyncDirectory(this.fs, dirname(this.path));
    return handle;
  }

  /** Best effort, after a failure: cut the file back to its valid content on a fresh handle. */
  private async cutBack(): Promise<void> {
    let handle: FileHandle | undefined;
    try {
      handle = await this.fs.open(this.path, 'r+');
      await handle.truncate(this.validLength);
      await handle.datasync();
      this.cutBeforeAppend = false;
    } catch {
      // The disk is refusing; the next append (or load) deals with the leftover, which is a torn tail at worst.
    } finally {
      await handle?.close().catch(() => undefined);
    }
  }

  private async discardHandle(): Promise<void> {
    const handle = this.handle;
    this.handle = undefined;
    await handle?.close().catch(() => undefined);
  }
}

/** `write` may write fewer bytes than asked (a disk filling up): keep going until all are written or it throws. */
async function writeFully(handle: FileHandle, bytes: Uint8Array, position: number): Promise<void> {
  let written = 0;
  while (written < bytes.length) {
    const { bytesWritten } = await handle.write(bytes, written, bytes.length - written, position + written);
    if (bytesWritten === 0) throw Object.assign(new Error('write returned 0 bytes'), { code: 'EIO' });
    written += bytesWritten;
  }
}
