/**
 * MonitorUpdatingPersister when the disk fails: ENOSPC and EIO injected through the fs seam into appends,
 * fdatasyncs and every step of a compaction. Each time the promise must reject (never a "durable" that is
 * not), a reload from the real disk must yield the state before the failed call, and the channel must be
 * repairable once the disk works again.
 */
import { readFile, readdir, stat } from 'node:fs/promises';
import { join, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MONITORS_NAMESPACE, MonitorUpdatingPersister, PersistError, UpdateLogStoppedError } from '../../src/persist/index.js';
import { CountingMonitor, numberedUpdate } from './numbered-updates.js';
import { FaultyFileSystem, type Fault } from './fault-fs.js';
import { KEY, OUTPOINT, channelWithUpdates, logPath, persistUpTo, reloadedUpTo, snapshotPath } from './update-log-fixtures.js';
import { useTempDirs } from './temp-dir.js';

const tempDir = useTempDirs();
const SNAPSHOT_EVERY = 4;
const isLog = (path: string) => path.endsWith(join('monitor_updates', KEY));
const isSnapshotTemp = (path: string) => path.includes(`${sep}${MONITORS_NAMESPACE}${sep}.`) && path.endsWith('.tmp');
const isMonitorsDir = (path: string) => path.endsWith(MONITORS_NAMESPACE);

/**
 * A channel with updates 1…`durable` persisted on the real disk, then reopened over a faulty file system
 * and read (as a node does on start-up), ready for the failing call.
 */
async function setUp(durable: number) {
  const root = await tempDir();
  const first = await channelWithUpdates(root, durable, { snapshotEveryUpdates: SNAPSHOT_EVERY });
  await first.persister.close();
  const faulty = new FaultyFileSystem();
  const persister = await MonitorUpdatingPersister.open(root, { snapshotEveryUpdates: SNAPSHOT_EVERY, fs: faulty.fs });
  await persister.readAllChannels();
  const files = { log: await readFile(logPath(root)).catch(() => undefined), snapshot: await readFile(snapshotPath(root)) };
  return { root, faulty, persister, monitor: new CountingMonitor(durable), files };
}

/** Apply update `monitor.appliedUpTo + 1` and persist it; resolves to the rejection (fails the test if none). */
async function failingUpdate(persister: MonitorUpdatingPersister, monitor: CountingMonitor): Promise<PersistError> {
  const update = numberedUpdate(monitor.appliedUpTo + 1);
  monitor.apply(update);
  const error = await persister.updatePersistedChannel(OUTPOINT, update, monitor).then(() => undefined, (e: unknown) => e);
  expect(error, 'the call should have rejected').toBeInstanceOf(PersistError);
  return error as PersistError;
}

