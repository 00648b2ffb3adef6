/**
 * The class server's memory: an append-only file of JSON lines (`reports.jsonl`), one per learner who
 * joined and per report accepted. A report is acknowledged only after its line is written and fsynced,
 * so a learner's lnlab never drops a report the server might still lose; on start the server replays the
 * file, so a restart loses nothing.
 *
 * A crash can leave the last line half-written. It was never acknowledged, so opening the log cuts it
 * off (otherwise the next line appended would be glued to it and become unreadable too).
 */
import { closeSync, fdatasyncSync, fsyncSync, ftruncateSync, openSync, readFileSync, statSync, writeSync } from 'node:fs';
import { ClassDataError } from './errors.js';
import { checkId, checkName, checkReport, type RoomReport } from './protocol.js';

/** A learner joined (or changed their name). `at` is the server's time. */
export interface JoinRecord {
  readonly type: 'join';
  readonly learnerId: string;
  readonly name: string;
  readonly at: string;
}

/** A report accepted from a learner; `receivedAt` is the server's time, `at` the learner's. */
export interface ReportRecord extends RoomReport {
  readonly type: 'report';
  readonly learnerId: string;
  readonly receivedAt: string;
}

export type LogRecord = JoinRecord | ReportRecord;

const NEWLINE = 0x0a;

/** Parses one line of the log; `undefined` for a line that is not a record this version can show. */
function parseRecord(line: string): LogRecord | undefined {
  try {
    const value = JSON.parse(line) as Record<string, unknown>;
    const learnerId = checkId('log.learnerId', value.learnerId);
    if (value.type === 'join') {
      return { type: 'join', learnerId, name: checkName('log.name', value.name), at: String(value.at) };
    }
    if (value.type === 'report' && typeof value.receivedAt === 'string') {
      // Re-checked like a fresh report: a report for an exercise this version no longer has is skipped.
      return { type: 'report', learnerId, receivedAt: value.receivedAt, ...checkReport(value, 0) };
    }
  } catch {
    // not a record: counted as skipped by the caller
  }
  return undefined;
}

/** An open log: `append` writes durably, in call order. Open one with `EventLog.open`. */
export class EventLog {
  readonly file: string;
  private fd: number | undefined;

  private constructor(file: string, fd: number) {
    this.file = file;
    this.fd = fd;
  }

  /**
   * Opens (creating) the log at `file`, cuts off a torn last line, and returns what it holds.
   * `skipped` counts lines that could not be read back (worth a warning, never a reason to stop).
   */
  static open(file: string): { log: EventLog; records: LogRecord[]; skipped: number } {
    let fd: number;
    try {
      fd = openSync(file, 'a+', 0o600);
    } catch (err) {
      throw new ClassDataError(`lnlab class serve: cannot open ${file} (${(err as NodeJS.ErrnoException).code ?? err})`,
        'check the permissions of the data directory, or point --data at another folder', { cause: err });
    }
    const bytes = readFileSync(file);
    const end = bytes.lastIndexOf(NEWLINE) + 1;
    if (end < bytes.length) {
      ftruncateSync(fd, end);
      fsyncSync(fd);
    }
    const records: LogRecord[] = [];
    let skipped = 0;
    for (const line of bytes.subarray(0, end).toString('utf8').split('\n')) {
      if (line.trim() === '') continue;
      const record = parseRecord(line);
      if (record) records.push(record);
      else skipped++;
    }
    return { log: new EventLog(file, fd), records, skipped };
  }

  /**
   * Appends `records` as one write, then fdatasyncs (data and size, all a replay needs; not the
   * timestamps a full fsync also writes). Synchronous on purpose: the server's state is updated
   * right after, and no other request can slip in between "written" and "counted" (a batch is at most
   * a few kilobytes, so this blocks for about one fsync).
   */
  append(records: readonly LogRecord[]): void {
    if (records.length === 0) return;
    if (this.fd === undefined) throw new ClassDataError(`lnlab class serve: ${this.file} is closed`, 'restart the class server');
    const text = records.map((record) => `${JSON.stringify(record)}\n`).join('');
    const buffer = Buffer.from(text, 'utf8');
    const before = statSync(this.file).size;
    try {
      let written = 0;
      while (written < buffer.length) written += writeSync(this.fd, buffer, written);
      fdatasyncSync(this.fd);
    } catch (err) {
      // Take back a partial write, so the file still ends on a whole line; the caller answers 503.
      try {
        ftruncateSync(this.fd, before);
      } catch {
        // the next open cuts it off instead
      }
      throw new ClassDataError(`lnlab class serve: could not save to ${this.file} (${(err as NodeJS.ErrnoException).code ?? err})`,
        'free some disk space; learners keep their reports and send them again', { cause: err });
    }
  }

  close(): void {
    if (this.fd === undefined) return;
    closeSync(this.fd);
    this.fd = undefined;
  }
}
