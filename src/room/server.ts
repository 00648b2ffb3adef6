/**
 * The class server behind `lnlab class serve`: Node's own `http` (a handful of routes needs no
 * framework). Learners' lnlab posts verdicts with the join token; the instructor's browser reads the
 * room with the view token, live over Server-Sent Events. Every accepted report is on disk before it is
 * acknowledged (`EventLog`), and every bad request gets a 4xx that says what to do — the server stays up.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { WorkshopError } from '../errors.js';
import { ClassDataError, HttpStatus, RoomRequestError } from './errors.js';
import { EventLog, type LogRecord } from './event-log.js';
import { EXERCISES } from './exercises.js';
import { readJsonBody } from './http-body.js';
import { sameToken } from './ids.js';
import { renderPage, renderRefusal, renderRoom } from './page.js';
import { checkJoinRequest, checkReportBatch, EVENTS_PATH, HEALTH_PATH, JOIN_PATH, REPORTS_PATH, ROOM_PATH } from './protocol.js';
import { RoomState } from './room-state.js';
import { loadOrCreateTokens, type ClassTokens } from './tokens.js';

/** The log of everything the server accepted, in its data directory. */
export const LOG_FILE = 'reports.jsonl';
/** Open pages at once; an instructor needs one or two, and each holds a connection open. */
export const MAX_VIEWERS = 32;
/**
 * At most one push per this long: a grade run reports 7 verdicts at once, and a room of 300 learners
 * makes several changes a second — one redraw a second is as fast as anyone reads the grid.
 */
const PUSH_INTERVAL_MS = 1_000;
/** A page that stopped reading (a laptop asleep) is dropped once this much is queued for it; it reconnects. */
const MAX_QUEUED_BYTES = 4 * 1024 * 1024;
/** Pages are re-sent this often even without news, so "failing for 12 min" keeps counting. */
const REFRESH_MS = 30_000;
/** A browser that lost the stream tries again after this long (sent to it as the SSE `retry:`). */
const RECONNECT_MS = 2_000;
/** A client must send its request headers within this long; keeps idle sockets from piling up. */
const HEADERS_TIMEOUT_MS = 10_000;
/** …and the whole request (a report batch is small) within this long. */
const REQUEST_TIMEOUT_MS = 15_000;
const NONCE_BYTES = 16;

/** What the server tells whoever runs it (the CLI prints these). */
export type ClassServerEvent =
  | { readonly type: 'joined'; readonly name: string; readonly again: boolean }
  | { readonly type: 'refused'; readonly remote: string; readonly reason: string }
  | { readonly type: 'failed'; readonly message: string };

export interface ClassServerOptions {
  /** Where tokens and the log live (created if needed). */
  readonly dataDir: string;
  /** 0 picks a free port. */
  readonly port: number;
  readonly host: string;
  readonly onEvent?: (event: ClassServerEvent) => void;
  /** The page's title (default "Lightning Lab — the room"). */
  readonly title?: string;
}

export interface RunningClassServer {
  readonly port: number;
  readonly host: string;
  readonly tokens: ClassTokens;
  readonly state: RoomState;
  readonly dataDir: string;
  /** Lines of the log that could not be read back on start (worth a warning). */
  readonly skippedLines: number;
  close(): Promise<void>;
}

const COMMON_HEADERS = {
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
} as const;

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { ...COMMON_HEADERS, 'content-type': 'application/json; charset=utf-8' });
  response.end(`${JSON.stringify(body)}\n`);
}

function sendHtml(response: ServerResponse, status: number, html: string, nonce?: string): void {
  const sources = nonce ? `style-src 'nonce-${nonce}'; script-src 'nonce-${nonce}'; connect-src 'self'; ` : '';
  response.writeHead(status, {
    ...COMMON_HEADERS,
    'content-type': 'text/html; charset=utf-8',
    'content-security-policy': `default-src 'none'; ${sources}base-uri 'none'; form-action 'none'; frame-ancestors 'none'`,
  });
  response.end(html);
}

function requireMethod(request: IncomingMessage, method: 'GET' | 'POST'): void {
  if (request.method !== method && !(method === 'GET' && request.method === 'HEAD')) {
    throw new RoomRequestError(HttpStatus.methodNotAllowed, `${request.url}: expected ${method}, got ${request.method}`, `send a ${method} request`);
  }
}

function bearerToken(request: IncomingMessage): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '');
  return match?.[1];
}

