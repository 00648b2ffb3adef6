/**
 * A `ChannelMonitorUpdate` as bytes: what `MonitorUpdatingPersister` appends to a channel's update log, so
 * that a restarted node can replay, with `updateMonitor`, every change made since the last full snapshot.
 *
 * The bytes are a JSON record (`encodeJsonRecord`) of kind `ChannelMonitorUpdate`: magic, format version
 * and SHA-256 come from the record frame, bigints and byte arrays from its tags, and the commitment
 * transaction is stored as its serialized hex (`Transaction.toHex`). Both directions check the shape with
 * the same rules, so nothing is written that could not be read back, and nothing read back reaches a
 * monitor unchecked.
 *
 * @see LDK `lightning::chain::channelmonitor::ChannelMonitorUpdate` (serialized with its update id)
 */
import { Transaction } from 'bitcoinjs-lib';
import { WorkshopError } from '../errors.js';
import { PUBLIC_KEY_BYTES } from '../ln/keys.js';
import { FIRST_PER_COMMITMENT_INDEX, PER_COMMITMENT_SECRET_BYTES } from '../ln/secrets.js';
import { assertHtlc, type CommitmentHtlc } from '../ln/types.js';
import { PAYMENT_PREIMAGE_BYTES, type ChannelMonitorUpdate } from '../monitor/updates.js';
import { CorruptRecordError } from './errors.js';
import { decodeJsonRecord } from './json-record.js';
import { encodeRecord } from './record.js';

/** The record kind of an encoded update. */
export const MONITOR_UPDATE_RECORD_KIND = 'ChannelMonitorUpdate';
/** Bump (and keep a reader for 1) when the stored shape below changes. */
export const MONITOR_UPDATE_FORMAT_VERSION = 1;

/** Commitment numbers count up from 0 and never exceed the 48-bit index space (BOLT 3). */
const MAX_COMMITMENT_NUMBER = FIRST_PER_COMMITMENT_INDEX;
const TXID_HEX = /^[0-9a-f]{64}$/;
/** Serialized transactions are stored as lowercase hex of whole bytes. */
const TX_HEX = /^(?:[0-9a-f]{2})+$/;

/** The fields each kind carries (besides `kind`); anything else is refused, in both directions. */
const FIELDS: Readonly<Record<ChannelMonitorUpdate['kind'], readonly string[]>> = Object.freeze({
  PaymentPreimage: ['paymentPreimage'],
  CommitmentSecret: ['index', 'secret'],
  LatestHolderCommitmentTx: ['commitmentTx', 'commitmentNumber', 'htlcs'],
  LatestCounterpartyCommitmentTx: ['txid', 'commitmentNumber', 'perCommitmentPoint', 'htlcs'],
});

/** A shape problem: where (`$.htlcs[0].amountMsat`) and `expected X, got Y`. Wrapped by the callers. */
class ShapeProblem extends Error {}

/**
 * Encode `update` as a `ChannelMonitorUpdate` record. Throws a `WorkshopError` (`INVALID_MONITOR_UPDATE`)
 * naming the field for anything that is not a well-formed update (unknown kind, missing or extra field,
 * wrong byte length, out-of-range number): refusing it here keeps every logged update replayable.
 */
export function encodeMonitorUpdate(update: ChannelMonitorUpdate): Uint8Array {
  let stored: Record<string, unknown>;
  try {
    stored = toStored(update);
  } catch (error) {
    if (!(error instanceof ShapeProblem)) throw error;
    throw new WorkshopError('INVALID_MONITOR_UPDATE', `encodeMonitorUpdate: ${error.message}`,
      'pass a ChannelMonitorUpdate as the ChannelManager builds it (see src/monitor/updates.ts for the four kinds)');
  }
  // The same bytes encodeJsonRecord would write, without its general-purpose tree walk: the shape is fixed
  // and checked above (no `$` keys, no values JSON would alter), so tagging the known fields and one plain
  // JSON.stringify does it at a third of the cost, once per logged update. (A replacer function would
  // be simpler, but it takes V8 off its fast path: slower than the tree walk, measured.)
  const tagged: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(stored)) {
    tagged[key] = key === 'htlcs' ? (value as CommitmentHtlc[]).map(tagHtlc) : tagScalar(value);
  }
  return encodeRecord(MONITOR_UPDATE_RECORD_KIND, MONITOR_UPDATE_FORMAT_VERSION, new TextEncoder().encode(JSON.stringify(tagged)));
}

