/**
 * `FileStore`: a `KVStore` on the local file system, one directory per namespace, one file per key,
 * after LDK's `FilesystemStore`.
 *
 * Every write is an `atomicWriteFile` (`src/util/atomic-write.ts`): temporary file in the same directory →
 * fsync → rename over the target → fsync the directory. `rename` within one directory is atomic, so a crash
 * at any instant leaves the old value or the new one, never a torn mix; the two fsyncs make the result
 * survive a power loss, not just a process kill.
 */
import { pinMode } from '../util/permissions.js';
import { dirname, join, resolve } from 'node:path';
import { WorkshopError } from '../errors.js';
import { atomicWriteFile, removeAtomicWriteLeftovers } from '../util/atomic-write.js';
import { NotFoundError, PersistError, errnoCode, type PersistStage } from './errors.js';
import { fsyncDirectory, makeDirectories, nodeFileSystem, type FileSystem } from './fs-seam.js';
import type { KVStore, WriteOptions } from './kv-store.js';
import { assertValidName, isValidName } from './names.js';

/** Owner read/write only: key material must not be readable by other local users. */
export const SENSITIVE_FILE_MODE = 0o600;
/** Owner only: also hides which keys (channels) exist from other local users. */
export const SENSITIVE_DIR_MODE = 0o700;
/** Ordinary directories: world-listable like any data directory (the umask may narrow it further). */
const PUBLIC_DIR_MODE = 0o755;

/** How to open a `FileStore`. */
export interface FileStoreOptions {
  /**
   * Namespaces whose every value is key material, written as if each write passed `{ sensitive: true }`.
   * A per-write `sensitive: false` cannot loosen them.
   */
  readonly sensitiveNamespaces?: readonly string[];
  /** Test seam for fault injection only; defaults to `node:fs/promises`. */
  readonly fs?: FileSystem;
}

/**
 * A durable `KVStore` rooted at a directory: `<root>/<namespace>/<key>`.
 *
 * Obtain one with `FileStore.open` (which creates the root and removes temporary files left by a crash).
 * Assumes it is the only writer of its directory, like LDK's store: two processes on one root would
 * delete each other's in-flight temporary files on open.
 */
export class FileStore implements KVStore {
  /** Absolute path of the store's root directory. */
  readonly root: string;
  private readonly fs: FileSystem;
  private readonly sensitiveNamespaces: ReadonlySet<string>;
  /** Tail of the queue of writes/removes per `namespace/key`; see `serialize`. */
  private readonly tails = new Map<string, Promise<void>>();

  private constructor(root: string, fs: FileSystem, sensitiveNamespaces: ReadonlySet<string>) {
    this.root = root;
    this.fs = fs;
    this.sensitiveNamespaces = sensitiveNamespaces;
  }

  /**
   * Open (creating if needed) the store rooted at `root`, and delete temporary files a crashed writer
   * left behind: they hold writes that were never acknowledged, so no one is waiting for them.
   * Rejects with `PersistError` if the directory cannot be created or cleaned.
   */
  static async open(root: string, options: FileStoreOptions = {}): Promise<FileStore> {
    const context = 'FileStore.open';
    const fs = options.fs ?? nodeFileSystem;
    for (const namespace of options.sensitiveNamespaces ?? []) assertValidName(context, 'namespace', namespace);
    const absoluteRoot = resolve(root);
    try {
      const created = await makeDirectories(fs, absoluteRoot, PUBLIC_DIR_MODE);
      // Make each new directory's own entry durable: it lives in its parent.
      for (const dir of created) await fsyncDirectory(fs, dirname(dir));
    } catch (error) {
      throw new PersistError(context, absoluteRoot, 'create the store directory', error, 'no store was opened');
    }
    const store = new FileStore(absoluteRoot, fs, new Set(options.sensitiveNamespaces ?? []));
    await store.removeTempFiles();
    return store;
  }

  /** The file path of `namespace`/`key` (validated), for messages and for tools that inspect the store. */
  describe(namespace: string, key: string): string {
    assertValidName('FileStore.describe', 'namespace', namespace);
    assertValidName('FileStore.describe', 'key', key);
    return join(this.root, namespace, key);
  }

  /** See `KVStore.read`. Rejects with `NotFoundError` when absent, `PersistError` when unreadable. */
  async read(namespace: string, key: string): Promise<Uint8Array> {
    const context = `FileStore.read(${namespace}/${key})`;
    const target = this.describe(namespace, key);
    try {
      const buffer = await this.fs.readFile(target);
      // A plain Uint8Array view, so callers and tests compare it like any other byte array.
      return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
    } catch (error) {
      if (errnoCode(error) === 'ENOENT' && !(await this.rootVanished())) {
        throw new NotFoundError(context, namespace, key, target);
      }
      throw new PersistError(context, target, 'read the file', error, 'nothing was changed');
    }
  }

