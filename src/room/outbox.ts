/**
 * The learner's outbox: every verdict is appended to `<LNLAB_HOME>/class-outbox.jsonl` (then flushed to
 * disk) before anything is sent, so a verdict survives a dropped network, a closed laptop and a killed
 * kernel.
 * A small state file remembers how far the server has acknowledged (`sentBytes`), which reports it
 * refused for good, and how the last attempt went.
 *
 * Several processes may report at once (a notebook kernel and `lnlab grade`): each line is one
 * `O_APPEND` write, so lines never interleave; the file is never rewritten, so no one's line is lost to
 * a compaction race. If two senders race on the state file the worse outcome is a report sent twice,
 * which the server recognises by its id.
 */
import { close, closeSync, fdatasync, fstatSync, mkdirSync, openSync, readFileSync, readSync, renameSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { RoomReport } from './protocol.js';

const OUTBOX_FILE = 'class-outbox.jsonl';
const STATE_FILE = 'class-outbox-state.json';
const NEWLINE = 0x0a;
/** Refused reports remembered (to skip them and to list them); older ones drop off, oldest first. */
const MAX_REJECTED_KEPT = 100;

export interface RejectedReport {
  readonly reportId: string;
  readonly exercise: string;
  readonly reason: string;
}

export interface OutboxState {
  /** Bytes of the outbox the server has acknowledged, from the start of the file. */
  readonly sentBytes: number;
  readonly rejected: readonly RejectedReport[];
  /** Why the last attempt did not deliver everything, for `lnlab class status`. */
  readonly lastError?: string;
  readonly lastDeliveredAt?: string;
}

const EMPTY_STATE: OutboxState = Object.freeze({ sentBytes: 0, rejected: [] });

export function outboxFile(home: string): string {
  return join(home, OUTBOX_FILE);
}

/**
 * Appends `reports`, one JSON line each, as one synchronous write: when this returns, the lines are in
 * the operating system's cache, so a crashed or killed kernel loses nothing. The flush to disk
 * (`fdatasync`: data and size, all a later read needs) follows asynchronously, so a check cell never
 * waits on a busy disk (a shared classroom machine's fsync can take tens of milliseconds); only a power
 * cut in the few milliseconds before it lands could cost a verdict. Throws on a file-system error.
 */
export function appendReports(home: string, reports: readonly RoomReport[]): void {
  mkdirSync(home, { recursive: true });
  const fd = openSync(outboxFile(home), 'a+', 0o600);
  try {
    // A crash mid-append can leave a line without its newline; start on a fresh line so the next record
    // is not glued to it (the torn fragment is then skipped as unreadable).
    const size = fstatSync(fd).size;
    let prefix = '';
    if (size > 0) {
      const last = Buffer.alloc(1);
      readSync(fd, last, 0, 1, size - 1);
      if (last[0] !== NEWLINE) prefix = '\n';
    }
    writeSync(fd, `${prefix}${reports.map((report) => JSON.stringify(report)).join('\n')}\n`);
  } catch (err) {
    closeSync(fd);
    throw err;
  }
  fdatasync(fd, () => close(fd, () => undefined));
}

export function readOutboxState(home: string): OutboxState {
  try {
    const value = JSON.parse(readFileSync(join(home, STATE_FILE), 'utf8')) as Partial<OutboxState>;
    return {
      sentBytes: Number.isSafeInteger(value.sentBytes) && value.sentBytes! >= 0 ? value.sentBytes! : 0,
      rejected: Array.isArray(value.rejected) ? value.rejected.slice(-MAX_REJECTED_KEPT) : [],
      ...(typeof value.lastError === 'string' ? { lastError: value.lastError } : {}),
      ...(typeof value.lastDeliveredAt === 'string' ? { lastDeliveredAt: value.lastDeliveredAt } : {}),
    };
  } catch {
    return EMPTY_STATE;
  }
}

/** Writes the state atomically (temp file + rename): a crash leaves the old state or the new one. */
export function writeOutboxState(home: string, state: OutboxState): void {
  mkdirSync(home, { recursive: true });
  const file = join(home, STATE_FILE);
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, `${JSON.stringify({ ...state, rejected: state.rejected.slice(-MAX_REJECTED_KEPT) })}\n`, { mode: 0o600 });
  renameSync(temp, file);
}

/** Forgets every report (a new class, or the learner left): their verdicts belong to the old class. */
export function resetOutbox(home: string): void {
  rmSync(outboxFile(home), { force: true });
  rmSync(join(home, STATE_FILE), { force: true });
}

/** Forgets every report like `resetOutbox`, and says how many were still waiting to be sent. */
export function discardOutbox(home: string): number {
  const waiting = waitingCount(home);
  resetOutbox(home);
  return waiting;
}

/** Reports not yet acknowledged, in the order they were recorded. */
export interface Unsent {
  readonly reports: readonly RoomReport[];
  /** Where the next batch starts once these are acknowledged (skipped lines included). */
  readonly endOffset: number;
  /** Unsent reports in the outbox after this batch (refused ones not counted). */
  readonly more: number;
}

function parseLine(line: Buffer): RoomReport | undefined {
  try {
    const value = JSON.parse(line.toString('utf8')) as RoomReport;
    return typeof value === 'object' && value !== null && typeof value.reportId === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The next up-to-`max` unsent reports after `state.sentBytes`, skipping refused and unreadable lines.
 * Only whole lines count: a line still being appended by another process is left for the next read.
 */
export function readUnsent(home: string, state: OutboxState, max: number): Unsent {
  let bytes: Buffer;
  try {
    bytes = readFileSync(outboxFile(home));
  } catch {
    return { reports: [], endOffset: 0, more: 0 };
  }
  // An outbox shorter than the acknowledged part was reset by another process: start again.
  let offset = state.sentBytes <= bytes.length ? state.sentBytes : 0;
  const refused = new Set(state.rejected.map((r) => r.reportId));
  const reports: RoomReport[] = [];
  let endOffset = offset;
  let more = 0;
  for (;;) {
    const newline = bytes.indexOf(NEWLINE, offset);
    if (newline < 0) break;
    const report = parseLine(bytes.subarray(offset, newline));
    offset = newline + 1;
    const usable = report !== undefined && !refused.has(report.reportId);
    if (reports.length < max) {
      if (usable) reports.push(report);
      endOffset = offset;
    } else if (usable) {
      more++;
    }
  }
  return { reports, endOffset, more };
}

/** How many recorded reports are still waiting to be delivered. */
export function waitingCount(home: string): number {
  const unsent = readUnsent(home, readOutboxState(home), Number.MAX_SAFE_INTEGER);
  return unsent.reports.length;
}
