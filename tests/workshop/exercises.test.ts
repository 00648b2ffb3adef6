/**
 * The curriculum guard (after rustlings' `dev check`): every registered exercise has hints and a
 * solution region; its reference solution, compiled from the same text the solution notebook holds,
 * passes; its skeleton, compiled from the same text the learner starts with, fails every check.
 */
import { describe, expect, it } from 'vitest';
import { EXERCISES, compileCell, loadTests, runTests, skeletonCell, solutionCell, formatReport } from '../../src/internal.js';

describe('the exercise registry', () => {
  it('has unique ids, two hints each, and a notebook name with its order', () => {
    const ids = EXERCISES.map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const exercise of EXERCISES) {
      expect(exercise.hints, exercise.id).toHaveLength(2);
      for (const text of exercise.hints) expect(text.length, exercise.id).toBeGreaterThan(20);
      expect(exercise.notebook).toMatch(/^\d\d-[a-z-]+$/);
    }
  });

  it('has tests for every exercise', async () => {
    for (const exercise of EXERCISES) expect((await loadTests(exercise)).length, exercise.id).toBeGreaterThanOrEqual(3);
  });
});

describe.each(EXERCISES.map((e) => [e.id, e] as const))('exercise %s', (_id, exercise) => {
  it('the reference solution (as a notebook cell) passes every check', async () => {
    const impl = await compileCell(exercise, solutionCell(exercise));
    const report = await runTests(exercise.id, await loadTests(exercise), impl as never, exercise.hints[0]);
    expect(report.passed, formatReport(report)).toBe(true);
  });

  it('the skeleton compiles and fails every check', async () => {
    const skeleton = skeletonCell(exercise);
    expect(skeleton).toContain(`TODO(${exercise.id})`);
    const impl = await compileCell(exercise, skeleton);
    const report = await runTests(exercise.id, await loadTests(exercise), impl as never, exercise.hints[0]);
    expect(report.passed).toBe(false);
    expect(report.tests.filter((t) => t.passed).map((t) => `${exercise.id}: ${t.name}`)).toEqual([]);
    expect(formatReport(report)).toMatch(new RegExp(`^❌ ${exercise.id}`));
  });
});
