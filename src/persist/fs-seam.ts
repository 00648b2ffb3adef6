/**
 * The slice of `node:fs/promises` that `FileStore` uses, as a seam: production passes nothing and gets the
 * real module; tests pass a copy with one function replaced to inject a fault (ENOSPC, EROFS) that cannot
 * be produced for real when running as root. Nothing else should ever substitute it.
 */
import * as fsPromises from 'node:fs/promises';
import { dirname } from 'node:path';
import { errnoCode } from './errors.js';

/** The file-system functions `FileStore` calls; `node:fs/promises` satisfies it. */
export type FileSystem = Pick<
  typeof fsPromises,
  'open' | 'rename' | 'unlink' | 'mkdir' | 'chmod' | 'readdir' | 'readFile' | 'stat'
>;

/** The real file system. */
export const nodeFileSystem: FileSystem = fsPromises;

/**
 * Flush a directory's entries (a rename, a new or removed file) to disk. Without it, `rename` is atomic
 * but not durable: after a power loss the directory may still point at the old file. Linux and the BSDs
 * allow opening a directory read-only and fsyncing it; that is the POSIX-sanctioned way.
 */
export async function fsyncDirectory(fs: FileSystem, dir: string): Promise<void> {
  const handle = await fs.open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * `mkdir -p` that always terminates, returning the directories it created (outermost first) so the caller
 * can fsync their parents. Why not `mkdir(dir, { recursive: true })`: on Linux, Node's recursive mkdir spins
 * forever when the parent exists but the child still fails with ENOENT, e.g. under `/proc` or through a
 * dangling symlink (verified on Node 20.20: `FileStore.open('/proc/x')` never settled). Here each directory
 * is attempted exactly once, and the first real error is thrown.
 */
export async function makeDirectories(fs: FileSystem, dir: string, mode: number): Promise<string[]> {
  const missing: string[] = [];
  for (let current = dir; ; current = dirname(current)) {
    try {
      await fs.stat(current);
      break; // exists (if it is not a directory, the mkdir of its child reports ENOTDIR)
    } catch (error) {
      if (errnoCode(error) !== 'ENOENT') throw error;
    }
    missing.unshift(current);
    if (dirname(current) === current) break; // reached the file-system root
  }
  const created: string[] = [];
  for (const path of missing) {
    try {
      await fs.mkdir(path, { mode });
      created.push(path);
    } catch (error) {
      if (errnoCode(error) !== 'EEXIST') throw error; // EEXIST: a racing creator, or a dangling symlink
    }
  }
  return created;
}
