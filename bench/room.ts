/**
 * Benchmark: what sharing verdicts with the room costs, and how fast the class server takes them.
 * - `room_report_verdicts`: wall time of one `reportVerdicts` call (one verdict) for a learner in a class,
 *   as a check cell pays it: read the membership, append + fsync the outbox, start the background send.
 *   Median and 99th percentile over RUNS calls against a live class server on loopback;
 * - `room_report_not_joined`: the same call for a learner in no class (the default);
 * - `room_server_reports`: reports the class server accepts per second, one report per request, each
 *   fdatasynced before it is acknowledged (one learner sending, as after a backlog);
 * - `room_render`: rendering the instructor's grid for a room of LEARNERS learners with a verdict on
 *   every exercise (done at most once a second, for all open pages at once), and its size.
 *
 * Run directly: `node --import tsx bench/room.ts` (prints JSON). Wired into `npm run bench`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { postJson } from '../src/room/client.js';
import { writeMembership } from '../src/room/membership.js';
import { flushReports, reportVerdicts } from '../src/room/reporter.js';
import { renderRoom } from '../src/room/page.js';
import { RoomState } from '../src/room/room-state.js';
import { startClassServer } from '../src/room/server.js';
import { EXERCISES } from '../src/room/exercises.js';
import type { BenchResult } from './filestore.js';

const RUNS = 300;
const SERVER_REQUESTS = 300;
const MS_DIGITS = 3;
/** The largest room the README's instructors' section speaks of. */
const LEARNERS = 300;
const RENDER_RUNS = 20;

function percentile(values: number[], fraction: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))]!;
}

function round(ms: number): number {
  return Number(ms.toFixed(MS_DIGITS));
}

function timeCalls(home: string): number[] {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    reportVerdicts([{ exercise: 'watchChannel', passed: false, failingCheck: 'answers Completed and the monitor is on disk', via: 'check-cell', at: new Date().toISOString() }], { home, env: {} });
    times.push(performance.now() - start);
  }
  return times;
}

/** A room of LEARNERS learners, each with one or two verdicts on every exercise. */
function fullRoom(): RoomState {
  const room = new RoomState();
  const now = Date.now();
  for (let l = 0; l < LEARNERS; l++) {
    const learnerId = `bench-learner-${String(l).padStart(4, '0')}`;
    room.apply({ type: 'join', learnerId, name: `Learner ${l}`, at: new Date(now).toISOString() });
    for (const [e, exercise] of EXERCISES.entries()) {
      const passed = (l + e) % 3 !== 0;
      room.apply({ type: 'report', learnerId, reportId: `r-${l}-${e}-00`, exercise: exercise.id, passed: false, failingCheck: 'answers Completed and the monitor is on disk', via: 'check-cell', at: new Date(now - 60_000).toISOString(), receivedAt: new Date(now).toISOString() });
      if (passed) room.apply({ type: 'report', learnerId, reportId: `r-${l}-${e}-01`, exercise: exercise.id, passed: true, via: 'grade', at: new Date(now).toISOString(), receivedAt: new Date(now).toISOString() });
    }
  }
  return room;
}

function benchRender(): BenchResult[] {
  const room = fullRoom();
  const times: number[] = [];
  let bytes = 0;
  for (let i = 0; i < RENDER_RUNS; i++) {
    const start = performance.now();
    bytes = Buffer.byteLength(renderRoom(room.snapshot()));
    times.push(performance.now() - start);
  }
  return [
    { name: 'room_render', value: round(percentile(times, 0.5)), unit: 'ms', statistic: 'median', learners: LEARNERS, exercises: EXERCISES.length },
    { name: 'room_render_size', value: Math.round(bytes / 1024), unit: 'KiB', learners: LEARNERS, exercises: EXERCISES.length },
  ];
}

export async function benchRoom(): Promise<BenchResult[]> {
  const dir = mkdtempSync(join(tmpdir(), 'lnlab-bench-room-'));
  const server = await startClassServer({ dataDir: join(dir, 'server'), port: 0, host: '127.0.0.1' });
  try {
    const url = `http://127.0.0.1:${server.port}`;
    const joined = join(dir, 'joined');
    writeMembership(joined, { url, joinToken: server.tokens.joinToken, learnerId: 'bench-learner-1', name: 'Bench', joinedAt: '' });
    const inClass = timeCalls(joined);
    await flushReports(30_000, { home: joined });
    const outside = timeCalls(join(dir, 'outside'));

    const start = performance.now();
    for (let i = 0; i < SERVER_REQUESTS; i++) {
      const report = { reportId: `bench-report-${i}`, exercise: 'watchChannel', passed: true, via: 'grade', at: new Date().toISOString() };
      const answer = await postJson(`${url}/api/reports`, server.tokens.joinToken, { learnerId: 'bench-learner-2', name: 'Bench', reports: [report] }, 5_000);
      if (answer.status !== 200) throw new Error(`bench: the class server answered ${answer.status}`);
    }
    const perSecond = Math.round(SERVER_REQUESTS / ((performance.now() - start) / 1000));
    return [
      { name: 'room_report_verdicts', value: round(percentile(inClass, 0.5)), unit: 'ms', statistic: 'median', runs: RUNS },
      { name: 'room_report_verdicts_p99', value: round(percentile(inClass, 0.99)), unit: 'ms', statistic: 'p99', runs: RUNS },
      { name: 'room_report_not_joined', value: round(percentile(outside, 0.5)), unit: 'ms', statistic: 'median', runs: RUNS },
      { name: 'room_server_reports', value: perSecond, unit: 'reports/s', requests: SERVER_REQUESTS, flush: 'each' },
      ...benchRender(),
    ];
  } finally {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  for (const result of await benchRoom()) process.stdout.write(`${JSON.stringify(result)}\n`);
}