/** json-record.ts's tags for one value: `{"$bigint":"…"}`, `{"$bytes":"<hex>"}`, anything else as is. */
function tagScalar(value: unknown): unknown {
  if (typeof value === 'bigint') return { $bigint: value.toString(10) };
  if (value instanceof Uint8Array) return { $bytes: Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('hex') };
  return value;
}

function tagHtlc(htlc: CommitmentHtlc): Record<string, unknown> {
  return { direction: htlc.direction, amountMsat: tagScalar(htlc.amountMsat), paymentHash: tagScalar(htlc.paymentHash), cltvExpiry: htlc.cltvExpiry };
}

/**
 * Decode and verify bytes written by `encodeMonitorUpdate`. Any framing, checksum, version or shape
 * problem is a `CorruptRecordError` naming `fileNameForErrors` (reason `bad-payload` for a bad shape).
 * The result is frozen.
 */
export function decodeMonitorUpdate(bytes: Uint8Array, fileNameForErrors: string): ChannelMonitorUpdate {
  const { value } = decodeJsonRecord(bytes, fileNameForErrors, {
    kind: MONITOR_UPDATE_RECORD_KIND,
    formatVersion: MONITOR_UPDATE_FORMAT_VERSION,
  });
  try {
    return fromStored(value);
  } catch (error) {
    if (!(error instanceof ShapeProblem)) throw error;
    throw new CorruptRecordError(fileNameForErrors, 'bad-payload', error.message);
  }
}

function toStored(update: ChannelMonitorUpdate): Record<string, unknown> {
  const kind = checkKindAndFields(update);
  switch (kind) {
    case 'PaymentPreimage':
    case 'CommitmentSecret':
    case 'LatestCounterpartyCommitmentTx':
      checkFields(kind, update as unknown as Record<string, unknown>);
      return { ...update };
    case 'LatestHolderCommitmentTx': {
      const { commitmentTx } = update as { commitmentTx?: unknown };
      if (typeof (commitmentTx as Transaction | undefined)?.toHex !== 'function') {
        throw new ShapeProblem(`at $.commitmentTx: expected a bitcoinjs Transaction, got ${describe(commitmentTx)}`);
      }
      const stored = { ...update, commitmentTx: (commitmentTx as Transaction).toHex() };
      checkFields(kind, stored);
      return stored;
    }
  }
}

function fromStored(value: unknown): ChannelMonitorUpdate {
  const kind = checkKindAndFields(value);
  const stored = value as Record<string, unknown>;
  checkFields(kind, stored);
  if (kind !== 'LatestHolderCommitmentTx') {
    const htlcs = stored.htlcs as CommitmentHtlc[] | undefined;
    return Object.freeze({ ...stored, ...(htlcs ? { htlcs: freezeHtlcs(htlcs) } : {}) }) as unknown as ChannelMonitorUpdate;
  }
  let commitmentTx: Transaction;
  try {
    commitmentTx = Transaction.fromHex(stored.commitmentTx as string);
  } catch (error) {
    throw new ShapeProblem(`at $.commitmentTx: expected a serialized transaction, got one that does not parse (${
      error instanceof Error ? error.message : String(error)})`);
  }
  return Object.freeze({
    kind,
    commitmentTx,
    commitmentNumber: stored.commitmentNumber as bigint,
    htlcs: freezeHtlcs(stored.htlcs as CommitmentHtlc[]),
  });
}

