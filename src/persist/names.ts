/**
 * The naming rule shared by every `KVStore`: namespaces and keys are plain, portable file names.
 */
import { InvalidNameError, type NameArgument } from './errors.js';

/**
 * Longest namespace or key accepted. Well under every file system's 255-byte name limit, leaving room for
 * the temporary-file decoration (`.<key>.<random>.tmp`); a funding outpoint key (`<64-hex txid>_<vout>`)
 * needs at most 75.
 */
export const MAX_NAME_LENGTH = 120;

/**
 * Letters, digits, `_` and `-` only. No `.` means no `..` path escape and no collision with the store's
 * temporary files (which start with `.`); no `/` or `\` means a name is always exactly one path component;
 * ASCII only means no Unicode-normalisation surprises on macOS file systems.
 */
const SAFE_NAME = /^[A-Za-z0-9_-]+$/;

/** True when `name` is a valid namespace or key. Used by `list` to ignore foreign and temporary files. */
export function isValidName(name: string): boolean {
  return name.length > 0 && name.length <= MAX_NAME_LENGTH && SAFE_NAME.test(name);
}

/**
 * Throws `InvalidNameError` naming `argument` unless `value` is a valid name. Every `KVStore` method calls
 * this before touching storage, so a bad name fails the same way in every implementation.
 *
 * @param context - the call being made, e.g. `FileStore.write`, for the error message.
 */
export function assertValidName(context: string, argument: NameArgument, value: unknown): asserts value is string {
  if (typeof value !== 'string') {
    throw new InvalidNameError(context, argument, value, 'not a string');
  }
  if (value.length === 0) {
    throw new InvalidNameError(context, argument, value, 'empty');
  }
  if (value.length > MAX_NAME_LENGTH) {
    throw new InvalidNameError(context, argument, value, `${value.length} characters`);
  }
  const bad = [...value].findIndex((ch) => !SAFE_NAME.test(ch));
  if (bad !== -1) {
    throw new InvalidNameError(context, argument, value, `character ${JSON.stringify([...value][bad])} at index ${bad}`);
  }
}
