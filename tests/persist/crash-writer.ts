/**
 * Child process for the crash-safety test (`crash-safety.test.ts`): `node --import tsx crash-writer.ts <root>`.
 *
 * Opens a FileStore at <root> (which cleans temp files a previous, killed writer left), resumes from the
 * counter record on disk, prints `READY <n>`, then forever: writes record n+1, and only after `write`
 * resolved prints `COMPLETED <n+1>`. The parent kills it with SIGKILL at a random moment.
 *
 * stdout is a pipe, and on Linux Node writes to pipes synchronously: once `process.stdout.write` returns,
 * the line is in the kernel pipe buffer and survives our SIGKILL. Each line is far below PIPE_BUF (4 KiB),
 * so it arrives whole or not at all.
 */
import { randomBytes } from 'node:crypto';
import { pathToFileURL } from 'node:url';
// Direct module imports, not the barrel: fewer files for tsx to load on each of the ~50 start-ups.
import { NotFoundError } from '../../src/persist/errors.js';
import { FileStore } from '../../src/persist/file-store.js';
import { decodeJsonRecord, encodeJsonRecord } from '../../src/persist/json-record.js';

export const CRASH_NAMESPACE = 'crash';
export const CRASH_KEY = 'counter';
export const CRASH_KIND = 'CrashCounter';
export const CRASH_FORMAT_VERSION = 1;
/** Random bytes per record; hex-encoded in JSON they make a ~2 KB record, like a small ChannelMonitor. */
const PADDING_BYTES = 1_000;

/** The record the child writes: a counter plus random padding, so two versions never share content. */
export interface CrashCounter {
  readonly n: number;
  readonly padding: Uint8Array;
}

async function main(root: string): Promise<void> {
  const store = await FileStore.open(root);
  let n = 0;
  try {
    const bytes = await store.read(CRASH_NAMESPACE, CRASH_KEY);
    n = decodeJsonRecord<CrashCounter>(bytes, store.describe(CRASH_NAMESPACE, CRASH_KEY), {
      kind: CRASH_KIND, formatVersion: CRASH_FORMAT_VERSION,
    }).value.n;
  } catch (error) {
    if (!(error instanceof NotFoundError)) throw error; // a corrupt record must stop us, loudly
  }
  process.stdout.write(`READY ${n}\n`);
  for (;;) {
    n += 1;
    const record = encodeJsonRecord(CRASH_KIND, CRASH_FORMAT_VERSION, { n, padding: randomBytes(PADDING_BYTES) });
    await store.write(CRASH_NAMESPACE, CRASH_KEY, record);
    process.stdout.write(`COMPLETED ${n}\n`);
  }
}

// Run only as a script: the test imports this file for its constants and must not start a writer itself.
const root = process.argv[2];
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href && root !== undefined) {
  main(root).catch((error: unknown) => {
    process.stderr.write(`crash-writer: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  });
}