  /**
   * See `KVStore.write`: atomic, durable, in call order per key. `value` is copied at call time, so the
   * caller may reuse its buffer immediately. With `{ sensitive: true }` (or a sensitive namespace) the
   * file is 0o600 and its directory 0o700. Rejects with `PersistError` naming the file and the step.
   */
  async write(namespace: string, key: string, value: Uint8Array, options: WriteOptions = {}): Promise<void> {
    const context = `FileStore.write(${namespace}/${key})`;
    const target = this.describe(namespace, key);
    if (!(value instanceof Uint8Array)) {
      throw new WorkshopError(
        'INVALID_VALUE',
        `${context}: value expected a Uint8Array, got ${value === null ? 'null' : typeof value}`,
        'encode the object first, e.g. with encodeJsonRecord(kind, formatVersion, object)',
      );
    }
    const bytes = value.slice();
    const sensitive = options.sensitive === true || this.sensitiveNamespaces.has(namespace);
    return this.serialize(`${namespace}/${key}`, () => this.writeNow(context, target, bytes, sensitive));
  }

  /** See `KVStore.remove`: durable, idempotent, ordered with writes to the same key. */
  async remove(namespace: string, key: string): Promise<void> {
    const context = `FileStore.remove(${namespace}/${key})`;
    const target = this.describe(namespace, key);
    return this.serialize(`${namespace}/${key}`, async () => {
      try {
        await this.fs.unlink(target);
      } catch (error) {
        // Already absent is success, but still fsync below: a remove retried after a crash must be durable.
        if (errnoCode(error) !== 'ENOENT' || (await this.rootVanished())) {
          throw new PersistError(context, target, 'remove the file', error, 'the value may still be present; retry the remove');
        }
      }
      try {
        await fsyncDirectory(this.fs, dirname(target));
      } catch (error) {
        if (errnoCode(error) === 'ENOENT' && !(await this.rootVanished())) return; // namespace never written
        throw new PersistError(context, target, 'fsync the directory', error,
          'the value is gone but its removal may not survive a power loss; retry the remove');
      }
    });
  }

  /** See `KVStore.list`: valid key names only (temporary and foreign files are skipped), sorted. */
  async list(namespace: string): Promise<string[]> {
    const context = `FileStore.list(${namespace})`;
    assertValidName(context, 'namespace', namespace);
    const dir = join(this.root, namespace);
    try {
      const entries = await this.fs.readdir(dir, { withFileTypes: true });
      return entries
        .filter((entry) => entry.isFile() && isValidName(entry.name))
        .map((entry) => entry.name)
        .sort();
    } catch (error) {
      if (errnoCode(error) === 'ENOENT' && !(await this.rootVanished())) return []; // namespace never written
      throw new PersistError(context, dir, 'list the directory', error, 'nothing was changed');
    }
  }

  private async writeNow(context: string, target: string, bytes: Uint8Array, sensitive: boolean): Promise<void> {
    await this.ensureNamespaceDir(context, dirname(target), target, sensitive);
    // Ordinary values get atomicWriteFile's default mode (0o644 narrowed by the umask); key material 0o600 exactly.
    await atomicWriteFile(target, bytes, { context, fs: this.fs, mode: sensitive ? SENSITIVE_FILE_MODE : undefined });
  }

  /**
   * Create the namespace directory if needed (not recursively: if the root itself vanished, that is data
   * loss to report, not to paper over) and, for key material, pin it to 0o700 even if it existed.
   */
  private async ensureNamespaceDir(context: string, dir: string, target: string, sensitive: boolean): Promise<void> {
    let stage: PersistStage = 'create the namespace directory';
    try {
      let created = false;
      try {
        await this.fs.mkdir(dir, { mode: sensitive ? SENSITIVE_DIR_MODE : PUBLIC_DIR_MODE });
        created = true;
      } catch (error) {
        if (errnoCode(error) !== 'EEXIST') throw error;
      }
      if (sensitive) await pinMode(() => this.fs.chmod(dir, SENSITIVE_DIR_MODE), () => this.fs.stat(dir), SENSITIVE_DIR_MODE, dir);
      stage = 'fsync the directory';
      if (created) await fsyncDirectory(this.fs, this.root); // the new directory's entry lives in the root
    } catch (error) {
      throw new PersistError(context, target, stage, error, 'the previous value (if any) is unchanged');
    }
  }

  /** Delete every temporary file a crashed write left (`.<key>.<random>.tmp`) in every namespace directory. */
  private async removeTempFiles(): Promise<void> {
    const context = 'FileStore.open';
    let namespaces;
    try {
      namespaces = await this.fs.readdir(this.root, { withFileTypes: true });
    } catch (error) {
      throw new PersistError(context, this.root, 'clean temporary files', error, 'no store was opened');
    }
    for (const namespace of namespaces) {
      if (!namespace.isDirectory() || !isValidName(namespace.name)) continue;
      await removeAtomicWriteLeftovers(this.fs, join(this.root, namespace.name), context);
    }
  }

  /** True when the root directory itself is gone: then "file not found" means data loss, not "absent". */
  private async rootVanished(): Promise<boolean> {
    try {
      return !(await this.fs.stat(this.root)).isDirectory();
    } catch {
      return true;
    }
  }

  /**
   * Run `operation` after every earlier write/remove of the same key has settled. Without this, two
   * overlapping writes could rename in either order and an older ChannelMonitor could overwrite a newer
   * one (LDK's `FilesystemStore` prevents the same race with per-key version counters).
   */
  private serialize(id: string, operation: () => Promise<void>): Promise<void> {
    const previous = this.tails.get(id) ?? Promise.resolve();
    const result = previous.then(operation);
    const tail = result.catch(() => undefined);
    this.tails.set(id, tail);
    void tail.then(() => {
      if (this.tails.get(id) === tail) this.tails.delete(id);
    });
    return result;
  }
}
