/**
 * The hook the workshop calls after every check cell and every `lnlab grade`: `reportVerdicts`. It
 * shares exercise ids, pass/fail and the failing check's NAME with the learner's class — never code.
 *
 * Contract: it never throws, never prints, and costs the caller one small synchronous append (about a
 * tenth of a millisecond; the flush to disk follows asynchronously; `npm run bench` measures it:
 * `room_report_verdicts`). Sending happens afterwards, in the
 * background, with a short time limit; when the class server cannot be reached the verdicts wait in the
 * outbox and go out, in order, with the next report or `lnlab class status`. A learner who has not
 * joined a class is not affected at all: nothing is written, nothing is sent.
 */
import { lnlabHome } from '../workshop/setup/paths.js';
import { postJson } from './client.js';
import { activeMembership, type ClassMembership } from './membership.js';
import { appendReports, readOutboxState, readUnsent, resetOutbox, waitingCount, writeOutboxState, type OutboxState } from './outbox.js';
import { newRoomId } from './ids.js';
import { MAX_CHECK_NAME_CHARS, MAX_REPORTS_PER_BATCH, REPORTS_PATH, type RoomReport, type RoomVerdict, type VerdictSource } from './protocol.js';

export type { RoomVerdict } from './protocol.js';

/** One request's time limit in the background: a classroom LAN answers in milliseconds. */
export const SEND_TIMEOUT_MS = 2_000;
/** All background sending after one report stops after this long; the rest waits for the next report. */
const BACKGROUND_BUDGET_MS = 10_000;
/** What `flushReports()` waits by default: long enough for one slow answer, short for a CLI exiting. */
export const DEFAULT_FLUSH_MS = 3_000;
/** Reports per request; half the server's limit, so long check names never push a batch over it. */
const SEND_BATCH = MAX_REPORTS_PER_BATCH / 2;
const SOURCES: readonly VerdictSource[] = ['check-cell', 'grade'];
/** Anything that is not a printable character is replaced in a check name before it leaves. */
const UNPRINTABLE = /[\p{Cc}\u2028\u2029\u202A-\u202E\u2066-\u2069]/gu;

/** For tests and tools: which LNLAB_HOME and environment to use (default: this process's). */
export interface ReporterOptions {
  readonly home?: string;
  readonly env?: NodeJS.ProcessEnv;
}

/** How a flush went: `waiting` reports are still in the outbox; `error` says why, when any are. */
export interface FlushResult {
  readonly joined: boolean;
  readonly delivered: number;
  readonly waiting: number;
  readonly rejected: number;
  readonly error?: string;
}

interface Sender {
  readonly done: Promise<FlushResult>;
  /** Set when reports were recorded during the send: it then goes round once more. */
  readonly flags: { again: boolean };
}

/** The background send per LNLAB_HOME, so one process never runs two senders for one outbox. */
const senders = new Map<string, Sender>();

function resolveOptions(options: ReporterOptions): { home: string; env: NodeJS.ProcessEnv } {
  const env = options.env ?? process.env;
  return { home: options.home ?? lnlabHome(env), env };
}

/** A verdict made safe to share, or `undefined` for something that is not a verdict at all. */
function toReport(verdict: RoomVerdict): RoomReport | undefined {
  if (typeof verdict !== 'object' || verdict === null) return undefined;
  const { exercise, passed, failingCheck, via, at } = verdict;
  if (typeof exercise !== 'string' || exercise.length === 0 || typeof passed !== 'boolean' || !SOURCES.includes(via)) return undefined;
  if (typeof at !== 'string' || !Number.isFinite(Date.parse(at))) return undefined;
  const check = !passed && typeof failingCheck === 'string' ? failingCheck.replace(UNPRINTABLE, ' ').trim().slice(0, MAX_CHECK_NAME_CHARS) : '';
  return { reportId: newRoomId(), exercise, passed, via, at, ...(check ? { failingCheck: check } : {}) };
}

/**
 * Records `verdicts` for the learner's class and starts sending them in the background. Does nothing
 * when the learner is in no class. Never throws, never prints; malformed entries are dropped.
 */
export function reportVerdicts(verdicts: readonly RoomVerdict[], options: ReporterOptions = {}): void {
  try {
    const { home, env } = resolveOptions(options);
    const membership = activeMembership(home, env, () => resetOutbox(home));
    if (!membership || !Array.isArray(verdicts)) return;
    const reports = verdicts.map(toReport).filter((r): r is RoomReport => r !== undefined);
    if (reports.length === 0) return;
    appendReports(home, reports);
    startSending(home, env);
  } catch {
    // Sharing with the room must never break a learner's check: a read-only home, a full disk, anything.
  }
}

/**
 * Sends what is waiting and resolves within about `timeoutMs` with how it went. Never rejects. The CLI
 * awaits it before exiting, so `lnlab grade`'s verdicts leave before the process does.
 */
