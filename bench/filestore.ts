/**
 * Benchmark: how many durable updates per second `FileStore` achieves for a ~2 KB record, next to the
 * floor set by the disk itself (raw `write` + `fsync` of the same bytes to an already-open file), measured
 * in the same run so the ratio is meaningful on any machine.
 *
 * Run directly: `node --import tsx bench/filestore.ts` (prints JSON). The lead wires it into `npm run bench`.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { FileStore } from '../src/persist/file-store.js';
import { encodeRecord } from '../src/persist/record.js';

/** One measurement, in the shape benchmark dashboards expect: a name, a value, a unit, then parameters. */
export interface BenchResult {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
  readonly [parameter: string]: string | number;
}

/** Options for `benchFileStore`. */
export interface FileStoreBenchOptions {
  /** Measuring time per contender, split over `ROUNDS` alternating rounds (default 2,000 ms). */
  readonly durationMs?: number;
  /** Total size of each record on disk (default 2,048: a small ChannelMonitor). */
  readonly recordBytes?: number;
  /** Where to put the files (default: a fresh temp directory, removed afterwards). Use the disk you care about. */
  readonly dir?: string;
}

const DEFAULT_DURATION_MS = 2_000;
const DEFAULT_RECORD_BYTES = 2_048;
/** Contenders alternate in rounds, so a burst of load from elsewhere hurts both rather than one. */
const ROUNDS = 4;
/** Untimed iterations first: JIT warm-up and first-write allocation would otherwise count against whoever runs first. */
const WARMUP_ITERATIONS = 20;
/** Record framing around the payload: magic 4 + frame version 1 + kind length 1 + kind + version 2 + length 4 + SHA-256 32. */
const KIND = 'Bench';
const FRAME_OVERHEAD = 4 + 1 + 1 + KIND.length + 2 + 4 + 32;

/**
 * Measure FileStore updates/s and raw write+fsync/s for `recordBytes`-sized records. Resolves to
 * `[fileStore, raw, ratio]` results. Each FileStore update encodes a fresh record (counter + checksum) and
 * writes it to one key, as a ChainMonitor persisting one channel would.
 */
export async function benchFileStore(options: FileStoreBenchOptions = {}): Promise<BenchResult[]> {
  const durationMs = options.durationMs ?? DEFAULT_DURATION_MS;
  const recordBytes = options.recordBytes ?? DEFAULT_RECORD_BYTES;
  const dir = options.dir ?? (await mkdtemp(join(tmpdir(), 'lnlab-bench-')));
  const payload = randomBytes(Math.max(0, recordBytes - FRAME_OVERHEAD));
  const store = await FileStore.open(join(dir, 'store'));
  const raw = await open(join(dir, 'raw.bin'), 'w');
  let counter = 0;
  const fileStoreUpdate = async () => {
    new DataView(payload.buffer, payload.byteOffset).setUint32(0, counter++); // every record differs
    await store.write('bench', 'record', encodeRecord(KIND, 1, payload));
  };
  const rawBuffer = randomBytes(recordBytes);
  const rawUpdate = async () => {
    await raw.write(rawBuffer, 0, rawBuffer.length, 0);
    await raw.sync();
  };
  try {
    for (let i = 0; i < WARMUP_ITERATIONS; i++) {
      await fileStoreUpdate();
      await rawUpdate();
    }
    const totals = { fileStore: { ops: 0, ms: 0 }, raw: { ops: 0, ms: 0 } };
    for (let round = 0; round < ROUNDS; round++) {
      for (const [which, update] of [['fileStore', fileStoreUpdate], ['raw', rawUpdate]] as const) {
        const start = performance.now();
        const deadline = start + durationMs / ROUNDS;
        let ops = 0;
        while (performance.now() < deadline) {
          await update();
          ops++;
        }
        totals[which].ops += ops;
        totals[which].ms += performance.now() - start;
      }
    }
    const perSecond = (t: { ops: number; ms: number }) => Math.round((t.ops * 1000) / t.ms);
    const fileStorePerSecond = perSecond(totals.fileStore);
    const rawPerSecond = perSecond(totals.raw);
    const params = { recordBytes, durationMs };
    return [
      { name: 'filestore_durable_updates', value: fileStorePerSecond, unit: 'updates/s', ...params, updates: totals.fileStore.ops },
      { name: 'raw_write_fsync', value: rawPerSecond, unit: 'writes/s', ...params, writes: totals.raw.ops },
      // FileStore pays create + write + fsync(file) + rename + fsync(dir) per update: two fsyncs and two
      // metadata changes versus one data fsync (measured ~5× on the workshop VM's ext4 disk).
      { name: 'filestore_cost_vs_raw', value: Math.round((rawPerSecond / fileStorePerSecond) * 100) / 100, unit: 'x slower', ...params },
    ];
  } finally {
    await raw.close();
    if (options.dir === undefined) await rm(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.log(JSON.stringify(await benchFileStore(), null, 2));
}
