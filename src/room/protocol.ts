/**
 * What a learner's lnlab and the class server say to each other, and the checks the server applies to
 * it. Everything here is shared by both sides, so a report the learner's side builds is, by construction,
 * one the server accepts (unless the two run different exercise lists).
 *
 * Wire format (JSON over HTTP, the join token as `Authorization: Bearer <token>`):
 * - `POST /api/join`    `{ learnerId, name }`            → `{ exercises: [id…] }`
 * - `POST /api/reports` `{ learnerId, name, reports: [RoomReport…] }` → `{ accepted, duplicates }`
 * A refusal is `{ error, index? }` with a 4xx status; `index` names the refused report of a batch.
 */
import { HttpStatus, RoomRequestError } from './errors.js';
import { EXERCISES } from './exercises.js';

/** Which workshop step produced a verdict: a notebook's check cell or `lnlab grade`. */
export type VerdictSource = 'check-cell' | 'grade';
const VERDICT_SOURCES: readonly VerdictSource[] = ['check-cell', 'grade'];

/**
 * One exercise's verdict, as a learner shares it with the room: which exercise, whether it passed and, if
 * not, the NAME of the first failing check. Never the learner's code, nor a check's message (a message
 * can quote values from their code).
 */
export interface RoomVerdict {
  /** The registry id of the exercise (`EXERCISES[i].id`). */
  readonly exercise: string;
  readonly passed: boolean;
  /** The name of the first failing check; absent for a pass. */
  readonly failingCheck?: string;
  readonly via: VerdictSource;
  /** When the check ran, as an ISO 8601 time (`new Date().toISOString()`). */
  readonly at: string;
}

/** A verdict as it travels: with an id unique per learner, so a re-sent report is recognised. */
export interface RoomReport extends RoomVerdict {
  readonly reportId: string;
}

/** The body of `POST /api/reports`. */
export interface ReportBatch {
  readonly learnerId: string;
  readonly name: string;
  readonly reports: readonly RoomReport[];
}

/** The body of `POST /api/join`. */
export interface JoinRequest {
  readonly learnerId: string;
  readonly name: string;
}

export const JOIN_PATH = '/api/join';
export const REPORTS_PATH = '/api/reports';
export const EVENTS_PATH = '/api/events';
export const ROOM_PATH = '/api/room';
export const HEALTH_PATH = '/healthz';

/** A name longer than this would not fit the room's first column; enough for "first name + surname". */
export const MAX_NAME_CHARS = 60;
/** The longest check name in the registry is about 90 characters; room to grow, not room for a paste. */
export const MAX_CHECK_NAME_CHARS = 200;
/** One request carries at most this many reports: a day's backlog is a few hundred, sent in a few requests. */
export const MAX_REPORTS_PER_BATCH = 200;
/**
 * Learner and report ids are random (see `newRoomId`); 8–64 URL-safe characters leaves room for other
 * clients while keeping ids short enough to index and safe to print.
 */
const ID_PATTERN = /^[A-Za-z0-9_-]{8,64}$/;
/** `2026-05-01T10:00:00.000Z` is 24 characters; an offset form is 29. Anything longer is not a time. */
const MAX_TIME_CHARS = 40;
/** Control characters (newlines, escapes, bidi overrides) have no place in a name shown to a room. */
const CONTROL_CHARS = /[\p{Cc}\u2028\u2029\u202A-\u202E\u2066-\u2069]/u;

const KNOWN_EXERCISES: ReadonlySet<string> = new Set(EXERCISES.map((e) => e.id));