/** Checks `kind` and that exactly its fields are present; returns the kind. */
function checkKindAndFields(value: unknown): ChannelMonitorUpdate['kind'] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ShapeProblem(`at $: expected an update object, got ${describe(value)}`);
  }
  const { kind } = value as { kind?: unknown };
  if (typeof kind !== 'string' || !Object.hasOwn(FIELDS, kind)) {
    throw new ShapeProblem(`at $.kind: expected one of ${Object.keys(FIELDS).join(', ')}, got ${describe(kind)}`);
  }
  const expected = FIELDS[kind as ChannelMonitorUpdate['kind']];
  const present = Object.keys(value).filter((key) => key !== 'kind' && (value as Record<string, unknown>)[key] !== undefined);
  const extra = present.find((key) => !expected.includes(key));
  if (extra !== undefined) throw new ShapeProblem(`at $.${extra}: expected no such field in a ${kind} update, got one`);
  const missing = expected.find((key) => !present.includes(key));
  if (missing !== undefined) throw new ShapeProblem(`at $.${missing}: expected a value (${kind} needs ${expected.join(', ')}), got none`);
  return kind as ChannelMonitorUpdate['kind'];
}

/** The per-field rules, with the commitment transaction in its stored (hex) form. */
function checkFields(kind: ChannelMonitorUpdate['kind'], stored: Record<string, unknown>): void {
  switch (kind) {
    case 'PaymentPreimage':
      checkBytes(stored.paymentPreimage, PAYMENT_PREIMAGE_BYTES, 'paymentPreimage');
      return;
    case 'CommitmentSecret':
      checkBigInt(stored.index, FIRST_PER_COMMITMENT_INDEX, 'index');
      checkBytes(stored.secret, PER_COMMITMENT_SECRET_BYTES, 'secret');
      return;
    case 'LatestHolderCommitmentTx':
      if (typeof stored.commitmentTx !== 'string' || !TX_HEX.test(stored.commitmentTx)) {
        throw new ShapeProblem(`at $.commitmentTx: expected transaction hex, got ${describe(stored.commitmentTx)}`);
      }
      checkBigInt(stored.commitmentNumber, MAX_COMMITMENT_NUMBER, 'commitmentNumber');
      checkHtlcs(stored.htlcs);
      return;
    case 'LatestCounterpartyCommitmentTx':
      if (typeof stored.txid !== 'string' || !TXID_HEX.test(stored.txid)) {
        throw new ShapeProblem(`at $.txid: expected 64 lowercase hex characters, got ${describe(stored.txid)}`);
      }
      checkBigInt(stored.commitmentNumber, MAX_COMMITMENT_NUMBER, 'commitmentNumber');
      checkBytes(stored.perCommitmentPoint, PUBLIC_KEY_BYTES, 'perCommitmentPoint');
      checkHtlcs(stored.htlcs);
      return;
  }
}

function checkBytes(value: unknown, length: number, field: string): void {
  if (!(value instanceof Uint8Array) || value.length !== length) {
    throw new ShapeProblem(`at $.${field}: expected ${length} bytes, got ${describe(value)}`);
  }
}

function checkBigInt(value: unknown, max: bigint, field: string): void {
  if (typeof value !== 'bigint' || value < 0n || value > max) {
    throw new ShapeProblem(`at $.${field}: expected a bigint from 0 to ${max}, got ${describe(value)}`);
  }
}

function checkHtlcs(value: unknown): void {
  if (!Array.isArray(value)) throw new ShapeProblem(`at $.htlcs: expected an array of HTLCs, got ${describe(value)}`);
  value.forEach((htlc: unknown, i) => {
    try {
      assertHtlc(htlc as CommitmentHtlc, `$.htlcs[${i}]`);
    } catch (error) {
      throw new ShapeProblem(`at ${error instanceof Error ? error.message : String(error)}`);
    }
    const extra = Object.keys(htlc as object).find((key) => !['direction', 'amountMsat', 'paymentHash', 'cltvExpiry'].includes(key));
    if (extra !== undefined) throw new ShapeProblem(`at $.htlcs[${i}].${extra}: expected no such field in an HTLC, got one`);
  });
}

function freezeHtlcs(htlcs: readonly CommitmentHtlc[]): readonly CommitmentHtlc[] {
  return Object.freeze(htlcs.map((htlc) => Object.freeze({ ...htlc })));
}

/** A short description for messages; never the bytes of a secret. */
function describe(value: unknown): string {
  if (value instanceof Uint8Array) return `${value.length} bytes`;
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (Array.isArray(value)) return `an array of ${value.length}`;
  return value === null ? 'null' : typeof value;
}
