/**
 * ChainMonitor crash safety, for real: a child process keeps adding payment preimages to one channel
 * through the real stack (ChainMonitor → KVStoreMonitorPersister → FileStore) and is killed with SIGKILL
 * at random moments; after every kill, `ChainMonitor.load` over the same directory must succeed and hold
 * every update the child reported `Completed` (plus at most the one in flight), in order.
 *
 * Like `tests/persist/crash-safety.test.ts` this proves atomicity and "Completed means on disk" against a
 * process crash, not durability against power loss (a killed process's writes survive in the page cache).
 */
import { WholeMonitorPersist } from '../../src/internal.js';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { killRepeatedly, type KilledRun } from '../helpers/kill-child.js';
import { FileStore } from '../../src/persist/file-store.js';
import { KVStoreMonitorPersister } from '../../src/persist/monitor-persister.js';
import { ChainMonitor } from '../helpers/reference.js';
import { useTempDirs } from '../persist/temp-dir.js';
import { fixedFeeEstimator, noopBroadcaster, preimageNumber, storeDir } from './crash-updater.js';

const tempDir = useTempDirs();
const UPDATER = join(import.meta.dirname, 'crash-updater.ts');
/** Independent updaters side by side, each in its own directory (tsx start-up dominates; see persist test). */
const LANES = 2;
/** 2 × 25 = 50 kills, the required minimum. */
const KILLS_PER_LANE = 25;
/** Well under 40 s on an idle machine, but CI CPU is shared: allow plenty before calling it a failure. */
const CRASH_TEST_TIMEOUT_MS = 300_000;



/** Reload as a restarted node would; a torn or corrupt monitor makes `load` reject and fails the test. */
async function reloadPreimages(root: string): Promise<number[]> {
  const persister = new KVStoreMonitorPersister(await FileStore.open(storeDir(root)));
  const chainMonitor = await ChainMonitor.load(new WholeMonitorPersist(persister), noopBroadcaster, fixedFeeEstimator);
  expect(chainMonitor.monitors.size).toBe(1); // watchChannel completed before READY, so it is always there
  const [monitor] = chainMonitor.monitors.values();
  return monitor!.preimages.map(preimageNumber);
}

/** Reloads after a kill and checks the N / N+1 rule; reports how many preimages survived. */
async function inspect(root: string, { lastCompleted }: KilledRun): Promise<{ onDisk: number; extra: null }> {
  const preimages = await reloadPreimages(root);
  // THE N / N+1 RULE. The child prints "COMPLETED n" only after updateChannel(n) answered Completed, i.e.
  // after the monitor holding preimage n was durably written, and starts update n+1 only after printing.
  // So at the kill: update N = lastCompleted is certainly on disk; update N+1 may or may not have landed
  // (killed after its write but before its print, or before its write); N+2 had not started. A correct
  // monitor stack therefore shows exactly N or N+1 preimages. Fewer means "Completed" was reported before
  // the write was durable; more, or a load that throws, means a torn, corrupt or out-of-order write.
  expect([lastCompleted, lastCompleted + 1]).toContain(preimages.length);
  // ...and they are exactly preimages 1..n, in the order they were added.
  expect(preimages).toEqual(Array.from({ length: preimages.length }, (_, k) => k + 1));
  return { onDisk: preimages.length, extra: null };
}

describe('ChainMonitor crash safety', () => {
  it(`keeps every Completed update across ${LANES * KILLS_PER_LANE} SIGKILLs at random moments`, async () => {
    const outcomes = await killRepeatedly({ script: UPDATER, lanes: LANES, killsPerLane: KILLS_PER_LANE, newRoot: tempDir, inspect });
    const writtenNotReported = outcomes.filter((o) => o.onDisk === o.lastCompleted + 1).length;
    console.log(`monitor crash test: ${outcomes.length} kills; written-but-unreported ${writtenNotReported} times; ` +
      `final preimage counts ${outcomes.filter((_, i) => (i + 1) % KILLS_PER_LANE === 0).map((o) => o.onDisk).join(', ')}`);
  }, CRASH_TEST_TIMEOUT_MS);
});