describe('MonitorUpdatingPersister disk faults', () => {
  // Update 6 is an append (5 is logged after the snapshot at 4); update 8 is a compaction.
  const appendCases: Array<[string, Fault, string]> = [
    ['disk full mid-write (ENOSPC, half the entry written)', { path: isLog, method: 'write', code: 'ENOSPC', partial: true }, 'append to the update log'],
    ['a failing fdatasync (EIO)', { path: isLog, method: 'datasync', code: 'EIO', times: 1 }, 'fdatasync the update log'],
  ];

  it.each(appendCases)('append: %s rejects, and a reload yields the state before it', async (_label, fault, stage) => {
    const { root, faulty, persister, monitor, files } = await setUp(5);
    faulty.arm(fault);
    const error = await failingUpdate(persister, monitor);
    expect(error).toMatchObject({ stage, osCode: fault.code, path: logPath(root) });
    expect(error.message).toMatch(/not durable; a reload yields the channel as it was before it/);
    expect(await readFile(logPath(root))).toEqual(files.log); // cut back, not just "discarded on load"
    expect(await reloadedUpTo(root)).toBe(5);
    expect(faulty.reusedAfterFailure).toEqual([]); // the failed handle was closed, never written or synced again
    await persister.close();
  });

  it('append: a disk that keeps failing gets every call rejected, and what it left is never applied twice', async () => {
    const { root, faulty, persister, monitor, files } = await setUp(5);
    faulty.arm({ path: isLog, method: 'datasync', code: 'EIO' });
    faulty.arm({ path: isLog, method: 'truncate', code: 'EIO' });
    await failingUpdate(persister, monitor);
    // The cut-back failed too, so entry 6 (written, never synced) is still in the log: the one in flight.
    expect(await reloadedUpTo(root)).toBe(6);
    faulty.arm({ path: isSnapshotTemp, method: 'sync', code: 'EIO' }); // the disk is failing everywhere now
    await failingUpdate(persister, monitor);
    expect(faulty.reusedAfterFailure).toEqual([]);
    // Writes work again, truncation still fails, and a block comes: the whole monitor (with 6 and 7) must
    // be marked as including entry 6, which stays in the log, or a reload would apply it a second time.
    faulty.disarmAll('sync');
    faulty.disarmAll('datasync');
    await persister.updatePersistedChannel(OUTPOINT, null, monitor);
    expect((await readFile(logPath(root))).length).toBeGreaterThan(files.log!.length); // entry 6 is still there
    expect(await reloadedUpTo(root)).toBe(7);
    await persister.close();
  });

  it('after a failed append, queued updates are refused, and the next call writes the whole monitor and repairs the channel', async () => {
    const { root, faulty, persister, monitor } = await setUp(5);
    faulty.arm({ path: isLog, method: 'datasync', code: 'EIO', times: 1 });
    const calls = [6, 7].map((n) => {
      const update = numberedUpdate(n);
      monitor.apply(update);
      return persister.updatePersistedChannel(OUTPOINT, update, monitor).then(() => 'resolved', (e: unknown) => e);
    });
    const [first, second] = await Promise.all(calls);
    expect(first).toBeInstanceOf(PersistError);
    expect(second).toBeInstanceOf(UpdateLogStoppedError);
    expect((second as UpdateLogStoppedError).message).toMatch(/expected the earlier write of channel .* to be durable, got a failure/);
    expect(await reloadedUpTo(root)).toBe(5);
    // The disk works again (the fault fired once): this update goes out as a whole monitor, holding 6 and 7 too.
    await persistUpTo(persister, monitor, 8);
    expect(await reloadedUpTo(root)).toBe(8);
    await persistUpTo(persister, monitor, 9); // and logging resumes
    expect((await stat(logPath(root))).size).toBeGreaterThan(0);
    expect(await reloadedUpTo(root)).toBe(9);
    expect(faulty.reusedAfterFailure).toEqual([]); // on a fresh handle, never the one whose fdatasync failed
    await persister.close();
  });

  it('append: failing to create the log (directory fsync) rejects, and nothing is acknowledged', async () => {
    const root = await tempDir();
    const faulty = new FaultyFileSystem();
    const persister = await MonitorUpdatingPersister.open(root, { snapshotEveryUpdates: SNAPSHOT_EVERY, fs: faulty.fs });
    const monitor = new CountingMonitor();
    await persister.persistNewChannel(OUTPOINT, monitor);
    faulty.arm({ path: (p) => p.endsWith('monitor_updates'), method: 'sync', code: 'EIO', times: 1 });
    expect(await failingUpdate(persister, monitor)).toMatchObject({ stage: 'create the update log', osCode: 'EIO' });
    expect(await reloadedUpTo(root)).toBe(0);
    await persister.close();
  });

  it('a channel that cannot be read on first use rejects, and its next update is not logged alone', async () => {
    const root = await tempDir();
    const first = await channelWithUpdates(root, 5, { snapshotEveryUpdates: SNAPSHOT_EVERY });
    await first.persister.close();
    const faulty = new FaultyFileSystem();
    const persister = await MonitorUpdatingPersister.open(root, { snapshotEveryUpdates: SNAPSHOT_EVERY, fs: faulty.fs });
    const monitor = new CountingMonitor(5); // not read back first: the first call writes the whole monitor
    faulty.arm({ path: isLog, method: 'readFile', code: 'EIO', times: 1 });
    expect(await failingUpdate(persister, monitor)).toMatchObject({ stage: 'read the file', osCode: 'EIO', path: logPath(root) });
    await persistUpTo(persister, monitor, 7); // must carry update 6 too, which no log entry holds
    expect(await reloadedUpTo(root)).toBe(7);
    await persister.close();
  });

  const compactionCases: Array<[string, Fault, string]> = [
    ['disk full writing the snapshot (ENOSPC)', { path: isSnapshotTemp, method: 'writeFile', code: 'ENOSPC', partial: true }, 'write the temporary file'],
    ['a failing fsync of the snapshot (EIO)', { path: isSnapshotTemp, method: 'sync', code: 'EIO' }, 'fsync the temporary file'],
    ['a failing rename (EIO)', { path: isSnapshotTemp, method: 'rename', code: 'EIO' }, 'rename the temporary file over the target'],
  ];

  it.each(compactionCases)('compaction: %s rejects, and a reload yields the state before it', async (_label, fault, stage) => {
    const { root, faulty, persister, monitor, files } = await setUp(7);
    faulty.arm(fault);
    const error = await failingUpdate(persister, monitor); // update 8: a snapshot
    expect(error).toMatchObject({ stage, osCode: fault.code, path: snapshotPath(root) });
    expect(await readFile(snapshotPath(root))).toEqual(files.snapshot);
    expect(await readFile(logPath(root))).toEqual(files.log);
    expect((await readdir(join(root, MONITORS_NAMESPACE))).filter((name) => name.endsWith('.tmp'))).toEqual([]);
    expect(await reloadedUpTo(root)).toBe(7);
    faulty.disarmAll();
    await persistUpTo(persister, monitor, 9); // repaired by the next call
    expect(await reloadedUpTo(root)).toBe(9);
    await persister.close();
  });

  it('compaction: a block-triggered snapshot (update = null) that fails rejects and changes nothing', async () => {
    const { root, faulty, persister, monitor, files } = await setUp(6);
    faulty.arm({ path: isSnapshotTemp, method: 'sync', code: 'EIO' });
    await expect(persister.updatePersistedChannel(OUTPOINT, null, monitor)).rejects.toMatchObject({ stage: 'fsync the temporary file' });
    expect(await readFile(logPath(root))).toEqual(files.log);
    expect(await reloadedUpTo(root)).toBe(6);
    await persister.close();
  });

  it('compaction: a failing directory fsync after the rename rejects (not known durable); a reload sees the new snapshot, never a mix', async () => {
    const { root, faulty, persister, monitor } = await setUp(7);
    faulty.arm({ path: isMonitorsDir, method: 'sync', code: 'EIO', times: 1 });
    expect(await failingUpdate(persister, monitor)).toMatchObject({ stage: 'fsync the directory' });
    // The rename is visible: the update in flight is there, and the log (not yet emptied) is all stale.
    expect(await reloadedUpTo(root)).toBe(8);
    await persistUpTo(persister, monitor, 9);
    expect(await reloadedUpTo(root)).toBe(9);
    await persister.close();
  });

  it('compaction: if only emptying the log fails, the update is durable (resolves); the stale entries are skipped, then cut', async () => {
    const { root, faulty, persister, monitor, files } = await setUp(7);
    faulty.arm({ path: isLog, method: 'truncate', code: 'EIO', times: 1 });
    await persistUpTo(persister, monitor, 8);
    expect(faulty.fired).toBe(1);
    expect(await readFile(logPath(root))).toEqual(files.log); // entries 5–7, all inside snapshot 8
    expect(await reloadedUpTo(root)).toBe(8);
    await persistUpTo(persister, monitor, 9);
    expect((await readFile(logPath(root))).length).toBeLessThan(files.log!.length); // the stale entries are gone
    expect(await reloadedUpTo(root)).toBe(9);
    await persister.close();
  });
});
