/**
 * How the lead wires the room into the grader: the real `gradeNotebooks` grades a learner's notebooks
 * (one exercise solved, one still a skeleton), `roomVerdictsFromResults` turns the results into room
 * verdicts, `reportVerdicts` shares them, and the room shows the pass and the first failing check —
 * with nothing of the learner's code or the checks' messages in what was sent.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { gradeNotebooks } from '../../src/grade/grade.js';
import { exerciseById, loadTests } from '../../src/internal.js';
import { roomVerdictFromCheckReport, roomVerdictsFromResults, GRADING_STOPPED_CHECK } from '../../src/room/from-grade.js';
import { writeMembership } from '../../src/room/membership.js';
import { flushReports, reportVerdicts } from '../../src/room/reporter.js';
import { startClassServer } from '../../src/room/server.js';
import { skeletonSpec, solutionSpec, writeLearner } from '../grade/notebook-fixture.js';
import { useTempDirs } from '../grade/temp-dirs.js';

const tempDir = useTempDirs('lnlab-room-grade-');
const SOLVED = 'updateMonitor';
const UNSOLVED = 'watchChannel';

describe('lnlab grade → the room', () => {
  it('a graded pass and a graded failure reach the room as the exercise, the verdict and the check name only', async () => {
    const notebooks = writeLearner(join(await tempDir(), 'notebooks'), (e) => (e.id === SOLVED ? solutionSpec(e) : skeletonSpec(e)));
    const results = await gradeNotebooks(notebooks, [exerciseById(SOLVED), exerciseById(UNSOLVED)]);
    const firstCheck = (await loadTests(exerciseById(UNSOLVED)))[0]!.name;

    const verdicts = roomVerdictsFromResults(results, new Date('2026-05-01T10:00:00.000Z'));
    expect(verdicts).toEqual([
      { exercise: SOLVED, passed: true, via: 'grade', at: '2026-05-01T10:00:00.000Z' },
      { exercise: UNSOLVED, passed: false, failingCheck: firstCheck, via: 'grade', at: '2026-05-01T10:00:00.000Z' },
    ]);

    const server = await startClassServer({ dataDir: join(await tempDir(), 'data'), port: 0, host: '127.0.0.1' });
    try {
      const home = await tempDir();
      writeMembership(home, { url: `http://127.0.0.1:${server.port}`, joinToken: server.tokens.joinToken, learnerId: 'id-grader-0001', name: 'Ada', joinedAt: '' });
      reportVerdicts(verdicts, { home });
      expect((await flushReports(5_000, { home })).waiting).toBe(0);
      const cells = server.state.snapshot().learners[0]!.cells;
      expect(cells[SOLVED]).toMatchObject({ state: 'passed' });
      expect(cells[UNSOLVED]).toMatchObject({ state: 'failing', failingCheck: firstCheck });
      // What left the learner's machine: no message ("not written yet…"), no source text.
      const sent = readFileSync(join(home, 'class-outbox.jsonl'), 'utf8');
      expect(sent).not.toContain('not written yet');
      expect(sent).not.toContain('NotImplementedError');
      expect(sent).not.toContain('persistMonitor');
    } finally {
      await server.close();
    }
  });

  it('a result with no failing check names why; a check cell report maps the same way', () => {
    const base = { notebook: '02-chain-monitor', durationMs: 1, typeErrors: [] as string[] };
    const stopped = roomVerdictsFromResults([{ ...base, id: SOLVED, passed: false, tests: [], problems: ['timed out after 20 s'], stopped: true }])[0]!;
    expect(stopped).toMatchObject({ passed: false, failingCheck: GRADING_STOPPED_CHECK });
    const cell = roomVerdictFromCheckReport({ id: SOLVED, passed: false, durationMs: 3, tests: [{ name: 'a', passed: true }, { name: 'b', passed: false, message: 'secret detail' }] });
    expect(cell).toMatchObject({ exercise: SOLVED, passed: false, failingCheck: 'b', via: 'check-cell' });
    expect(JSON.stringify(cell)).not.toContain('secret detail');
  });
});
