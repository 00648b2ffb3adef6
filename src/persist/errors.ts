/**
 * The persistence layer's typed failures. Each one names the thing that went wrong (the bad argument, the
 * file) so a learner, or an operator at 3 a.m., can act on it without reading the source. Callers branch on
 * the class (or `code`), never on the message text.
 */
import { WorkshopError } from '../errors.js';

/** Which argument of a `KVStore` call failed validation. */
export type NameArgument = 'namespace' | 'key';

/**
 * A namespace or key is not a safe file name. Thrown before any file is touched, so a bad name can never
 * escape the store's directory (`../`), collide with a temporary file, or be silently mangled.
 */
export class InvalidNameError extends WorkshopError {
  /** Which argument was rejected. */
  readonly argument: NameArgument;
  /** The rejected value, verbatim. */
  readonly value: unknown;

  constructor(context: string, argument: NameArgument, value: unknown, problem: string) {
    super(
      'INVALID_NAME',
      `${context}: ${argument} expected 1–120 characters of [A-Za-z0-9_-], got ${describeValue(value)} (${problem})`,
      `choose a ${argument} made of letters, digits, "_" and "-" only; a funding outpoint key looks like ` +
        '`<txid>_<vout>` (see `fundingOutpointKey`)',
    );
    this.argument = argument;
    this.value = value;
  }
}

/** `read` of a key that holds no value. Not a failure of the disk: the value was never written, or was removed. */
export class NotFoundError extends WorkshopError {
  readonly namespace: string;
  readonly key: string;
  /** Where the value was looked for (a file path for `FileStore`). */
  readonly location: string;

  constructor(context: string, namespace: string, key: string, location: string) {
    super(
      'NOT_FOUND',
      `${context}: expected a stored value for ${namespace}/${key} at ${location}, got none`,
      `write it first, or call list("${namespace}") to see which keys exist`,
    );
    this.namespace = namespace;
    this.key = key;
    this.location = location;
  }
}

/** The step of a durable write (or other file operation) that failed; named in `PersistError`. */
export type PersistStage =
  | 'create the store directory'
  | 'clean temporary files'
  | 'create the namespace directory'
  | 'create the temporary file'
  | 'write the temporary file'
  | 'fsync the temporary file'
  | 'rename the temporary file over the target'
  | 'fsync the directory'
  | 'read the file'
  | 'remove the file'
  | 'list the directory'
  | 'create the update log'
  | 'open the update log'
  | 'truncate the update log'
  | 'append to the update log'
  | 'fdatasync the update log';

/**
 * The operating system refused a file operation (read-only file system, disk full, directory deleted, a
 * path component that is a file, ...). `path` names the file; the fix depends on `osCode`.
 *
 * Contract for writes: when a `write` rejects with this error the target file holds either its previous
 * value or (only when `stage` is `fsync the directory`) the new value without a durability guarantee; it
 * never holds a partial value. Treat the write as NOT persisted and retry it.
 */
export class PersistError extends WorkshopError {
  /** The file or directory the operation was about. */
  readonly path: string;
  /** Which step failed. */
  readonly stage: PersistStage;
  /** The OS error code (`ENOSPC`, `EROFS`, ...) or `UNKNOWN`. */
  readonly osCode: string;

  constructor(context: string, path: string, stage: PersistStage, cause: unknown, outcome: string) {
    const osCode = errnoCode(cause) ?? 'UNKNOWN';
    const detail = cause instanceof Error ? cause.message : String(cause);
    super(
      'PERSIST_FAILED',
      `${context}: expected to ${stage} for ${path}, got ${osCode} (${detail}); ${outcome}`,
      fixForOsCode(osCode, path),
      { cause },
    );
    this.path = path;
    this.stage = stage;
    this.osCode = osCode;
  }
}

/** Why a record could not be decoded; lets callers and tests branch without parsing the message. */
export type CorruptReason =
  | 'truncated'
  | 'bad-magic'
  | 'unsupported-frame-version'
  | 'bad-header'
  | 'trailing-bytes'
  | 'bad-checksum'
  | 'wrong-kind'
  | 'unsupported-format-version'
  | 'bad-payload'
  | 'missing-update'
  | 'out-of-order'
  | 'orphan-update-log';

/**
 * A persisted record is not what was written: truncated, bit-flipped, from another program, or written by
 * a newer (or older) format version this code cannot read. Never swallowed into "empty": a ChannelMonitor
 * read as empty would let a node forget a channel it must still watch.
 */