function refuse(message: string, fix: string, index?: number): never {
  throw new RoomRequestError(HttpStatus.badRequest, message, fix, index);
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `${typeof value} ${String(value)}`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A learner's display name, checked: 1–60 printable characters once trimmed. Returns it trimmed. */
export function checkName(context: string, value: unknown): string {
  if (typeof value !== 'string') refuse(`${context}: expected a name (a string), got ${describe(value)}`, 'join with --name "<your name>"');
  const name = value.trim();
  if (name.length === 0 || name.length > MAX_NAME_CHARS || CONTROL_CHARS.test(name)) {
    refuse(`${context}: expected a name of 1 to ${MAX_NAME_CHARS} printable characters, got ${describe(value)}`, 'join again with a shorter --name "<your name>"');
  }
  return name;
}

/** A learner or report id: `newRoomId()` makes them; anything else is refused. */
export function checkId(context: string, value: unknown, index?: number): string {
  if (typeof value !== 'string' || !ID_PATTERN.test(value)) {
    refuse(`${context}: expected 8 to 64 characters of [A-Za-z0-9_-], got ${describe(value)}`, 'send ids made by lnlab (`npx lnlab class join` gives each learner one)', index);
  }
  return value;
}

/** One report of a batch, checked field by field; errors name the field (`reports[3].exercise`) and its index. */
export function checkReport(value: unknown, index: number): RoomReport {
  const at = `reports[${index}]`;
  const fail = (message: string, fix: string): never => refuse(message, fix, index);
  if (!isRecord(value)) fail(`${at}: expected an object, got ${describe(value)}`, 'send each report as { reportId, exercise, passed, via, at }');
  const report = value as Record<string, unknown>;
  const reportId = checkId(`${at}.reportId`, report.reportId, index);
  const exercise = report.exercise;
  if (typeof exercise !== 'string' || !KNOWN_EXERCISES.has(exercise)) {
    fail(`${at}.exercise: expected one of ${[...KNOWN_EXERCISES].join(', ')}, got ${describe(exercise)}`,
      'the learner and the class server must run the same workshop version (`git pull` on both machines)');
  }
  const passed = report.passed;
  if (typeof passed !== 'boolean') fail(`${at}.passed: expected true or false, got ${describe(passed)}`, 'send passed as a JSON boolean');
  const failingCheck = report.failingCheck;
  if (failingCheck !== undefined) {
    if (passed) fail(`${at}.failingCheck: expected none for a passing verdict, got ${describe(failingCheck)}`, 'send failingCheck only when passed is false');
    if (typeof failingCheck !== 'string' || failingCheck.length === 0 || failingCheck.length > MAX_CHECK_NAME_CHARS || CONTROL_CHARS.test(failingCheck)) {
      fail(`${at}.failingCheck: expected a check name of 1 to ${MAX_CHECK_NAME_CHARS} printable characters, got ${describe(failingCheck)}`,
        'send the name of the failing check only, never its message');
    }
  }
  const via = report.via;
  if (!VERDICT_SOURCES.includes(via as VerdictSource)) fail(`${at}.via: expected one of ${VERDICT_SOURCES.join(', ')}, got ${describe(via)}`, 'say where the verdict came from');
  const time = report.at;
  if (typeof time !== 'string' || time.length > MAX_TIME_CHARS || !Number.isFinite(Date.parse(time))) {
    fail(`${at}.at: expected an ISO 8601 time such as 2026-05-01T10:00:00.000Z, got ${describe(time)}`, 'send at as new Date().toISOString()');
  }
  return Object.freeze({
    reportId,
    exercise: exercise as string,
    passed: passed as boolean,
    via: via as VerdictSource,
    at: time as string,
    ...(failingCheck === undefined ? {} : { failingCheck: failingCheck as string }),
  });
}

/** The body of `POST /api/join`, checked. */
export function checkJoinRequest(body: unknown): JoinRequest {
  if (!isRecord(body)) refuse(`join: expected a JSON object { learnerId, name }, got ${describe(body)}`, 'run `npx lnlab class join <url> <token> --name "<your name>"`');
  return Object.freeze({ learnerId: checkId('join.learnerId', body.learnerId), name: checkName('join.name', body.name) });
}

/** The body of `POST /api/reports`, checked; the first bad report is named by its index. */
export function checkReportBatch(body: unknown): ReportBatch {
  if (!isRecord(body)) refuse(`reports: expected a JSON object { learnerId, name, reports }, got ${describe(body)}`, 'send reports through lnlab (`reportVerdicts`)');
  const learnerId = checkId('reports.learnerId', body.learnerId);
  const name = checkName('reports.name', body.name);
  const reports = body.reports;
  if (!Array.isArray(reports) || reports.length === 0 || reports.length > MAX_REPORTS_PER_BATCH) {
    refuse(`reports.reports: expected an array of 1 to ${MAX_REPORTS_PER_BATCH} reports, got ${Array.isArray(reports) ? `${reports.length} reports` : describe(reports)}`,
      `send at most ${MAX_REPORTS_PER_BATCH} reports per request`);
  }
  return Object.freeze({ learnerId, name, reports: Object.freeze(reports.map((report, index) => checkReport(report, index))) });
}