export async function flushReports(timeoutMs: number = DEFAULT_FLUSH_MS, options: ReporterOptions = {}): Promise<FlushResult> {
  const { home, env } = resolveOptions(options);
  const deadline = Date.now() + timeoutMs;
  try {
    const running = senders.get(home);
    if (running) await settledWithin(running.done, timeoutMs);
    return await sendBacklog(home, env, deadline, false);
  } catch (err) {
    return { joined: true, delivered: 0, waiting: safeWaiting(home), rejected: 0, error: String(err) };
  }
}

function startSending(home: string, env: NodeJS.ProcessEnv): void {
  const running = senders.get(home);
  if (running) {
    // Reports recorded while a send is under way go out right after it.
    running.flags.again = true;
    return;
  }
  const flags = { again: false };
  const done = (async () => {
    let result: FlushResult;
    do {
      flags.again = false;
      result = await sendBacklog(home, env, Date.now() + BACKGROUND_BUDGET_MS, true);
    } while (flags.again && result.error === undefined);
    return result;
  })()
    .catch((err: unknown): FlushResult => ({ joined: true, delivered: 0, waiting: safeWaiting(home), rejected: 0, error: String(err) }))
    .finally(() => senders.delete(home));
  senders.set(home, { done, flags });
}

/** Waits for `promise` but at most `ms`; the timer is cleared, so it never holds the process longer. */
async function settledWithin(promise: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([promise, new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}

function safeWaiting(home: string): number {
  try {
    return waitingCount(home);
  } catch {
    return 0;
  }
}

/** Why an answer is not a delivery, in words for `lnlab class status`. */
function describeRefusal(membership: ClassMembership, status: number, body: Record<string, unknown> | undefined): string {
  const said = typeof body?.error === 'string' ? `: ${body.error.split('\n')[0]}` : '';
  if (status === 401) return `the class server at ${membership.url} refused the join token${said}`;
  return `the class server at ${membership.url} answered ${status}${said}`;
}

/**
 * Delivers the outbox in order, batch by batch, until it is empty, something fails, or `deadline`.
 * `background`: the requests do not keep the process alive (nobody awaits them).
 */
async function sendBacklog(home: string, env: NodeJS.ProcessEnv, deadline: number, background: boolean): Promise<FlushResult> {
  const membership = activeMembership(home, env, () => resetOutbox(home));
  if (!membership) return { joined: false, delivered: 0, waiting: 0, rejected: 0 };
  let delivered = 0;
  let rejectedNow = 0;
  let batchSize = SEND_BATCH;
  let error: string | undefined;
  for (;;) {
    const state = readOutboxState(home);
    const unsent = readUnsent(home, state, batchSize);
    if (unsent.reports.length === 0) {
      if (unsent.endOffset !== state.sentBytes) writeOutboxState(home, { ...state, sentBytes: unsent.endOffset });
      break;
    }
    const remaining = deadline - Date.now();
    if (remaining <= 0) {
      error = 'ran out of time; the rest goes with the next report';
      break;
    }
    const body = { learnerId: membership.learnerId, name: membership.name, reports: unsent.reports };
    let answer;
    try {
      answer = await postJson(`${membership.url}${REPORTS_PATH}`, membership.joinToken, body, Math.min(SEND_TIMEOUT_MS, remaining), { background });
    } catch (err) {
      error = `cannot reach the class server at ${membership.url} (${(err as Error).message})`;
      break;
    }
    if (answer.status === 200) {
      delivered += typeof answer.body?.accepted === 'number' ? answer.body.accepted : unsent.reports.length;
      writeOutboxState(home, { sentBytes: unsent.endOffset, rejected: state.rejected, lastDeliveredAt: new Date().toISOString() });
      continue;
    }
    const index = answer.body?.index;
    const oneTooBig = answer.status === 413 && batchSize === 1;
    if ((answer.status === 400 && typeof index === 'number' && unsent.reports[index]) || oneTooBig) {
      // That report can never be accepted; set it aside so it does not hold back the others.
      const refused = unsent.reports[oneTooBig ? 0 : (index as number)]!;
      const reason = describeRefusal(membership, answer.status, answer.body);
      writeOutboxState(home, { ...state, rejected: [...state.rejected, { reportId: refused.reportId, exercise: refused.exercise, reason }] });
      rejectedNow++;
      continue;
    }
    if (answer.status === 413) {
      batchSize = Math.max(1, Math.floor(batchSize / 2));
      continue;
    }
    error = describeRefusal(membership, answer.status, answer.body);
    break;
  }
  const state: OutboxState = readOutboxState(home);
  if (state.lastError !== error) {
    writeOutboxState(home, { sentBytes: state.sentBytes, rejected: state.rejected, ...(state.lastDeliveredAt ? { lastDeliveredAt: state.lastDeliveredAt } : {}), ...(error ? { lastError: error } : {}) });
  }
  return { joined: true, delivered, waiting: waitingCount(home), rejected: rejectedNow, ...(error ? { error } : {}) };
}
