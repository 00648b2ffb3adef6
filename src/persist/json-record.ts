/**
 * JSON payloads for records, with the two value types a ChannelMonitor is full of and plain JSON cannot
 * hold: `bigint` (satoshi amounts, commitment numbers) and `Uint8Array` (keys, txids, signatures).
 *
 * Tagged encoding: `123n` → `{"$bigint":"123"}`, bytes → `{"$bytes":"<hex>"}`. An ordinary object key that
 * starts with `$` is escaped with one more `$` (`"$ref"` → `"$$ref"`), so no user data can pose as a tag.
 * Anything JSON would silently change (NaN → null, a Map → {}, a Date → string) is refused when encoding
 * instead: a persisted monitor must read back exactly as written.
 */
import { WorkshopError } from '../errors.js';
import { CorruptRecordError } from './errors.js';
import { decodeRecord, encodeRecord, type RecordExpectation } from './record.js';

const BIGINT_TAG = '$bigint';
const BYTES_TAG = '$bytes';
const TAG_CHAR = '$';
const DECIMAL = /^-?(0|[1-9][0-9]*)$/;
const HEX = /^(?:[0-9a-f]{2})*$/;

/** A JSON record's decoded fields; `value` is whatever was encoded, with bigints and byte arrays restored. */
export interface DecodedJsonRecord<T> {
  readonly kind: string;
  readonly formatVersion: number;
  readonly value: T;
}

/**
 * Encode `value` as tagged JSON inside a record of `kind`/`formatVersion`. Accepts null, booleans,
 * strings, finite numbers, bigints, Uint8Arrays, arrays and plain objects (properties whose value is
 * `undefined` are omitted, as in JSON). Throws a `WorkshopError` (`UNENCODABLE_VALUE`) naming the path of
 * anything else (NaN, a Map, a class instance, a cycle, an `undefined` array element).
 */
export function encodeJsonRecord(kind: string, formatVersion: number, value: unknown): Uint8Array {
  const json = JSON.stringify(toTagged(value, '$', new Set()));
  return encodeRecord(kind, formatVersion, new TextEncoder().encode(json));
}

/**
 * Decode a record written by `encodeJsonRecord`. Any framing problem, invalid UTF-8, invalid JSON or
 * malformed tag is a `CorruptRecordError` naming `fileNameForErrors`. `T` is the caller's claim about the
 * shape; it is not checked here, so validate the result (the serializer owns that).
 */
export function decodeJsonRecord<T = unknown>(
  bytes: Uint8Array,
  fileNameForErrors: string,
  expected: RecordExpectation = {},
): DecodedJsonRecord<T> {
  const record = decodeRecord(bytes, fileNameForErrors, expected);
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(record.payload));
  } catch (error) {
    throw new CorruptRecordError(fileNameForErrors, 'bad-payload',
      `expected a UTF-8 JSON payload, got ${error instanceof Error ? error.message : String(error)}`);
  }
  return { kind: record.kind, formatVersion: record.formatVersion, value: fromTagged(parsed, '$', fileNameForErrors) as T };
}

function toTagged(value: unknown, path: string, ancestors: Set<object>): unknown {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      if (!Number.isFinite(value)) throw unencodable(path, 'a finite number', String(value));
      return value;
    case 'bigint':
      return { [BIGINT_TAG]: value.toString(10) };
    case 'object':
      break;
    default:
      throw unencodable(path, 'a JSON value, bigint or Uint8Array', typeof value);
  }
  if (value === null) return null;
  if (value instanceof Uint8Array) {
    // Buffer's hex codec is native: ~10× faster than mapping bytes in JS, which matters for every logged update.
    return { [BYTES_TAG]: Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('hex') };
  }
  if (ancestors.has(value)) throw unencodable(path, 'a tree', 'a reference cycle');
  ancestors.add(value);
  try {
    if (Array.isArray(value)) {
      return Array.from(value, (item, i) => {
        if (item === undefined) throw unencodable(`${path}[${i}]`, 'a value', 'undefined (JSON would turn it into null)');
        return toTagged(item, `${path}[${i}]`, ancestors);
      });
    }
    const proto: unknown = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) {
      throw unencodable(path, 'a plain object, array, bigint or Uint8Array', value.constructor?.name ?? 'an exotic object');
    }
    // fromEntries defines own properties, so even a "__proto__" key stays data and never sets a prototype.
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, item]) => item !== undefined)
        .map(([key, item]) => [key.startsWith(TAG_CHAR) ? TAG_CHAR + key : key, toTagged(item, `${path}.${key}`, ancestors)]),
    );
  } finally {
    ancestors.delete(value);
  }
}

function fromTagged(value: unknown, path: string, fileName: string): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map((item, i) => fromTagged(item, `${path}[${i}]`, fileName));
  const entries = Object.entries(value);
  const bad = (what: string, got: unknown) =>
    new CorruptRecordError(fileName, 'bad-payload', `at ${path}: expected ${what}, got ${JSON.stringify(got)}`);
  const [first] = entries;
  if (entries.length === 1 && first !== undefined && first[0] === BIGINT_TAG) {
    if (typeof first[1] !== 'string' || !DECIMAL.test(first[1])) throw bad('a decimal integer string', first[1]);
    return BigInt(first[1]);
  }
  if (entries.length === 1 && first !== undefined && first[0] === BYTES_TAG) {
    if (typeof first[1] !== 'string' || !HEX.test(first[1])) throw bad('lowercase hex of whole bytes', first[1]);
    return new Uint8Array(Buffer.from(first[1], 'hex')); // a plain Uint8Array copy, checked as whole lowercase bytes above
  }
  return Object.fromEntries(
    entries.map(([key, item]) => {
      if (key.startsWith(TAG_CHAR) && !key.startsWith(TAG_CHAR + TAG_CHAR)) {
        throw bad('an escaped "$$…" key or a lone tag', key);
      }
      const name = key.startsWith(TAG_CHAR) ? key.slice(1) : key;
      return [name, fromTagged(item, `${path}.${name}`, fileName)];
    }),
  );
}

function unencodable(path: string, expected: string, got: string): WorkshopError {
  return new WorkshopError('UNENCODABLE_VALUE', `encodeJsonRecord: value at ${path} expected ${expected}, got ${got}`,
    'convert it first (e.g. a Map to an array of [key, value] pairs, a Date to a number of milliseconds)');
}
