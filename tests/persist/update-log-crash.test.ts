/**
 * Crash safety of MonitorUpdatingPersister, for real: a child process keeps logging numbered updates (with
 * a compaction every few updates) and is killed with SIGKILL at random moments. After every kill, a reload
 * must give back exactly the updates the child reported durable, or those plus the one in flight: never
 * fewer (a lost update), never one twice (a double-applied update after a compaction), never a damaged log.
 *
 * What this proves: the log and the snapshot/compaction sequence are safe against a process crash at any
 * instruction, including between the snapshot's rename and the log's truncation. What it cannot prove:
 * durability against power loss (a killed process's writes are already in the page cache); the fdatasyncs
 * are there for that by design, and the fault tests check that a failed one is never reported durable.
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { killRepeatedly, type KilledRun } from '../helpers/kill-child.js';
import { MONITORS_NAMESPACE, MONITOR_UPDATES_NAMESPACE, MonitorUpdatingPersister, fundingOutpointKey, nodeFileSystem } from '../../src/persist/index.js';
import { readChannelFiles } from '../../src/persist/read-channel.js';
import { replay } from './numbered-updates.js';
import { CRASH_OUTPOINT, CRASH_SNAPSHOT_EVERY } from './update-log-writer.js';
import { useTempDirs } from './temp-dir.js';

const tempDir = useTempDirs();
const WRITER_SOURCE = join(import.meta.dirname, 'update-log-writer.ts');
const KEY = fundingOutpointKey(CRASH_OUTPOINT.txid, CRASH_OUTPOINT.vout);

/** Two children side by side keep both cores of a small machine busy (start-up dominates each run). */
const LANES = 2;
/** 2 × 60 = 120 kills, above the 100 required; a bundled child starts in ~0.1 s, so ~15 s on 2 idle cores. */
const KILLS_PER_LANE = 60;
/** ~15 s idle, but CPU is shared with other work: allow 6× before calling it a failure. */
const CRASH_TEST_TIMEOUT_MS = 120_000;

let bundleDir: string;
let writer: string;

beforeAll(async () => {
  // One plain-JS bundle of the child, so each of the 120 start-ups skips tsx's compilation (~4× faster).
  bundleDir = await mkdtemp(join(tmpdir(), 'lnlab-crash-bundle-'));
  writer = join(bundleDir, 'update-log-writer.mjs');
  await build({ entryPoints: [WRITER_SOURCE], outfile: writer, bundle: true, platform: 'node', format: 'esm', target: 'node20', logLevel: 'error' });
});
afterAll(async () => {
  await rm(bundleDir, { recursive: true, force: true });
});

/** What the kill left on disk, before any reader repairs it: evidence of where in a write it landed. */
interface KillEvidence {
  /** A snapshot temp file: killed inside the snapshot's atomic write. */
  readonly midSnapshot: boolean;
  /** Log entries the snapshot already includes: killed between the snapshot's rename and the log's truncation. */
  readonly betweenSnapshotAndTruncate: boolean;
  /** A partial last entry: killed inside an append. */
  readonly tornTail: boolean;
}

async function evidence(root: string): Promise<KillEvidence> {
  const temps = (await readdir(join(root, MONITORS_NAMESPACE))).filter((name) => name.endsWith('.tmp'));
  const files = await readChannelFiles(nodeFileSystem, KEY, join(root, MONITORS_NAMESPACE, KEY), join(root, MONITOR_UPDATES_NAMESPACE, KEY));
  return { midSnapshot: temps.length > 0, betweenSnapshotAndTruncate: files.staleCount > 0, tornTail: files.tornTailBytes > 0 };
}

async function inspect(root: string, { lastCompleted }: KilledRun): Promise<{ onDisk: number; extra: KillEvidence }> {
  const extra = await evidence(root);
  const persister = await MonitorUpdatingPersister.open(root, { snapshotEveryUpdates: CRASH_SNAPSHOT_EVERY });
  try {
    const channels = await persister.readAllChannels();
    expect(channels.map((c) => c.key)).toEqual([KEY]);
    // replay() throws on a missing, repeated or altered update, whatever the persister returned.
    const onDisk = replay(channels[0]!).appliedUpTo;
    // THE RULE. "COMPLETED n" is printed only after update n resolved, and update n+1 starts only after it:
    // at the kill, update n is durable, n+1 may or may not have landed, n+2 had not started.
    expect([lastCompleted, lastCompleted + 1]).toContain(onDisk);
    return { onDisk, extra };
  } finally {
    await persister.close();
  }
}

describe('MonitorUpdatingPersister crash safety', () => {
  it(`survives ${LANES * KILLS_PER_LANE} SIGKILLs at random moments, in appends and in compactions, with exactly the durable updates`, async () => {
    const outcomes = await killRepeatedly({ script: writer, lanes: LANES, killsPerLane: KILLS_PER_LANE, newRoot: tempDir, inspect });
    const count = (pick: (e: KillEvidence) => boolean) => outcomes.filter((o) => pick(o.extra)).length;
    const inCompaction = count((e) => e.midSnapshot || e.betweenSnapshotAndTruncate);
    console.log(`update-log crash test: ${outcomes.length} kills; in a snapshot write ${count((e) => e.midSnapshot)}, ` +
      `between snapshot and log truncation ${count((e) => e.betweenSnapshotAndTruncate)}, mid-append (torn tail) ${count((e) => e.tornTail)}, ` +
      `durable-but-unreported ${outcomes.filter((o) => o.onDisk === o.lastCompleted + 1).length}; ` +
      `updates reached ${outcomes.filter((_, i) => (i + 1) % KILLS_PER_LANE === 0).map((o) => o.onDisk).join(', ')}`);
    // The test is only worth something if the kills really hit compactions; a third of the time is spent there.
    expect(inCompaction).toBeGreaterThan(0);
  }, CRASH_TEST_TIMEOUT_MS);
});
