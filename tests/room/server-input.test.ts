/**
 * The class server against strangers and broken clients: wrong tokens, malformed JSON, a huge body,
 * unknown exercises, wrong methods and paths. Each gets a clear 4xx saying what to do, and the server is
 * still up afterwards. Also: reports are de-duplicated, kept across restarts, and a torn last line in
 * the log (a crash mid-write) costs nothing that was acknowledged.
 */
import { appendFileSync, readFileSync, statSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EXERCISES } from '../../src/room/exercises.js';
import { startClassServer, type RunningClassServer } from '../../src/room/server.js';
import { useTempDirs } from '../grade/temp-dirs.js';

const tempDir = useTempDirs('lnlab-room-server-');
const running: RunningClassServer[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((server) => server.close()));
});

async function serve(dataDir?: string): Promise<RunningClassServer> {
  const server = await startClassServer({ dataDir: dataDir ?? join(await tempDir(), 'data'), port: 0, host: '127.0.0.1' });
  running.push(server);
  return server;
}

interface Answer {
  status: number;
  body: string;
  json: Record<string, unknown> | undefined;
}

/** One raw HTTP request, so a test controls every header and byte (fetch would fix some for us). */
function send(server: RunningClassServer, method: string, path: string, options: { token?: string; body?: string | Buffer; type?: string } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = {};
    if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
    if (options.body !== undefined) {
      headers['content-type'] = options.type ?? 'application/json';
      headers['content-length'] = Buffer.byteLength(options.body);
    }
    const req = request({ host: '127.0.0.1', port: server.port, method, path, headers, agent: false }, (res) => {
      let body = '';
      res.on('data', (chunk) => (body += chunk));
      res.on('end', () => {
        let json: Record<string, unknown> | undefined;
        try {
          json = JSON.parse(body) as Record<string, unknown>;
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode ?? 0, body, json });
      });
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

const LEARNER = 'learner-0001';

function report(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { reportId: `r-${Math.random().toString(36).slice(2, 12)}`, exercise: 'watchChannel', passed: false, failingCheck: 'answers Completed and the monitor is on disk', via: 'check-cell', at: new Date().toISOString(), ...overrides };
}

function batch(reports: unknown[], name = 'Ada'): string {
  return JSON.stringify({ learnerId: LEARNER, name, reports });
}

async function stillUp(server: RunningClassServer): Promise<void> {
  expect((await send(server, 'GET', '/healthz')).status).toBe(200);
  const ok = await send(server, 'POST', '/api/reports', { token: server.tokens.joinToken, body: batch([report()]) });
  expect(ok.status).toBe(200);
}

describe('class server: tokens', () => {
  it('refuses a missing or wrong join token with 401 and what to do; the view token does not join', async () => {
    const server = await serve();
    for (const token of [undefined, 'wrong-token-wrong-token', server.tokens.viewToken]) {
      const answer = await send(server, 'POST', '/api/reports', { token, body: batch([report()]) });
      expect(answer.status).toBe(401);
      expect(answer.json?.error).toMatch(/expected this class's join token, got (no join token|a wrong join token)\n→ ask your instructor for the join line/);
    }
    const join = await send(server, 'POST', '/api/join', { token: 'x'.repeat(22), body: JSON.stringify({ learnerId: LEARNER, name: 'Ada' }) });
    expect(join.status).toBe(401);
    expect(server.state.reports).toBe(0);
    expect(server.state.learnerCount).toBe(0);
    await stillUp(server);
  });

  it('shows the room only with the view token; the join token does not open it', async () => {
    const server = await serve();
    for (const path of ['/', '/?view=nope', `/?view=${server.tokens.joinToken}`]) {
      const page = await send(server, 'GET', path);
      expect(page.status).toBe(401);
      expect(page.body).toContain('open the page URL (with ?view=…) that `lnlab class serve` printed');
    }
    expect((await send(server, 'GET', `/api/room?view=${server.tokens.joinToken}`)).status).toBe(401);
    expect((await send(server, 'GET', `/api/events?view=${server.tokens.joinToken}`)).status).toBe(401);
    const page = await send(server, 'GET', `/?view=${server.tokens.viewToken}`);
    expect(page.status).toBe(200);
    expect(page.body).toContain('No learner has joined yet');
  });

  it('keeps its tokens across restarts, in owner-only files', async () => {
    const dataDir = join(await tempDir(), 'data');
    const first = await serve(dataDir);
    const tokens = first.tokens;
    await first.close();
    const second = await serve(dataDir);
    expect(second.tokens).toEqual(tokens);
    expect(tokens.joinToken).not.toBe(tokens.viewToken);
    expect(statSync(join(dataDir, 'tokens.json')).mode & 0o777).toBe(0o600);
    expect(statSync(dataDir).mode & 0o777).toBe(0o700);
  });
});

describe('class server: bad input gets a clear 4xx and the server stays up', () => {
  it('malformed JSON → 400 saying so', async () => {
    const server = await serve();
    const answer = await send(server, 'POST', '/api/reports', { token: server.tokens.joinToken, body: '{"learnerId": "learner-0001", "reports": [' });
    expect(answer.status).toBe(400);
    expect(answer.json?.error).toMatch(/^request body: expected JSON, got text that does not parse/);
    await stillUp(server);
  });

  it('a body that is not JSON → 415', async () => {
    const server = await serve();
    const answer = await send(server, 'POST', '/api/reports', { token: server.tokens.joinToken, body: 'passed=true', type: 'application/x-www-form-urlencoded' });
    expect(answer.status).toBe(415);
    expect(answer.json?.error).toContain('expected Content-Type application/json, got "application/x-www-form-urlencoded"');
    await stillUp(server);
  });

  it('a huge body (1 MiB, and a 4 MiB one that lies about its size) → 413, nothing kept', async () => {
    const server = await serve();
    const huge = batch([report({ failingCheck: 'x'.repeat(1024 * 1024) })]);
    const answer = await send(server, 'POST', '/api/reports', { token: server.tokens.joinToken, body: huge });
    expect(answer.status).toBe(413);
    expect(answer.json?.error).toMatch(/^request body: expected at most 262144 bytes, got \d+ or more/);
    // Chunked, so no Content-Length warns the server: it must count as it reads.
    const status = await new Promise<number>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: server.port, method: 'POST', path: '/api/reports', agent: false,
        headers: { authorization: `Bearer ${server.tokens.joinToken}`, 'content-type': 'application/json', 'transfer-encoding': 'chunked' } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      for (let i = 0; i < 64; i++) req.write(chunk);
      req.end();
    });
    expect(status).toBe(413);
    expect(server.state.reports).toBe(0);
    await stillUp(server);
  });

  it('an unknown exercise → 400 naming the report, the field and the known ids', async () => {
    const server = await serve();
    const answer = await send(server, 'POST', '/api/reports', { token: server.tokens.joinToken, body: batch([report(), report({ exercise: 'mineBitcoin' })]) });
    expect(answer.status).toBe(400);
    expect(answer.json?.index).toBe(1);
    expect(answer.json?.error).toContain(`reports[1].exercise: expected one of ${EXERCISES.map((e) => e.id).join(', ')}, got "mineBitcoin"`);
    expect(server.state.reports).toBe(0); // a batch is taken whole or not at all
    await stillUp(server);
  });

  it.each([
    ['a missing reportId', report({ reportId: undefined }), /reports\[0\]\.reportId: expected 8 to 64 characters/],
    ['passed as a string', report({ passed: 'yes' }), /reports\[0\]\.passed: expected true or false, got "yes"/],
    ['an unknown via', report({ via: 'telepathy' }), /reports\[0\]\.via: expected one of check-cell, grade, got "telepathy"/],
    ['a time that is not one', report({ at: 'yesterday' }), /reports\[0\]\.at: expected an ISO 8601 time/],
    ['a failing check on a pass', report({ passed: true }), /reports\[0\]\.failingCheck: expected none for a passing verdict/],
    ['a check name with a newline', report({ failingCheck: 'a\nb' }), /reports\[0\]\.failingCheck: expected a check name of 1 to 200 printable characters/],
  ])('%s → 400 naming the field', async (_what, bad, message) => {
    const server = await serve();
    const answer = await send(server, 'POST', '/api/reports', { token: server.tokens.joinToken, body: batch([bad]) });
    expect(answer.status).toBe(400);
    expect(answer.json?.error).toMatch(message);
    expect(answer.json?.index).toBe(0);
    await stillUp(server);
  });

  it('bad envelopes: not an object, no reports, too many, a name with control characters', async () => {
    const server = await serve();
    const token = server.tokens.joinToken;
    const cases: Array<[string, RegExp]> = [
      ['[1, 2]', /^reports: expected a JSON object \{ learnerId, name, reports \}, got an array/],
      [JSON.stringify({ learnerId: LEARNER, name: 'Ada', reports: [] }), /reports\.reports: expected an array of 1 to 200 reports, got 0 reports/],
      [batch(Array.from({ length: 201 }, () => report())), /got 201 reports/],
      [batch([report()], 'Ada\u202Eevil'), /reports\.name: expected a name of 1 to 60 printable characters/],
      [JSON.stringify({ learnerId: '../../etc', name: 'Ada', reports: [report()] }), /reports\.learnerId: expected 8 to 64 characters of \[A-Za-z0-9_-\], got "\.\.\/\.\.\/etc"/],
    ];
    for (const [body, message] of cases) {
      const answer = await send(server, 'POST', '/api/reports', { token, body });
      expect(answer.status, body.slice(0, 60)).toBe(400);
      expect(answer.json?.error).toMatch(message);
    }
    await stillUp(server);
  });

  it('wrong method → 405, unknown path → 404, both saying what exists', async () => {
    const server = await serve();
    const get = await send(server, 'GET', '/api/reports');
    expect(get.status).toBe(405);
    expect(get.json?.error).toContain('expected POST, got GET');
    const missing = await send(server, 'GET', '/admin');
    expect(missing.status).toBe(404);
    expect(missing.json?.error).toContain('the routes are /, /api/join');
    await stillUp(server);
  });

  it('a check name that is markup is shown as text on the page', async () => {
    const server = await serve();
    await send(server, 'POST', '/api/reports', { token: server.tokens.joinToken, body: batch([report({ failingCheck: '<script>alert(1)</script>' })], '<b>Eve</b>') });
    const page = await send(server, 'GET', `/?view=${server.tokens.viewToken}`);
    expect(page.body).toContain('&#60;script&#62;alert(1)&#60;/script&#62;');
    expect(page.body).toContain('&#60;b&#62;Eve&#60;/b&#62;');
    expect(page.body).not.toContain('<script>alert');
    expect(page.body).not.toContain('<b>Eve');
  });
});

describe('class server: what it accepts it keeps, once', () => {
  it('a re-sent report is counted once; the answer says how many were new', async () => {
    const server = await serve();
    const token = server.tokens.joinToken;
    const first = report();
    const second = report({ exercise: 'blockConnected', passed: true, failingCheck: undefined });
    expect((await send(server, 'POST', '/api/reports', { token, body: batch([first]) })).json).toEqual({ accepted: 1, duplicates: 0 });
    expect((await send(server, 'POST', '/api/reports', { token, body: batch([first, second, second]) })).json).toEqual({ accepted: 1, duplicates: 2 });
    expect(server.state.reports).toBe(2);
  });

  it('a restart keeps every accepted report; a torn last line from a crash is cut off and costs nothing', async () => {
    const dataDir = join(await tempDir(), 'data');
    const first = await serve(dataDir);
    const token = first.tokens.joinToken;
    const reports = [report({ exercise: 'blockConnected', passed: true, failingCheck: undefined }), report()];
    await send(first, 'POST', '/api/reports', { token, body: batch(reports) });
    const before = first.state.snapshot();
    await first.close();
    const log = join(dataDir, 'reports.jsonl');
    appendFileSync(log, '{"type":"report","learnerId":"learner-0001","reportId":"torn-0001","exer');

    const second = await serve(dataDir);
    expect(second.skippedLines).toBe(0);
    const after = second.state.snapshot();
    expect(after.learners).toEqual(before.learners);
    // The next report starts on a line of its own, and every line reads back.
    await send(second, 'POST', '/api/reports', { token, body: batch([report({ exercise: 'updateMonitor' })]) });
    const lines = readFileSync(log, 'utf8').split('\n').filter(Boolean);
    expect(lines.map((line) => (JSON.parse(line) as { type: string }).type)).toEqual(['join', 'report', 'report', 'report']);
    await second.close();
    const third = await serve(dataDir);
    expect(third.state.reports).toBe(3);
  });
});
