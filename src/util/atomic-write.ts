/**
 * `atomicWriteFile`: the project's one way to replace a file so that a crash at any instant leaves the old
 * contents or the new ones, never a torn mix, and so that the new contents survive a power cut once the
 * promise resolves.
 *
 * The sequence (the one LDK's `FilesystemStore` and every careful database use):
 * 1. create a temporary file next to the target (same directory, so the rename cannot cross file systems);
 * 2. write all the bytes, then fsync it (the data reaches the disk before the name does);
 * 3. rename it over the target: POSIX `rename` within a directory is atomic;
 * 4. fsync the directory: without it the rename is atomic but not durable, and after a power loss the
 *    directory may still point at the old file.
 *
 * Every file operation goes through the `FileSystem` seam, so tests can inject ENOSPC or EIO at any step.
 */
import { pinMode } from './permissions.js';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';
import type { FileHandle } from 'node:fs/promises';
import { PersistError, errnoCode, type PersistStage } from '../persist/errors.js';
import { fsyncDirectory, nodeFileSystem, type FileSystem } from '../persist/fs-seam.js';

/**
 * Temporary files are `.<target name>.<random>.tmp`. The leading `.` cannot start a valid `KVStore` key, so
 * a temporary file is never mistaken for a value; the random part keeps two writers of one target apart.
 */
const TEMP_PREFIX = '.';
const TEMP_SUFFIX = '.tmp';
/** 48 random bits per temporary name: a collision between one process's writes is out of the question. */
const TEMP_RANDOM_BYTES = 6;
/** An ordinary data file: readable by everyone, as `writeFile` would create it (the umask may narrow it). */
const DEFAULT_FILE_MODE = 0o644;

/** True for a name `atomicWriteFile` gives its temporary files: left over only if a writer crashed. */
export function isAtomicWriteTempName(name: string): boolean {
  return name.startsWith(TEMP_PREFIX) && name.endsWith(TEMP_SUFFIX);
}

/** How to write. */
export interface AtomicWriteOptions {
  /**
   * Exact permission bits of the new file, e.g. `0o600` for key material. Applied with `chmod` after
   * creating it, because the umask can only remove bits from an `open` mode and a secret must not depend
   * on the caller's umask. Omit for an ordinary file (0o644, narrowed by the umask).
   */
  readonly mode?: number;
  /** The caller's name for this write in error messages, e.g. `FileStore.write(monitors/<key>)`. */
  readonly context?: string;
  /** Test seam for fault injection only; defaults to `node:fs/promises`. */
  readonly fs?: FileSystem;
}

/**
 * Atomically and durably replace the file at `path` with `bytes` (the directory must exist).
 *
 * Contract: when it resolves, the new contents are in place and fsynced, and so is the directory entry.
 * When it rejects, it rejects with a `PersistError` naming `path` and the step that failed, and:
 * - for every step up to and including the rename, `path` still holds its previous contents (or is still
 *   absent) and the temporary file has been removed;
 * - for `fsync the directory` the new contents are in place but may not survive a power loss, so the
 *   caller must treat the write as not durable (retry it, or stop).
 */
export async function atomicWriteFile(path: string, bytes: Uint8Array, options: AtomicWriteOptions = {}): Promise<void> {
  const fs = options.fs ?? nodeFileSystem;
  const context = options.context ?? 'atomicWriteFile';
  const dir = dirname(path);
  const temp = join(dir, `${TEMP_PREFIX}${basename(path)}.${randomBytes(TEMP_RANDOM_BYTES).toString('hex')}${TEMP_SUFFIX}`);
  let stage: PersistStage = 'create the temporary file';
  let handle: FileHandle | undefined;
  try {
    // 'wx': create exclusively, never follow or reuse a file someone else put there.
    handle = await fs.open(temp, 'wx', options.mode ?? DEFAULT_FILE_MODE);
    if (options.mode !== undefined) {
      const opened = handle;
      await pinMode(() => opened.chmod(options.mode!), () => opened.stat(), options.mode, temp);
    }
    stage = 'write the temporary file';
    await handle.writeFile(bytes);
    stage = 'fsync the temporary file';
    await handle.sync();
    await handle.close();
    handle = undefined;
    stage = 'rename the temporary file over the target';
    await fs.rename(temp, path);
  } catch (error) {
    await handle?.close().catch(() => undefined);
    await fs.unlink(temp).catch(() => undefined); // best effort: openers clean leftovers (isAtomicWriteTempName)
    throw new PersistError(context, path, stage, error, 'the previous value (if any) is unchanged');
  }
  try {
    await fsyncDirectory(fs, dir);
  } catch (error) {
    throw new PersistError(context, path, 'fsync the directory', error,
      'the new value is in place but may not survive a power loss; retry the write');
  }
}

/**
 * Delete the temporary files a crashed `atomicWriteFile` left in `dir`: none of them was ever
 * acknowledged, so no one is waiting for them. A missing `dir` has none. Rejects with a `PersistError`
 * (stage `clean temporary files`) naming the file or directory that could not be cleaned.
 */
export async function removeAtomicWriteLeftovers(fs: FileSystem, dir: string, context: string): Promise<void> {
  let current = dir;
  try {
    let entries: string[];
    try {
      entries = await fs.readdir(dir);
    } catch (error) {
      if (errnoCode(error) === 'ENOENT') return;
      throw error;
    }
    for (const entry of entries) {
      if (!isAtomicWriteTempName(entry)) continue;
      current = join(dir, entry);
      await fs.unlink(current);
    }
  } catch (error) {
    throw new PersistError(context, current, 'clean temporary files', error, 'nothing was opened');
  }
}
