import { readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  CorruptRecordError, FileStore, KVStorePersister, MonitorUpdatingPersister, UnreadableMonitorsError, encodeJsonRecord,
  encodeLogEntry, encodeMonitorUpdate, fundingOutpointKey,
} from '../../src/persist/index.js';
import { CountingMonitor, numberedUpdate, replay, updateNumber } from './numbered-updates.js';
import { KEY, OUTPOINT, channelWithUpdates, logPath, persistUpTo, reloadedUpTo, snapshotPath } from './update-log-fixtures.js';
import { useTempDirs } from './temp-dir.js';

const tempDir = useTempDirs();
const sizeOf = async (path: string) => (await stat(path).catch(() => undefined))?.size;
const frameBytes = (n: number) => encodeLogEntry(n, encodeMonitorUpdate(numberedUpdate(n))).length;

describe('MonitorUpdatingPersister', () => {
  it('reads back the last snapshot and the updates logged after it, in order', async () => {
    const root = await tempDir();
    const { persister } = await channelWithUpdates(root, 10, { snapshotEveryUpdates: 4 });
    const [channel] = await persister.readAllChannels();
    expect(channel!.key).toBe(KEY);
    expect(CountingMonitor.fromBytes(channel!.monitorBytes).appliedUpTo).toBe(8); // snapshots at updates 4 and 8
    expect(channel!.updates.map(updateNumber)).toEqual([9, 10]);
    expect(replay(channel!).appliedUpTo).toBe(10);
    await persister.close();
    expect(await reloadedUpTo(root)).toBe(10);
  });

  it('logs each update as exactly one entry appended to the log, and empties the log at every N-th update', async () => {
    const root = await tempDir();
    const { persister, monitor } = await channelWithUpdates(root, 0, { snapshotEveryUpdates: 4 });
    const sizes: Array<number | undefined> = [];
    const expected: number[] = [];
    let logged = 0;
    for (let n = 1; n <= 9; n++) {
      await persistUpTo(persister, monitor, n);
      sizes.push(await sizeOf(logPath(root)));
      logged = n % 4 === 0 ? 0 : logged + frameBytes(n);
      expected.push(logged);
    }
    expect(sizes).toEqual(expected);
    await persister.close();
  });

  it('writes the whole monitor for a block (update = null) and empties the log', async () => {
    const root = await tempDir();
    const { persister, monitor } = await channelWithUpdates(root, 3);
    expect(await sizeOf(logPath(root))).toBeGreaterThan(0);
    await persister.updatePersistedChannel(OUTPOINT, null, monitor);
    expect(await sizeOf(logPath(root))).toBe(0);
    const [channel] = await persister.readAllChannels();
    expect([CountingMonitor.fromBytes(channel!.monitorBytes).appliedUpTo, channel!.updates.length]).toEqual([3, 0]);
    await persistUpTo(persister, monitor, 5);
    await persister.close();
    expect(await reloadedUpTo(root)).toBe(5);
  });

  it('snapshotEveryUpdates 1 writes the whole monitor every time and never creates a log', async () => {
    const root = await tempDir();
    const { persister } = await channelWithUpdates(root, 5, { snapshotEveryUpdates: 1 });
    await persister.close();
    expect(await sizeOf(logPath(root))).toBeUndefined();
    expect(await reloadedUpTo(root)).toBe(5);
  });

  it('carries on after a restart, with or without reading the channels first', async () => {
    const root = await tempDir();
    const first = await channelWithUpdates(root, 6, { snapshotEveryUpdates: 4 });
    await first.persister.close();
    // Read first (what ChainMonitor.load does), then keep logging.
    const second = await MonitorUpdatingPersister.open(root, { snapshotEveryUpdates: 4 });
    const monitor = replay((await second.readAllChannels())[0]!);
    await persistUpTo(second, monitor, 9);
    await second.close();
    expect(await reloadedUpTo(root)).toBe(9);
    // Not read first: the persister cannot know the log, so the first call writes the whole monitor.
    const third = await MonitorUpdatingPersister.open(root, { snapshotEveryUpdates: 4 });
    await persistUpTo(third, monitor, 10);
    expect(await sizeOf(logPath(root))).toBe(0);
    await persistUpTo(third, monitor, 12);
    await third.close();
    expect(await reloadedUpTo(root)).toBe(12);
  });

  it('overlapping calls are written in call order, and each snapshot holds the monitor as it was at its call', async () => {
    const root = await tempDir();
    const { persister, monitor } = await channelWithUpdates(root, 0, { snapshotEveryUpdates: 4 });
    const calls: Promise<void>[] = [];
    for (let n = 1; n <= 10; n++) {
      const update = numberedUpdate(n);
      monitor.apply(update);
      calls.push(persister.updatePersistedChannel(OUTPOINT, update, monitor)); // not awaited
    }
    await Promise.all(calls);
    const [channel] = await persister.readAllChannels();
    expect(CountingMonitor.fromBytes(channel!.monitorBytes).appliedUpTo).toBe(8);
    expect(channel!.updates.map(updateNumber)).toEqual([9, 10]);
    await persister.close();
  });

  it('keeps channels apart and lists them sorted; files and directories are owner-only', async () => {
    const root = await tempDir();
    const persister = await MonitorUpdatingPersister.open(root, { snapshotEveryUpdates: 3 });
    const outpoints = [{ txid: 'bb'.repeat(32), vout: 2 }, { txid: 'aa'.repeat(32), vout: 7 }];
    const monitors = outpoints.map(() => new CountingMonitor());
    for (const [i, outpoint] of outpoints.entries()) await persister.persistNewChannel(outpoint, monitors[i]!);
    await persistUpTo(persister, monitors[0]!, 5, outpoints[0]);
    await persistUpTo(persister, monitors[1]!, 2, outpoints[1]);
    const channels = await persister.readAllChannels();
    expect(channels.map((c) => [c.key, replay(c).appliedUpTo])).toEqual([
      [fundingOutpointKey('aa'.repeat(32), 7), 2],
      [fundingOutpointKey('bb'.repeat(32), 2), 5],
    ]);
    const key = fundingOutpointKey('bb'.repeat(32), 2);
    for (const path of [snapshotPath(root, key), logPath(root, key)]) expect((await stat(path)).mode & 0o777).toBe(0o600);
    for (const dir of ['monitors', 'monitor_updates']) expect((await stat(join(root, dir))).mode & 0o777).toBe(0o700);
    await persister.close();
  });

  it('a log cut at every byte offset of its last entry loads the state before it, and the next append is kept', async () => {
    const root = await tempDir();
    const LAST = 8; // a PaymentPreimage: the smallest entry, so every offset is tried in well under a second per 100
    const { persister } = await channelWithUpdates(root, LAST);
    await persister.close();
    const whole = await readFile(logPath(root));
    const lastStart = whole.length - frameBytes(LAST);
    for (let cut = lastStart; cut < whole.length; cut++) {
      await writeFile(logPath(root), whole.subarray(0, cut));
      const reopened = await MonitorUpdatingPersister.open(root);
      const monitor = replay((await reopened.readAllChannels())[0]!);
      expect(monitor.appliedUpTo, `cut at ${cut}`).toBe(LAST - 1);
      await persistUpTo(reopened, monitor, LAST); // lands where the torn entry began, after cutting it
      await reopened.close();
      expect(await sizeOf(logPath(root)), `cut at ${cut}`).toBe(whole.length);
      expect(await reloadedUpTo(root), `cut at ${cut}`).toBe(LAST);
    }
  });

  it('a crash between writing a snapshot and emptying the log replays nothing twice, and the next append drops the stale entries', async () => {
    const root = await tempDir();
    const { persister, monitor } = await channelWithUpdates(root, 3, { snapshotEveryUpdates: 4 });
    const logBefore = await readFile(logPath(root));
    await persistUpTo(persister, monitor, 4); // the snapshot, then the log emptied
    await persister.close();
    await writeFile(logPath(root), logBefore); // as if the process died before emptying it
    expect(await reloadedUpTo(root)).toBe(4);
    const reopened = await MonitorUpdatingPersister.open(root, { snapshotEveryUpdates: 4 });
    const restored = replay((await reopened.readAllChannels())[0]!);
    await persistUpTo(reopened, restored, 5);
    await reopened.close();
    expect(await sizeOf(logPath(root))).toBe(frameBytes(5));
    expect(await reloadedUpTo(root)).toBe(5);
  });

  it('damage before the tail of a log is an error naming the file, for a reload and for the next write alike', async () => {
    const root = await tempDir();
    const { persister } = await channelWithUpdates(root, 5);
    await persister.close();
    const log = await readFile(logPath(root));
    log[frameBytes(1) + 30]! ^= 0x01; // inside entry 2 of 5
    await writeFile(logPath(root), log);
    const snapshotBefore = await readFile(snapshotPath(root));

    const reopened = await MonitorUpdatingPersister.open(root);
    const error = await reopened.readAllChannels().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnreadableMonitorsError);
    const [failure] = (error as UnreadableMonitorsError).failures;
    expect(failure!.error).toBeInstanceOf(CorruptRecordError);
    expect(failure!.error).toMatchObject({ fileName: logPath(root), reason: 'bad-checksum' });
    expect((error as Error).message).toContain(logPath(root));
    // Writing the whole monitor over it would hide the damage: refused too, and nothing is changed.
    await expect(reopened.updatePersistedChannel(OUTPOINT, null, new CountingMonitor(5))).rejects.toBeInstanceOf(CorruptRecordError);
    expect(await readFile(snapshotPath(root))).toEqual(snapshotBefore);
    await reopened.close();
  });

  it('a log without its snapshot is an error naming both files', async () => {
    const root = await tempDir();
    const { persister } = await channelWithUpdates(root, 2);
    await persister.close();
    await rm(snapshotPath(root));
    const error = await (await MonitorUpdatingPersister.open(root)).readAllChannels().catch((e: unknown) => e);
    expect((error as UnreadableMonitorsError).failures[0]!.error).toMatchObject({
      reason: 'orphan-update-log', fileName: logPath(root), message: expect.stringContaining(snapshotPath(root)),
    });
  });

  it('reads monitors KVStorePersister wrote (no update log yet), and snapshots before logging next to one', async () => {
    const root = await tempDir();
    await new KVStorePersister(await FileStore.open(root)).persistNewChannel(OUTPOINT, new CountingMonitor(0));
    const persister = await MonitorUpdatingPersister.open(root);
    const monitor = replay((await persister.readAllChannels())[0]!);
    await persistUpTo(persister, monitor, 1);
    expect(await sizeOf(logPath(root))).toBeUndefined(); // the first write replaced the bare monitor with a snapshot
    await persistUpTo(persister, monitor, 3);
    await persister.close();
    expect(await reloadedUpTo(root)).toBe(3);

    // The other way round is refused: a bare monitor next to a log means two persisters wrote this channel.
    await new KVStorePersister(await FileStore.open(root)).updatePersistedChannel(OUTPOINT, null, new CountingMonitor(3));
    const error = await (await MonitorUpdatingPersister.open(root)).readAllChannels().catch((e: unknown) => e);
    expect((error as UnreadableMonitorsError).failures[0]!.error).toMatchObject({ reason: 'orphan-update-log' });
  });

  it('refuses bad input with a typed error and writes nothing', async () => {
    const root = await tempDir();
    const { persister, monitor } = await channelWithUpdates(root, 2);
    const logBefore = await readFile(logPath(root));
    await expect(persister.updatePersistedChannel({ txid: 'xyz', vout: 0 }, numberedUpdate(3), monitor)).rejects.toMatchObject({ code: 'INVALID_OUTPOINT' });
    await expect(persister.updatePersistedChannel(OUTPOINT, { kind: 'PaymentPreimage', paymentPreimage: new Uint8Array(3) }, monitor))
      .rejects.toMatchObject({ code: 'INVALID_MONITOR_UPDATE' });
    await expect(persister.persistNewChannel(OUTPOINT, { toBytes: () => new TextEncoder().encode('{"not":"a record"}') }))
      .rejects.toMatchObject({ name: 'CorruptRecordError', message: expect.stringContaining('refused before writing') });
    expect(await readFile(logPath(root))).toEqual(logBefore);
    await persistUpTo(persister, monitor, 3); // numbering is unaffected by the refused calls
    await persister.close();
    expect(await reloadedUpTo(root)).toBe(3);
    await expect(persister.readAllChannels()).rejects.toMatchObject({ code: 'PERSISTER_CLOSED' });
    await expect(MonitorUpdatingPersister.open(root, { snapshotEveryUpdates: 0 })).rejects.toMatchObject({ code: 'INVALID_OPTION' });
  });

  it('an empty directory has no channels', async () => {
    const persister = await MonitorUpdatingPersister.open(join(await tempDir(), 'fresh', 'data'));
    expect(await persister.readAllChannels()).toEqual([]);
    await persister.close();
  });
});