export class CorruptRecordError extends WorkshopError {
  /** The file (or other location) the bytes came from. */
  readonly fileName: string;
  readonly reason: CorruptReason;

  constructor(fileName: string, reason: CorruptReason, expectedGot: string) {
    super(
      'CORRUPT_RECORD',
      `${fileName}: ${expectedGot} [${reason}]`,
      reason === 'unsupported-format-version' || reason === 'unsupported-frame-version'
        ? `read ${fileName} with the program version that wrote it, or migrate it; do not delete it`
        : `restore ${fileName} from a backup; do not delete it or start without it, its contents may still be needed`,
    );
    this.fileName = fileName;
    this.reason = reason;
  }
}

/** The `code` of a Node.js system error (`ENOENT`, ...), if `error` is one. */
export function errnoCode(error: unknown): string | undefined {
  if (typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string') {
    return error.code;
  }
  return undefined;
}

function fixForOsCode(osCode: string, path: string): string {
  switch (osCode) {
    case 'ENOSPC':
    case 'EDQUOT':
      return `free space on the volume holding ${path}, then retry the write`;
    case 'EROFS':
      return `the file system holding ${path} is read-only; remount it read-write or choose another data directory`;
    case 'EACCES':
    case 'EPERM':
      return `give this process write permission on ${path} and its directory (or run as the owner of the data directory)`;
    case 'ENOENT':
      return `a directory on the way to ${path} vanished; if it was deleted, data was lost: restore it from a backup, then reopen the store`;
    case 'ENOTDIR':
      return `a component of ${path} is a regular file, not a directory; move that file away or choose another data directory`;
    case 'EISDIR':
      return `${path} is a directory where a value file was expected; move it away`;
    default:
      return `check the disk and the permissions of ${path}, then retry`;
  }
}

function describeValue(value: unknown): string {
  if (typeof value === 'string') {
    return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  }
  return `a ${value === null ? 'null' : typeof value}`;
}

/** One entry `readAllMonitors` could not return, with the typed error that explains why. */
export interface MonitorReadFailure {
  readonly key: string;
  readonly error: Error;
}

/**
 * Some stored ChannelMonitors could not be read or verified. Thrown instead of returning the readable
 * subset, because a node that starts without one of its monitors stops watching that channel and can lose
 * its funds to a revoked commitment. `readable` is there for recovery tools, not for starting up.
 */
export class UnreadableMonitorsError extends WorkshopError {
  readonly failures: readonly MonitorReadFailure[];
  readonly readable: ReadonlyArray<{ readonly key: string; readonly bytes: Uint8Array }>;

  constructor(
    context: string,
    total: number,
    failures: readonly MonitorReadFailure[],
    readable: ReadonlyArray<{ readonly key: string; readonly bytes: Uint8Array }>,
  ) {
    const details = failures.map((f) => `  - ${f.key}: ${f.error.message.split('\n')[0]}`).join('\n');
    super(
      'UNREADABLE_MONITORS',
      `${context}: expected all ${total} stored monitors to be valid records, got ${failures.length} unreadable:\n${details}`,
      'restore those files from a backup before starting the node; do not start without them, a channel whose ' +
        'monitor is missing is not watched for revoked commitments',
    );
    this.failures = failures;
    this.readable = readable;
  }
}

/**
 * An update could not be logged because an earlier write of the same channel failed and nothing has
 * repaired the channel's storage since. Logging it anyway would leave a hole (the failed update is not on
 * disk), and replaying the log after a restart would then skip a change the monitor had made. The next
 * call made after the failure is reported writes the whole monitor instead, which repairs the channel.
 */
export class UpdateLogStoppedError extends WorkshopError {
  /** The storage key (`<txid>_<vout>`) of the channel. */
  readonly key: string;

  constructor(context: string, key: string, earlier: Error) {
    super(
      'UPDATE_LOG_STOPPED',
      `${context}: expected the earlier write of channel ${key} to be durable, got a failure (${earlier.message.split('\n')[0]}); ` +
        'this update cannot be logged on its own',
      'treat the channel as failed (UnrecoverableError) until the disk is fixed; the next updatePersistedChannel ' +
        'call for this channel writes the whole monitor, which repairs its storage',
      { cause: earlier },
    );
    this.key = key;
  }
}
