/**
 * The room's arithmetic: the latest verdict by the learner's time (not by arrival), the failing streak
 * (since when, how many tries), the check most failing learners are on, and who has not started.
 */
import { describe, expect, it } from 'vitest';
import type { LogRecord } from '../../src/room/event-log.js';
import { RoomState, UNNAMED_CHECK } from '../../src/room/room-state.js';

const T0 = Date.parse('2026-05-01T10:00:00.000Z');
const MINUTE_MS = 60_000;
let next = 0;

function at(minutes: number): string {
  return new Date(T0 + minutes * MINUTE_MS).toISOString();
}

function join(learnerId: string, name: string): LogRecord {
  return { type: 'join', learnerId, name, at: at(0) };
}

/** A report made at minute `made`, arriving at minute `arrived` (default: at once). */
function report(learnerId: string, exercise: string, passed: boolean, made: number, options: { check?: string; arrived?: number } = {}): LogRecord {
  return {
    type: 'report', learnerId, reportId: `report-${String(next++).padStart(6, '0')}`, exercise, passed, via: 'check-cell',
    at: at(made), receivedAt: at(options.arrived ?? made), ...(options.check ? { failingCheck: options.check } : {}),
  };
}

describe('RoomState', () => {
  it('orders by the learner\'s time: a backlog arriving late does not overwrite a newer verdict', () => {
    const room = new RoomState();
    room.apply(join('learner-ada1', 'Ada'));
    room.apply(report('learner-ada1', 'watchChannel', true, 30));
    // Sent from an offline laptop afterwards, but made before the pass.
    room.apply(report('learner-ada1', 'watchChannel', false, 10, { check: 'A', arrived: 40 }));
    room.apply(report('learner-ada1', 'watchChannel', false, 20, { check: 'B', arrived: 40 }));
    expect(room.snapshot(new Date(at(41))).learners[0]!.cells.watchChannel).toEqual({ state: 'passed', at: at(30) });
  });

  it('a failing streak runs from its first failure after the last pass, counting tries; the latest check is shown', () => {
    const room = new RoomState();
    room.apply(report('learner-ada1', 'blockConnected', false, 1, { check: 'old' }));
    room.apply(report('learner-ada1', 'blockConnected', true, 5));
    room.apply(report('learner-ada1', 'blockConnected', false, 7, { check: 'first' }));
    room.apply(report('learner-ada1', 'blockConnected', false, 9, { check: 'second' }));
    room.apply(report('learner-ada1', 'blockConnected', false, 12));
    expect(room.snapshot().learners[0]!.cells.blockConnected).toEqual({ state: 'failing', failingCheck: undefined, since: at(7), tries: 3 });
  });

  it('a learner clock running ahead is taken to be no later than the report\'s arrival', () => {
    const room = new RoomState();
    room.apply(report('learner-ada1', 'blockConnected', false, 90, { check: 'x', arrived: 5 }));
    expect(room.snapshot().learners[0]!.cells.blockConnected).toMatchObject({ since: at(5) });
  });

  it('the most common failing check wins; a tie goes to the name that sorts first; passes are not counted', () => {
    const room = new RoomState();
    const failing: Array<[string, string | undefined]> = [['l-000001', 'persists'], ['l-000002', 'persists'], ['l-000003', 'answers'], ['l-000004', undefined]];
    for (const [id, check] of failing) room.apply(report(id, 'watchChannel', false, 1, check ? { check } : {}));
    room.apply(report('l-000005', 'watchChannel', true, 1));
    room.apply(report('l-000001', 'updateMonitor', false, 1, { check: 'zeta' }));
    room.apply(report('l-000002', 'updateMonitor', false, 1, { check: 'alpha' }));
    const summary = Object.fromEntries(room.snapshot().exercises.map((e) => [e.id, e]));
    expect(summary.watchChannel).toMatchObject({ passing: 1, failing: 4, commonFailingCheck: { name: 'persists', learners: 2 } });
    expect(summary.updateMonitor!.commonFailingCheck).toEqual({ name: 'alpha', learners: 1 });
    expect(summary.blockConnected!.commonFailingCheck).toBeUndefined();
    expect(UNNAMED_CHECK).toBe('(no check named)');
  });

  it('joined without a verdict is "not started"; a re-sent report is counted once; a rename is kept', () => {
    const room = new RoomState();
    room.apply(join('learner-bob1', 'Bob'));
    const once = report('learner-ada1', 'watchChannel', true, 1);
    room.apply(join('learner-ada1', 'Ada'));
    room.apply(once);
    room.apply(once);
    room.apply(join('learner-ada1', 'Ada L.'));
    const learners = room.snapshot().learners;
    expect(learners.map((l) => [l.name, l.started, l.reports])).toEqual([['Ada L.', true, 1], ['Bob', false, 0]]);
  });

  it('learners are listed by name as people sort them: "Team 2" before "Team 10"', () => {
    const room = new RoomState();
    for (const [id, name] of [['l-000010', 'Team 10'], ['l-000002', 'Team 2'], ['l-000001', 'ada']]) room.apply(join(id!, name!));
    expect(room.snapshot().learners.map((l) => l.name)).toEqual(['ada', 'Team 2', 'Team 10']);
  });
});