describe('KVStorePersister', () => {
  it('writes the whole monitor every time, owner-only, and reads every channel back with no updates to replay', async () => {
    const root = await tempDir();
    const persister = new KVStorePersister(await FileStore.open(root));
    await persister.persistNewChannel(OUTPOINT, new CountingMonitor(0));
    await persister.updatePersistedChannel(OUTPOINT, numberedUpdate(1), new CountingMonitor(1));
    await persister.updatePersistedChannel(OUTPOINT, null, new CountingMonitor(2));
    const channels = await persister.readAllChannels();
    expect(channels.map((c) => [c.key, CountingMonitor.fromBytes(c.monitorBytes).appliedUpTo, c.updates])).toEqual([[KEY, 2, []]]);
    expect((await stat(snapshotPath(root))).mode & 0o777).toBe(0o600);
  });

  it('rejects a corrupt monitor with UnreadableMonitorsError naming the file, and bad bytes before writing', async () => {
    const root = await tempDir();
    const persister = new KVStorePersister(await FileStore.open(root));
    await persister.persistNewChannel(OUTPOINT, new CountingMonitor(0));
    const bytes = await readFile(snapshotPath(root));
    await writeFile(snapshotPath(root), bytes.subarray(0, bytes.length - 1));
    const error = await persister.readAllChannels().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnreadableMonitorsError);
    expect((error as Error).message).toContain(snapshotPath(root));
    await expect(persister.updatePersistedChannel(OUTPOINT, null, { toBytes: () => encodeJsonRecord('X', 1, {}).subarray(1) }))
      .rejects.toBeInstanceOf(CorruptRecordError);
  });
});
