/**
 * Byte and number guards shared by the BOLT 3 modules. Internal: the barrel does not export this file.
 * Guards throw `TypeError` for a wrong type and `RangeError` for a wrong length or range, and name the
 * argument and what arrived, so a learner sees which call was wrong.
 */
import { bytesToHex, concatBytes, hexToBytes } from '@noble/hashes/utils.js';

export { bytesToHex, concatBytes, hexToBytes };

/** Throws unless `value` is a `Uint8Array` of exactly `length` bytes; returns it for chaining. */
export function assertBytes(value: unknown, length: number | undefined, context: string): Uint8Array {
  if (!(value instanceof Uint8Array)) {
    throw new TypeError(`${context}: expected Uint8Array, got ${describeValue(value)}`);
  }
  if (length !== undefined && value.length !== length) {
    throw new RangeError(`${context}: expected ${length} bytes, got ${value.length}`);
  }
  return value;
}

/** Throws unless `value` is a bigint in [min, max]; returns it. */
export function assertBigIntRange(value: unknown, min: bigint, max: bigint, context: string): bigint {
  if (typeof value !== 'bigint') {
    throw new TypeError(`${context}: expected bigint, got ${describeValue(value)} (write 42n, or BigInt(x))`);
  }
  if (value < min || value > max) {
    throw new RangeError(`${context}: expected ${min} ≤ value ≤ ${max}, got ${value}`);
  }
  return value;
}

/** Throws unless `value` is an integer number in [min, max]; returns it. */
export function assertIntRange(value: unknown, min: number, max: number, context: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw new TypeError(`${context}: expected an integer number, got ${describeValue(value)}`);
  }
  if (value < min || value > max) {
    throw new RangeError(`${context}: expected ${min} ≤ value ≤ ${max}, got ${value}`);
  }
  return value;
}

/** Byte-wise lexicographic comparison (a shorter prefix sorts first), as BIP 69 and BOLT 3 require. */
export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const shared = Math.min(a.length, b.length);
  for (let i = 0; i < shared; i++) {
    const difference = (a[i] as number) - (b[i] as number);
    if (difference !== 0) return difference;
  }
  return a.length - b.length;
}

/** True when both arrays hold the same bytes. */
export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && compareBytes(a, b) === 0;
}

/** Big-endian bytes of a non-negative bigint, left-padded to `length`. */
export function bigIntToBytesBE(value: bigint, length: number): Uint8Array {
  const out = new Uint8Array(length);
  let rest = value;
  for (let i = length - 1; i >= 0; i--) {
    out[i] = Number(rest & 0xffn);
    rest >>= 8n;
  }
  return out;
}

/** The non-negative bigint encoded big-endian by `bytes`. */
export function bytesToBigIntBE(bytes: Uint8Array): bigint {
  let value = 0n;
  for (const byte of bytes) value = (value << 8n) | BigInt(byte);
  return value;
}

/** A short description of an unexpected value for an error message (never the value of a secret). */
function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (value instanceof Uint8Array) return `Uint8Array(${value.length})`;
  if (Array.isArray(value)) return `array(${value.length})`;
  if (typeof value === 'number' || typeof value === 'bigint') return `${typeof value} ${String(value)}`;
  return typeof value;
}
