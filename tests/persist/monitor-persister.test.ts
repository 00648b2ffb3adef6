import { stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  CorruptRecordError, FileStore, KVStoreMonitorPersister, MONITORS_NAMESPACE, NotFoundError, UnreadableMonitorsError,
  decodeJsonRecord, encodeJsonRecord, fundingOutpointKey,
} from '../../src/persist/index.js';
import { useTempDirs } from './temp-dir.js';

const tempDir = useTempDirs();
const txid = (fill: string) => fill.repeat(64);
const monitor = (updateId: bigint) => encodeJsonRecord('ChannelMonitor', 1, { updateId, secret: new Uint8Array([7]) });

async function persisterAt(root: string) {
  const store = await FileStore.open(root);
  return { store, persister: new KVStoreMonitorPersister(store) };
}

describe('KVStoreMonitorPersister', () => {
  it('persists monitors under monitors/<txid>_<vout> and reads them all back, sorted, byte-exact', async () => {
    const { persister } = await persisterAt(await tempDir());
    const b = fundingOutpointKey(txid('b'), 1);
    const a = fundingOutpointKey(txid('a'), 0);
    await persister.persistMonitor(b, monitor(1n));
    await persister.persistMonitor(a, monitor(5n));
    await persister.persistMonitor(b, monitor(2n)); // an update replaces the earlier version
    const all = await persister.readAllMonitors();
    expect(all.map((m) => m.key)).toEqual([a, b]);
    expect(all[1]!.bytes).toEqual(monitor(2n));
    expect(decodeJsonRecord(all[1]!.bytes, 'x').value).toEqual({ updateId: 2n, secret: new Uint8Array([7]) });
  });

  it('an empty store has no monitors', async () => {
    const { persister } = await persisterAt(await tempDir());
    expect(await persister.readAllMonitors()).toEqual([]);
  });

  it('writes monitors owner-only (they hold revocation secrets)', async () => {
    const root = await tempDir();
    const { persister } = await persisterAt(root);
    await persister.persistMonitor('chan_0', monitor(1n));
    expect((await stat(join(root, MONITORS_NAMESPACE, 'chan_0'))).mode & 0o777).toBe(0o600);
    expect((await stat(join(root, MONITORS_NAMESPACE))).mode & 0o777).toBe(0o700);
  });

  it('refuses to persist bytes that are not a valid record, and writes nothing', async () => {
    const { store, persister } = await persisterAt(await tempDir());
    const error = await persister.persistMonitor('chan_0', new TextEncoder().encode('{"raw":"json"}')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CorruptRecordError);
    expect((error as CorruptRecordError).fileName).toBe(`${store.describe('monitors', 'chan_0')} (refused before writing)`);
    await expect(store.read('monitors', 'chan_0')).rejects.toBeInstanceOf(NotFoundError);
  });

  it('reports EVERY corrupt entry (none silently skipped), naming each file', async () => {
    const root = await tempDir();
    const { store, persister } = await persisterAt(root);
    for (const key of ['good_1', 'truncated_2', 'flipped_3', 'empty_4', 'good_5']) await persister.persistMonitor(key, monitor(1n));
    const truncated = monitor(1n);
    await writeFile(store.describe('monitors', 'truncated_2'), truncated.subarray(0, truncated.length - 10));
    const flipped = monitor(1n);
    flipped[20]! ^= 0x80;
    await writeFile(store.describe('monitors', 'flipped_3'), flipped);
    await writeFile(store.describe('monitors', 'empty_4'), new Uint8Array());

    const error = await persister.readAllMonitors().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnreadableMonitorsError);
    const { failures, readable, message, fix } = error as UnreadableMonitorsError;
    expect(failures.map((f) => [f.key, (f.error as CorruptRecordError).reason, (f.error as CorruptRecordError).fileName])).toEqual([
      ['empty_4', 'truncated', store.describe('monitors', 'empty_4')],
      ['flipped_3', 'bad-checksum', store.describe('monitors', 'flipped_3')],
      ['truncated_2', 'truncated', store.describe('monitors', 'truncated_2')],
    ]);
    expect(readable.map((m) => m.key)).toEqual(['good_1', 'good_5']);
    expect(message).toContain('expected all 5 stored monitors to be valid records, got 3 unreadable');
    for (const key of ['empty_4', 'flipped_3', 'truncated_2']) expect(message).toContain(store.describe('monitors', key));
    expect(fix).toMatch(/restore those files from a backup/);
  });

  it('rejects a bad key with the store\'s InvalidNameError', async () => {
    const { persister } = await persisterAt(await tempDir());
    await expect(persister.persistMonitor('../escape', monitor(1n))).rejects.toMatchObject({ name: 'InvalidNameError', argument: 'key' });
  });
});

describe('fundingOutpointKey', () => {
  it('formats <txid>_<vout> and validates both parts', () => {
    expect(fundingOutpointKey('0f'.repeat(32), 4_294_967_295)).toBe(`${'0f'.repeat(32)}_4294967295`);
    expect(() => fundingOutpointKey('ABC', 0)).toThrow(expect.objectContaining({ code: 'INVALID_OUTPOINT' }));
    expect(() => fundingOutpointKey(txid('A'), 0)).toThrow(/64 lowercase hex/);
    expect(() => fundingOutpointKey(txid('a'), -1)).toThrow(/vout expected an integer/);
    expect(() => fundingOutpointKey(txid('a'), 2 ** 32)).toThrow(/vout expected an integer/);
  });
});
