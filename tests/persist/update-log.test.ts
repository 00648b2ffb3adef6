/** The update log's entry format: what is a torn tail (dropped) and what is damage (an error naming the file). */
import { crc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  CorruptRecordError, LOG_ENTRY_HEADER_BYTES, LOG_ENTRY_TRAILER_BYTES, encodeLogEntry, encodeMonitorUpdate, planReplay,
  scanUpdateLog,
} from '../../src/persist/index.js';
import { numberedUpdate } from './numbered-updates.js';

const FILE = '/data/monitor_updates/chan_0';

function entries(ids: number[]): Uint8Array[] {
  return ids.map((id) => encodeLogEntry(id, encodeMonitorUpdate(numberedUpdate(id))));
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, p) => sum + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

function corruptError(run: () => unknown): CorruptRecordError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(CorruptRecordError);
    return error as CorruptRecordError;
  }
  throw new Error('expected a CorruptRecordError, got none');
}

describe('update log entries', () => {
  it('scans back every entry, in order, byte-exact', () => {
    const parts = entries([1, 2, 3, 4]);
    const log = scanUpdateLog(concat(parts), FILE);
    expect(log.entries.map((e) => e.updateId)).toEqual([1, 2, 3, 4]);
    expect(log.entries.map((e) => [...e.payload])).toEqual(parts.map((p) => [...p.subarray(LOG_ENTRY_HEADER_BYTES, p.length - LOG_ENTRY_TRAILER_BYTES)]));
    expect(log).toMatchObject({ validLength: concat(parts).length, tornTailBytes: 0 });
    expect(scanUpdateLog(new Uint8Array(), FILE)).toEqual({ entries: [], validLength: 0, tornTailBytes: 0 });
  });

  it('a log cut at every byte offset of its last entry reads as the entries before it, with the rest a torn tail', () => {
    const parts = entries([1, 2, 3]);
    const whole = concat(parts);
    const lastStart = whole.length - parts[2]!.length;
    for (let cut = lastStart; cut < whole.length; cut++) {
      const log = scanUpdateLog(whole.subarray(0, cut), FILE);
      expect(log.entries.map((e) => e.updateId), `cut at ${cut}`).toEqual([1, 2]);
      expect(log).toMatchObject({ validLength: lastStart, tornTailBytes: cut - lastStart });
    }
  });

  it('a complete last entry with a bad checksum is a torn tail; zeros after the last entry are too', () => {
    const parts = entries([1, 2]);
    const damaged = concat(parts);
    damaged[damaged.length - 10]! ^= 0x40;
    expect(scanUpdateLog(damaged, FILE)).toMatchObject({ validLength: parts[0]!.length, tornTailBytes: parts[1]!.length });
    const zeroTail = concat([...parts, new Uint8Array(4096)]);
    expect(scanUpdateLog(zeroTail, FILE)).toMatchObject({ validLength: parts[0]!.length + parts[1]!.length, tornTailBytes: 4096 });
  });

  it.each([
    ['a payload byte', LOG_ENTRY_HEADER_BYTES + 5, 'bad-checksum'],
    ['the payload length', 7, 'bad-header'],
    ['the update id', 15, 'bad-header'],
    ['the magic', 1, 'bad-magic'],
  ])('damage to %s of an entry before the tail is an error naming the file and offset', (_label, position, reason) => {
    const parts = entries([1, 2, 3]);
    const second = parts[0]!.length; // damage the middle entry
    const bytes = concat(parts);
    bytes[second + position]! ^= 0x01;
    const error = corruptError(() => scanUpdateLog(bytes, FILE));
    expect(error).toMatchObject({ fileName: FILE, reason });
    expect(error.message).toContain(`at byte ${second}`);
  });

  it('a header damaged in the last entry is an error too unless only zeros follow (never guess that acknowledged data is torn)', () => {
    const parts = entries([1, 2]);
    const bytes = concat(parts);
    bytes[parts[0]!.length + 6]! ^= 0x01; // the length of the last entry
    expect(corruptError(() => scanUpdateLog(bytes, FILE)).reason).toBe('bad-header');
  });

  it('an entry written by a newer frame version is refused as such', () => {
    const entry = encodeLogEntry(1, encodeMonitorUpdate(numberedUpdate(1)));
    entry[4] = 2;
    // Re-seal the header CRC as a newer writer would, so only the version is "wrong".
    new DataView(entry.buffer).setUint32(17, crc32(entry.subarray(0, 17)));
    expect(corruptError(() => scanUpdateLog(concat([entry, ...entries([2])]), FILE)).reason).toBe('unsupported-frame-version');
  });

  it('refuses to frame an id that is not a positive safe integer', () => {
    expect(() => encodeLogEntry(0, new Uint8Array())).toThrow(RangeError);
    expect(() => encodeLogEntry(2 ** 53, new Uint8Array())).toThrow(/positive safe integer/);
  });
});

describe('planReplay', () => {
  const scan = (ids: number[]) => scanUpdateLog(concat(entries(ids)), FILE);

  it('replays the entries after the snapshot and skips those it includes (an interrupted compaction)', () => {
    expect(planReplay(scan([4, 5, 6]), 3, FILE)).toMatchObject({ fresh: [{ updateId: 4 }, { updateId: 5 }, { updateId: 6 }], staleCount: 0 });
    expect(planReplay(scan([1, 2, 3]), 3, FILE)).toMatchObject({ fresh: [], staleCount: 3 });
    expect(planReplay(scan([2, 3, 4]), 3, FILE)).toMatchObject({ fresh: [{ updateId: 4 }], staleCount: 2 });
  });

  it('a missing update is an error naming the file and the ids, never a silently shorter replay', () => {
    const missing = corruptError(() => planReplay(scan([4, 6]), 3, FILE));
    expect(missing).toMatchObject({ fileName: FILE, reason: 'missing-update' });
    expect(missing.message).toMatch(/expected update 5 .*got update 6; updates 5–5 are missing/);
    expect(corruptError(() => planReplay(scan([5]), 3, FILE)).reason).toBe('missing-update');
  });

  it('an older id after a newer one is an error', () => {
    expect(corruptError(() => planReplay(scan([4, 5, 2]), 3, FILE)).reason).toBe('out-of-order');
    expect(corruptError(() => planReplay(scan([4, 4]), 3, FILE)).reason).toBe('out-of-order');
  });
});
