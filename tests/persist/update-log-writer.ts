/**
 * Child process for the update-log crash test (`update-log-crash.test.ts`): `node update-log-writer.mjs <root>`
 * (the test bundles this file first, so a start-up costs no TypeScript compilation).
 *
 * Opens a MonitorUpdatingPersister at <root> that snapshots every `CRASH_SNAPSHOT_EVERY` updates, restores
 * its one channel (snapshot + replayed updates) into a `CountingMonitor`, prints `READY <n>`, then forever:
 * applies numbered update n+1, persists it, and every `CRASH_BLOCK_EVERY` updates also persists the
 * monitor as a block would (`update` = null); only after those resolved prints `COMPLETED <n+1>`, i.e.
 * "durable up to update n+1". The parent kills it with SIGKILL at a random moment.
 *
 * stdout is a pipe, and Node writes to pipes synchronously on Linux: once `write` returns, the line is in
 * the kernel's pipe buffer and survives the SIGKILL. Each line is far below PIPE_BUF, so it arrives whole.
 */
import { pathToFileURL } from 'node:url';
import { MonitorUpdatingPersister } from '../../src/persist/monitor-updating-persister.js';
import { CountingMonitor, numberedUpdate, replay } from './numbered-updates.js';

/** A snapshot every 3rd update, so that kills land in compactions often, not once in a hundred updates. */
export const CRASH_SNAPSHOT_EVERY = 3;
/** A block-triggered whole-monitor write after every 10th update: the other way a compaction starts. */
export const CRASH_BLOCK_EVERY = 10;
export const CRASH_OUTPOINT = Object.freeze({ txid: 'cd'.repeat(32), vout: 1 });

async function main(root: string): Promise<void> {
  const persister = await MonitorUpdatingPersister.open(root, { snapshotEveryUpdates: CRASH_SNAPSHOT_EVERY });
  const [stored] = await persister.readAllChannels();
  const monitor = stored === undefined ? new CountingMonitor() : replay(stored);
  if (stored === undefined) await persister.persistNewChannel(CRASH_OUTPOINT, monitor);
  process.stdout.write(`READY ${monitor.appliedUpTo}\n`);
  for (;;) {
    const update = numberedUpdate(monitor.appliedUpTo + 1);
    monitor.apply(update);
    await persister.updatePersistedChannel(CRASH_OUTPOINT, update, monitor);
    if (monitor.appliedUpTo % CRASH_BLOCK_EVERY === 0) await persister.updatePersistedChannel(CRASH_OUTPOINT, null, monitor);
    process.stdout.write(`COMPLETED ${monitor.appliedUpTo}\n`);
  }
}

// Run only as a script: the test imports this file for its constants and must not start a writer itself.
const root = process.argv[2];
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href && root !== undefined) {
  main(root).catch((error: unknown) => {
    process.stderr.write(`update-log-writer: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  });
}