/** Starts the class server; resolves once it listens. Rejects with a `WorkshopError` that says what to do. */
export async function startClassServer(options: ClassServerOptions): Promise<RunningClassServer> {
  const tokens = loadOrCreateTokens(options.dataDir);
  const { log, records, skipped } = EventLog.open(join(options.dataDir, LOG_FILE));
  const state = new RoomState(EXERCISES);
  for (const record of records) state.apply(record);
  const title = options.title ?? 'Lightning Lab — the room';
  const viewers = new Set<ServerResponse>();
  const tell = options.onEvent ?? (() => undefined);
  let pushTimer: NodeJS.Timeout | undefined;

  const roomEvent = (): string => `event: room\ndata: ${JSON.stringify({ html: renderRoom(state.snapshot()) })}\n\n`;
  const pushNow = (): void => {
    pushTimer = undefined;
    if (viewers.size === 0) return;
    const event = roomEvent();
    for (const viewer of viewers) {
      if (viewer.writableLength > MAX_QUEUED_BYTES) viewer.destroy();
      else viewer.write(event);
    }
  };
  const schedulePush = (): void => {
    pushTimer ??= setTimeout(pushNow, PUSH_INTERVAL_MS);
  };
  const refresh = setInterval(pushNow, REFRESH_MS);
  refresh.unref();

  /** Writes `fresh` to disk, then into the room; a disk that fails is a 503 and nothing is counted. */
  const accept = (fresh: readonly LogRecord[]): void => {
    try {
      log.append(fresh);
    } catch (err) {
      const message = err instanceof WorkshopError ? err.message : String(err);
      tell({ type: 'failed', message });
      throw new RoomRequestError(HttpStatus.serviceUnavailable, 'the class server could not save the report', 'nothing was lost: lnlab keeps it and sends it again');
    }
    for (const record of fresh) state.apply(record);
    schedulePush();
  };

  const requireJoinToken = (request: IncomingMessage): void => {
    const given = bearerToken(request);
    if (sameToken(given, tokens.joinToken)) return;
    const reason = given === undefined ? 'no join token' : 'a wrong join token';
    tell({ type: 'refused', remote: request.socket.remoteAddress ?? 'unknown', reason });
    throw new RoomRequestError(HttpStatus.unauthorized, `class server: expected this class's join token, got ${reason}`,
      'ask your instructor for the join line and run it again: npx lnlab class join <url> <token> --name "<your name>"');
  };

  const requireViewToken = (url: URL): boolean => sameToken(url.searchParams.get('view') ?? undefined, tokens.viewToken);

  const joinRecordIfNew = (learnerId: string, name: string): LogRecord[] =>
    state.nameOf(learnerId) === name ? [] : [{ type: 'join', learnerId, name, at: new Date().toISOString() }];

  const handleJoin = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    requireMethod(request, 'POST');
    requireJoinToken(request);
    const { learnerId, name } = checkJoinRequest(await readJsonBody(request));
    const again = state.nameOf(learnerId) !== undefined;
    const fresh = joinRecordIfNew(learnerId, name);
    accept(fresh);
    if (fresh.length > 0) tell({ type: 'joined', name, again });
    sendJson(response, HttpStatus.ok, { exercises: EXERCISES.map((e) => e.id) });
  };

  const handleReports = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    requireMethod(request, 'POST');
    requireJoinToken(request);
    const batch = checkReportBatch(await readJsonBody(request));
    const receivedAt = new Date().toISOString();
    const inBatch = new Set<string>();
    const fresh: LogRecord[] = joinRecordIfNew(batch.learnerId, batch.name);
    const isNewLearner = state.nameOf(batch.learnerId) === undefined;
    for (const report of batch.reports) {
      if (state.hasReport(batch.learnerId, report.reportId) || inBatch.has(report.reportId)) continue;
      inBatch.add(report.reportId);
      fresh.push({ type: 'report', learnerId: batch.learnerId, receivedAt, ...report });
    }
    accept(fresh);
    if (isNewLearner) tell({ type: 'joined', name: batch.name, again: false });
    sendJson(response, HttpStatus.ok, { accepted: inBatch.size, duplicates: batch.reports.length - inBatch.size });
  };

  const handleEvents = (request: IncomingMessage, response: ServerResponse): void => {
    if (viewers.size >= MAX_VIEWERS) {
      throw new RoomRequestError(HttpStatus.tooManyRequests, `class server: expected at most ${MAX_VIEWERS} open pages, got one more`, 'close a page you no longer watch');
    }
    response.writeHead(HttpStatus.ok, { ...COMMON_HEADERS, 'content-type': 'text/event-stream; charset=utf-8', connection: 'keep-alive' });
    response.write(`retry: ${RECONNECT_MS}\n\n`);
    response.write(roomEvent());
    viewers.add(response);
    response.on('close', () => viewers.delete(response));
  };

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const url = new URL(request.url ?? '/', 'http://class.invalid');
    switch (url.pathname) {
      case '/': {
        requireMethod(request, 'GET');
        if (!requireViewToken(url)) {
          sendHtml(response, HttpStatus.unauthorized, renderRefusal(
            'This is a Lightning Lab class server. Learners: join with the `npx lnlab class join …` line your instructor gave you. ' +
            'Instructor: open the page URL (with ?view=…) that `lnlab class serve` printed.'));
          return;
        }
        const nonce = randomBytes(NONCE_BYTES).toString('base64');
        const eventsUrl = `${EVENTS_PATH}?view=${encodeURIComponent(tokens.viewToken)}`;
        sendHtml(response, HttpStatus.ok, renderPage(state.snapshot(), { nonce, eventsUrl, title }), nonce);
        return;
      }
      case HEALTH_PATH:
        requireMethod(request, 'GET');
        sendJson(response, HttpStatus.ok, { ok: true });
        return;
      case JOIN_PATH:
        return handleJoin(request, response);
      case REPORTS_PATH:
        return handleReports(request, response);
      case ROOM_PATH:
      case EVENTS_PATH:
        requireMethod(request, 'GET');
        if (!requireViewToken(url)) {
          throw new RoomRequestError(HttpStatus.unauthorized, 'class server: expected the view token (?view=…), got none or a wrong one', 'use the page URL that `lnlab class serve` printed');
        }
        if (url.pathname === EVENTS_PATH) return handleEvents(request, response);
        sendJson(response, HttpStatus.ok, state.snapshot());
        return;
      default:
        throw new RoomRequestError(HttpStatus.notFound, `class server: no ${url.pathname} here`, `the routes are /, ${JOIN_PATH}, ${REPORTS_PATH}, ${ROOM_PATH}, ${EVENTS_PATH}, ${HEALTH_PATH}`);
    }
  };

  const server: Server = createServer((request, response) => {
    handle(request, response).catch((err: unknown) => {
      if (response.headersSent) {
        response.destroy();
        return;
      }
      if (err instanceof RoomRequestError) {
        // A refused body may still be arriving: it is read and discarded (bounded by the request time
        // limit), never cut off mid-upload — a reset could reach the client before this answer does.
        sendJson(response, err.status, { error: err.message, ...(err.index === undefined ? {} : { index: err.index }) });
        return;
      }
      tell({ type: 'failed', message: err instanceof Error ? (err.stack ?? err.message) : String(err) });
      sendJson(response, 500, { error: 'class server: an unexpected error; it was logged where the server runs' });
    });
  });
  server.headersTimeout = HEADERS_TIMEOUT_MS;
  server.requestTimeout = REQUEST_TIMEOUT_MS;

  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => {
      log.close();
      clearInterval(refresh);
      if (err.code === 'EADDRINUSE') {
        reject(new WorkshopError('CLASS_PORT_IN_USE', `lnlab class serve: expected port ${options.port} to be free, got one in use`, 'choose another with --port N (learners then join with the new URL)'));
      } else if (err.code === 'EADDRNOTAVAIL' || err.code === 'EACCES') {
        reject(new WorkshopError('CLASS_CANNOT_LISTEN', `lnlab class serve: cannot listen on ${options.host}:${options.port} (${err.code})`, 'choose a port above 1024 with --port N, and --host 0.0.0.0 or an address of this machine'));
      } else reject(new ClassDataError(`lnlab class serve: cannot listen (${err.code ?? err.message})`, 'check --host and --port', { cause: err }));
    });
    server.listen({ port: options.port, host: options.host }, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;

  return {
    port,
    host: options.host,
    tokens,
    state,
    dataDir: options.dataDir,
    skippedLines: skipped,
    close: async () => {
      clearInterval(refresh);
      if (pushTimer) clearTimeout(pushTimer);
      for (const viewer of viewers) viewer.end();
      viewers.clear();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      log.close();
    },
  };
}
