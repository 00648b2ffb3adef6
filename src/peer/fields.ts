/**
 * Field checks for message validation: each reads one field of an untrusted object and throws
 * `MalformedMessageError` naming the message, the field, what was expected and what arrived.
 */
import { PUBLIC_KEY_BYTES, parsePublicKey } from '../ln/keys.js';
import { MalformedMessageError } from './errors.js';

/** BOLT signatures in messages are 64-byte compact (r || s). */
export const COMPACT_SIGNATURE_BYTES = 64;
/** Hashes, secrets, chain hashes and channel ids are 32 bytes. */
export const BYTES_32 = 32;
const U64_MAX = (1n << 64n) - 1n;
const HEX_32 = /^[0-9a-f]{64}$/;

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (value instanceof Uint8Array) return `${value.length} bytes`;
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 70 ? `${value.slice(0, 70)}…` : value)}`;
  return `${typeof value} ${String(value)}`;
}

/** Reads the fields of one message (or of a nested object, with `path` prefixing field names). */
export class FieldReader {
  constructor(
    readonly messageType: string,
    private readonly object: Readonly<Record<string, unknown>>,
    private readonly path = '',
  ) {}

  fail(field: string, expected: string, value: unknown): never {
    throw new MalformedMessageError(this.messageType, `${this.path}${field}`, expected, describe(value));
  }

  raw(field: string): unknown {
    return this.object[field];
  }

  bytes(field: string, length?: number): Uint8Array {
    const value = this.object[field];
    if (!(value instanceof Uint8Array) || (length !== undefined && value.length !== length)) {
      this.fail(field, length === undefined ? 'bytes' : `${length} bytes`, value);
    }
    return value;
  }

  signature(field: string): Uint8Array {
    return this.bytes(field, COMPACT_SIGNATURE_BYTES);
  }

  pubkey(field: string): Uint8Array {
    const value = this.bytes(field, PUBLIC_KEY_BYTES);
    try {
      parsePublicKey(value, field);
    } catch {
      this.fail(field, 'a compressed secp256k1 point', value);
    }
    return value;
  }

  hex32(field: string): string {
    const value = this.object[field];
    if (typeof value !== 'string' || !HEX_32.test(value)) this.fail(field, '64 lowercase hex characters', value);
    return value;
  }

  int(field: string, min: number, max: number): number {
    const value = this.object[field];
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      this.fail(field, `an integer from ${min} to ${max}`, value);
    }
    return value;
  }

  u8(field: string): number {
    return this.int(field, 0, 0xff);
  }

  u16(field: string): number {
    return this.int(field, 0, 0xffff);
  }

  u32(field: string): number {
    return this.int(field, 0, 0xffff_ffff);
  }

  u64(field: string, min = 0n): bigint {
    const value = this.object[field];
    if (typeof value !== 'bigint' || value < min || value > U64_MAX) this.fail(field, `a bigint from ${min} to 2^64-1`, value);
    return value;
  }

  string(field: string, maxLength: number): string {
    const value = this.object[field];
    if (typeof value !== 'string' || value.length > maxLength) this.fail(field, `a string of at most ${maxLength} characters`, value);
    return value;
  }

  array(field: string, maxLength: number): readonly unknown[] {
    const value = this.object[field];
    if (!Array.isArray(value) || value.length > maxLength) this.fail(field, `an array of at most ${maxLength} entries`, value);
    return value;
  }

  /** A reader for a nested object (or array: its fields are then the indices) field. */
  nested(field: string): FieldReader {
    const value = this.object[field];
    if (typeof value !== 'object' || value === null || value instanceof Uint8Array) {
      this.fail(field, 'an object', value);
    }
    return new FieldReader(this.messageType, value as Record<string, unknown>, `${this.path}${field}.`);
  }
}
