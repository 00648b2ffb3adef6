import { writeFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import {
  CorruptRecordError, FileStore, RECORD_MAGIC, decodeRecord, encodeRecord, type CorruptReason,
} from '../../src/persist/index.js';
import { useTempDirs } from './temp-dir.js';

const tempDir = useTempDirs();
const payload = new TextEncoder().encode('{"channel":"abc","commitment":42}');
const good = () => encodeRecord('ChannelMonitor', 2, payload);

/** Put `bytes` on disk as monitors/chan_0 (bypassing the store, as a damaged disk would), read it back. */
async function roundTripThroughDisk(bytes: Uint8Array): Promise<{ read: Uint8Array; file: string }> {
  const store = await FileStore.open(await tempDir());
  await store.write('monitors', 'chan_0', new Uint8Array());
  const file = store.describe('monitors', 'chan_0');
  await writeFile(file, bytes);
  return { read: await store.read('monitors', 'chan_0'), file };
}

function expectCorrupt(run: () => unknown, file: string, reason?: CorruptReason): CorruptRecordError {
  let caught: unknown;
  try {
    run();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(CorruptRecordError);
  const error = caught as CorruptRecordError;
  expect(error.code).toBe('CORRUPT_RECORD');
  expect(error.fileName).toBe(file);
  expect(error.message.startsWith(`${file}: expected`)).toBe(true);
  if (reason) expect(error.reason).toBe(reason);
  return error;
}

describe('encodeRecord / decodeRecord', () => {
  it('round-trips kind, format version and payload through a real file', async () => {
    const { read, file } = await roundTripThroughDisk(good());
    const record = decodeRecord(read, file, { kind: 'ChannelMonitor', formatVersion: 2 });
    expect(record).toEqual({ kind: 'ChannelMonitor', formatVersion: 2, payload });
  });

  it('starts with the magic and ends with a 32-byte checksum; an empty payload is allowed', () => {
    const bytes = encodeRecord('K', 0, new Uint8Array());
    expect(new TextDecoder().decode(bytes.subarray(0, 4))).toBe(RECORD_MAGIC);
    expect(bytes.length).toBe(4 + 1 + 1 + 1 + 2 + 4 + 32);
    expect(decodeRecord(bytes, 'f').payload.length).toBe(0);
  });

  it('an empty file is "truncated", never an empty record', async () => {
    const { read, file } = await roundTripThroughDisk(new Uint8Array());
    expectCorrupt(() => decodeRecord(read, file), file, 'truncated');
  });

  it('every truncation of a record is detected', async () => {
    const bytes = good();
    const { read, file } = await roundTripThroughDisk(bytes.subarray(0, bytes.length - 1));
    expectCorrupt(() => decodeRecord(read, file), file, 'truncated');
    for (let length = 0; length < bytes.length; length++) {
      expectCorrupt(() => decodeRecord(bytes.subarray(0, length), file), file, 'truncated');
    }
  });

  it('a flipped payload bit is a bad checksum naming the file', async () => {
    const bytes = good();
    bytes[bytes.length - 40]! ^= 0x01;
    const { read, file } = await roundTripThroughDisk(bytes);
    const error = expectCorrupt(() => decodeRecord(read, file), file, 'bad-checksum');
    expect(error.fix).toMatch(/restore .* from a backup/);
  });

  it('every single-bit flip anywhere in the record is detected', () => {
    const original = good();
    for (let bit = 0; bit < original.length * 8; bit++) {
      const bytes = original.slice();
      bytes[bit >> 3]! ^= 1 << (bit & 7);
      expectCorrupt(() => decodeRecord(bytes, 'flip'), 'flip');
    }
  });

  it('foreign bytes are bad-magic; extra bytes after the checksum are trailing-bytes', async () => {
    const foreign = await roundTripThroughDisk(new TextEncoder().encode('{"json":"but not framed"}'));
    expectCorrupt(() => decodeRecord(foreign.read, foreign.file), foreign.file, 'bad-magic');
    const extra = await roundTripThroughDisk(new Uint8Array([...good(), 0]));
    expectCorrupt(() => decodeRecord(extra.read, extra.file), extra.file, 'trailing-bytes');
  });

  it('an unknown frame version is rejected before anything else is interpreted', async () => {
    const bytes = good();
    bytes[4] = 2;
    const { read, file } = await roundTripThroughDisk(bytes);
    const error = expectCorrupt(() => decodeRecord(read, file), file, 'unsupported-frame-version');
    expect(error.fix).toMatch(/program version that wrote it/);
  });

  it('a wrong payload format version or kind is rejected when the reader states its expectation', async () => {
    const { read, file } = await roundTripThroughDisk(encodeRecord('ChannelMonitor', 3, payload));
    const error = expectCorrupt(() => decodeRecord(read, file, { formatVersion: 2 }), file, 'unsupported-format-version');
    expect(error.message).toContain('expected ChannelMonitor format version 2, got 3');
    expect(decodeRecord(read, file, { formatVersion: [2, 3] }).formatVersion).toBe(3);
    expect(decodeRecord(read, file).formatVersion).toBe(3); // no expectation: caller migrates
    expectCorrupt(() => decodeRecord(read, file, { kind: 'NetworkGraph' }), file, 'wrong-kind');
  });

  it('refuses to encode what it could not decode', () => {
    for (const call of [
      () => encodeRecord('', 1, payload),
      () => encodeRecord('bad kind', 1, payload),
      () => encodeRecord('K', -1, payload),
      () => encodeRecord('K', 65_536, payload),
      () => encodeRecord('K', 1.5, payload),
      () => encodeRecord('K', 1, 'text' as unknown as Uint8Array),
    ]) {
      expect(call).toThrow(expect.objectContaining({ code: 'INVALID_RECORD_INPUT' }));
    }
  });
});
