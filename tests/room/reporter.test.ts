/**
 * `reportVerdicts` and `flushReports`, the hook the workshop calls after every check: against a real
 * class server on a free port, with real files in a temporary LNLAB_HOME. It does nothing outside a
 * class, never throws or prints, never loses a verdict offline, sends in order, sets aside a report the
 * server can never take, and joins by itself when the instructor hands out LNLAB_CLASS.
 */
import { appendFileSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { findFreePort } from '../../src/internal.js';
import { readMembership, writeMembership } from '../../src/room/membership.js';
import { flushReports, reportVerdicts, type RoomVerdict } from '../../src/room/reporter.js';
import { startClassServer, type RunningClassServer } from '../../src/room/server.js';
import { useTempDirs } from '../grade/temp-dirs.js';
import { eventually } from './helpers.js';

const tempDir = useTempDirs('lnlab-room-reporter-');
const running: RunningClassServer[] = [];
afterEach(async () => {
  vi.restoreAllMocks();
  await Promise.all(running.splice(0).map((server) => server.close()));
});

async function serve(port = 0, dataDir?: string): Promise<RunningClassServer> {
  const server = await startClassServer({ dataDir: dataDir ?? join(await tempDir(), 'data'), port, host: '127.0.0.1' });
  running.push(server);
  return server;
}

/** A learner home that has joined `server` (as `lnlab class join` leaves it). */
async function joinedHome(url: string, joinToken: string, name = 'Ada'): Promise<string> {
  const home = await tempDir();
  writeMembership(home, { url, joinToken, learnerId: `id-${name.toLowerCase()}-0001`, name, joinedAt: new Date().toISOString() });
  return home;
}

function verdict(exercise: string, passed: boolean, failingCheck?: string): RoomVerdict {
  return { exercise, passed, via: 'check-cell', at: new Date().toISOString(), ...(failingCheck ? { failingCheck } : {}) };
}

function savedReports(server: RunningClassServer): Array<{ exercise: string; passed: boolean; failingCheck?: string }> {
  return readFileSync(join(server.dataDir, 'reports.jsonl'), 'utf8').split('\n').filter(Boolean)
    .map((l) => JSON.parse(l) as { type: string; exercise: string; passed: boolean; failingCheck?: string })
    .filter((r) => r.type === 'report');
}

describe('reportVerdicts', () => {
  it('does nothing at all for a learner in no class', async () => {
    const home = await tempDir();
    reportVerdicts([verdict('watchChannel', true)], { home, env: {} });
    expect(readdirSync(home)).toEqual([]);
    expect(await flushReports(1_000, { home, env: {} })).toEqual({ joined: false, delivered: 0, waiting: 0, rejected: 0 });
  });

  it('sends in the background: the room hears of a check without anyone awaiting it', async () => {
    const server = await serve();
    const home = await joinedHome(`http://127.0.0.1:${server.port}`, server.tokens.joinToken);
    reportVerdicts([verdict('watchChannel', false, 'answers Completed and the monitor is on disk')], { home });
    const cell = await eventually(async () => server.state.snapshot().learners[0]?.cells.watchChannel, (c) => c?.state === 'failing');
    expect(cell).toMatchObject({ failingCheck: 'answers Completed and the monitor is on disk', tries: 1 });
  });

  it('never throws and never prints, whatever it is given and wherever LNLAB_HOME points', async () => {
    const server = await serve();
    const home = await joinedHome(`http://127.0.0.1:${server.port}`, server.tokens.joinToken);
    const out = vi.spyOn(process.stdout, 'write');
    const err = vi.spyOn(process.stderr, 'write');
    const garbage: unknown[] = [null, undefined, 42, 'watchChannel', [null], [{ exercise: 5 }], [{ exercise: 'watchChannel', passed: 'yes', via: 'grade', at: 'now' }]];
    for (const value of garbage) expect(() => reportVerdicts(value as RoomVerdict[], { home })).not.toThrow();
    const aFile = join(await tempDir(), 'not-a-folder');
    writeFileSync(aFile, 'x');
    expect(() => reportVerdicts([verdict('watchChannel', true)], { home: aFile, env: { LNLAB_CLASS: `http://127.0.0.1:${server.port}#${server.tokens.joinToken}` } })).not.toThrow();
    expect(() => reportVerdicts([verdict('watchChannel', true)], { home, env: { LNLAB_CLASS: 'not a class' } })).not.toThrow();
    await flushReports(2_000, { home });
    expect(out).not.toHaveBeenCalled();
    expect(err).not.toHaveBeenCalled();
    // Only the one well-formed verdict (sent with a malformed LNLAB_CLASS, so to class.json's class) arrived.
    expect(server.state.reports).toBe(1);
  });

  it('shares check names only, made printable; a pass carries none', async () => {
    const server = await serve();
    const home = await joinedHome(`http://127.0.0.1:${server.port}`, server.tokens.joinToken);
    reportVerdicts([{ ...verdict('watchChannel', false), failingCheck: 'line one\nline two\u202E' }, { ...verdict('blockConnected', true), failingCheck: 'stale' }], { home });
    await flushReports(3_000, { home });
    expect(savedReports(server).map((r) => [r.exercise, r.passed, r.failingCheck])).toEqual([['watchChannel', false, 'line one line two'], ['blockConnected', true, undefined]]);
  });

  it('offline: every verdict waits in the outbox, then goes out in order, in batches', async () => {
    const port = await findFreePort();
    const dataDir = join(await tempDir(), 'data');
    const home = await joinedHome(`http://127.0.0.1:${port}`, 'a-token-nobody-has-yet');
    const exercises = ['blockConnected', 'watchChannel', 'updateMonitor'];
    // More than two requests' worth: 250 verdicts, alternating pass and fail.
    const verdicts = Array.from({ length: 250 }, (_, i) => verdict(exercises[i % 3]!, i % 2 === 0, i % 2 === 0 ? undefined : `check ${i}`));
    for (const v of verdicts.slice(0, 200)) reportVerdicts([v], { home });
    reportVerdicts(verdicts.slice(200), { home });
    const offline = await flushReports(1_000, { home });
    expect(offline).toMatchObject({ joined: true, delivered: 0, waiting: 250 });
    expect(offline.error).toMatch(/^cannot reach the class server at http:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\)$/);

    const server = await serve(port, dataDir);
    writeMembership(home, { ...readMembership(home)!, joinToken: server.tokens.joinToken });
    expect(await flushReports(10_000, { home })).toEqual({ joined: true, delivered: 250, waiting: 0, rejected: 0 });
    expect(savedReports(server).map((r) => r.failingCheck ?? r.passed)).toEqual(verdicts.map((v) => v.failingCheck ?? v.passed));
  });

  it('a server that accepts the connection and never answers costs a flush its time limit, nothing more', async () => {
    const sockets: Socket[] = [];
    const silent = createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', () => resolve()));
    try {
      const home = await joinedHome(`http://127.0.0.1:${(silent.address() as { port: number }).port}`, 'a-token-nobody-has-yet');
      reportVerdicts([verdict('watchChannel', true)], { home });
      const result = await flushReports(1_500, { home });
      expect(result.waiting).toBe(1);
      expect(result.error).toMatch(/no answer within|ran out of time/);
    } finally {
      for (const socket of sockets) socket.destroy();
      silent.close();
    }
  });

  it('a report the server can never take is set aside; the others still go', async () => {
    const server = await serve();
    const home = await joinedHome(`http://127.0.0.1:${server.port}`, server.tokens.joinToken);
    reportVerdicts([verdict('blockConnected', true), verdict('exerciseFromTheFuture', true), verdict('watchChannel', true)], { home });
    const result = await flushReports(3_000, { home });
    expect(result).toMatchObject({ waiting: 0 });
    expect(savedReports(server).map((r) => r.exercise)).toEqual(['blockConnected', 'watchChannel']);
    const state = JSON.parse(readFileSync(join(home, 'class-outbox-state.json'), 'utf8')) as { rejected: Array<{ exercise: string; reason: string }> };
    expect(state.rejected).toHaveLength(1);
    expect(state.rejected[0]!.exercise).toBe('exerciseFromTheFuture');
    expect(state.rejected[0]!.reason).toContain('reports[1].exercise: expected one of blockConnected');
  });

  it('a refused join token keeps the backlog and says why', async () => {
    const server = await serve();
    const home = await joinedHome(`http://127.0.0.1:${server.port}`, 'an-old-token-from-last-week');
    reportVerdicts([verdict('watchChannel', true)], { home });
    const result = await flushReports(3_000, { home });
    expect(result.waiting).toBe(1);
    expect(result.error).toMatch(/the class server at http:\/\/127\.0\.0\.1:\d+ refused the join token: class server: expected this class's join token, got a wrong join token/);
  });

  it('a torn line in the outbox (a crash mid-append) is skipped; the next verdict is not glued to it', async () => {
    const server = await serve();
    const home = await joinedHome(`http://127.0.0.1:${server.port}`, server.tokens.joinToken);
    reportVerdicts([verdict('blockConnected', true)], { home });
    await flushReports(3_000, { home });
    appendFileSync(join(home, 'class-outbox.jsonl'), '{"reportId":"torn-000001","exerc');
    reportVerdicts([verdict('watchChannel', true)], { home });
    expect(await flushReports(3_000, { home })).toMatchObject({ waiting: 0 });
    expect(savedReports(server).map((r) => r.exercise)).toEqual(['blockConnected', 'watchChannel']);
  });
});

describe('LNLAB_CLASS: joining through the environment', () => {
  it('the first report joins the class under LNLAB_NAME, and keeps one learner id', async () => {
    const server = await serve();
    const home = await tempDir();
    const env = { LNLAB_CLASS: `http://127.0.0.1:${server.port}/#${server.tokens.joinToken}`, LNLAB_NAME: 'Grace' };
    reportVerdicts([verdict('blockConnected', true)], { home, env });
    reportVerdicts([verdict('watchChannel', true)], { home, env });
    await flushReports(3_000, { home, env });
    const room = server.state.snapshot();
    expect(room.learners.map((l) => [l.name, l.reports])).toEqual([['Grace', 2]]);
    expect(readMembership(home)).toMatchObject({ url: `http://127.0.0.1:${server.port}`, name: 'Grace' });
  });

  it('a new class in the environment starts a fresh outbox: the old class\'s backlog is not sent to it', async () => {
    const oldPort = await findFreePort();
    const server = await serve();
    const home = await joinedHome(`http://127.0.0.1:${oldPort}`, 'the-old-class-token-0001');
    reportVerdicts([verdict('blockConnected', false, 'from the old class')], { home });
    const env = { LNLAB_CLASS: `http://127.0.0.1:${server.port}#${server.tokens.joinToken}`, LNLAB_NAME: 'Grace' };
    reportVerdicts([verdict('watchChannel', true)], { home, env });
    await flushReports(3_000, { home, env });
    expect(savedReports(server).map((r) => r.exercise)).toEqual(['watchChannel']);
  });

  it('after leaving, the same LNLAB_CLASS does not re-join by itself', async () => {
    const server = await serve();
    const home = await tempDir();
    const env = { LNLAB_CLASS: `http://127.0.0.1:${server.port}#${server.tokens.joinToken}` };
    writeMembership(home, { url: `http://127.0.0.1:${server.port}`, joinToken: server.tokens.joinToken, learnerId: 'id-left-00001', name: 'Ada', joinedAt: '', left: true });
    reportVerdicts([verdict('watchChannel', true)], { home, env });
    expect(existsSync(join(home, 'class-outbox.jsonl'))).toBe(false);
    expect((await flushReports(1_000, { home, env })).joined).toBe(false);
  });
});
