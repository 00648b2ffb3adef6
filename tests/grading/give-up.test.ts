/**
 * The full solution shows only after a pass — or after an explicit give-up, which is recorded for good
 * and reported by `lnlab grade` (scoreboard and JSON) and by the class report.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exerciseById, solutionCell } from '../../src/internal.js';
import { giveUp, solution } from '../../src/workshop/notebook.js';
import { readProgress, recordProgress } from '../../src/workshop/progress.js';
import { classCsv, classHtml } from '../../src/grade/index.js';
import type { ExerciseResult } from '../../src/grade/index.js';
import { skeletonSpec, writeLearner } from '../grade/notebook-fixture.js';
import { blockOf, jsonResults, lnlab } from '../grade/run-cli.js';
import { useTempDirs } from '../grade/temp-dirs.js';

const tempDir = useTempDirs('lnlab-giveup-');

/** What `fn` printed to stdout. */
function printed(fn: () => void): string {
  const chunks: string[] = [];
  const write = process.stdout.write;
  process.stdout.write = ((chunk: string) => (chunks.push(String(chunk)), true)) as typeof process.stdout.write;
  try {
    fn();
  } finally {
    process.stdout.write = write;
  }
  return chunks.join('');
}

describe('giving up', () => {
  it('solution() stays locked before a pass and says how to give up; giveUp() records it and shows the reference', async () => {
    const home = await tempDir();
    process.env.LNLAB_HOME = home;
    try {
      const locked = printed(() => solution('watchChannel'));
      expect(locked).toContain('🔒');
      expect(locked).toContain("giveUp('watchChannel')");
      expect(locked).not.toContain('persistNewChannel');
      const shown = printed(() => giveUp('watchChannel'));
      expect(shown).toContain('🏳️');
      expect(shown).toContain(solutionCell(exerciseById('watchChannel')).trim().split('\n').at(-2)!.trim());
      expect(readProgress(join(home, 'progress.json')).watchChannel?.gaveUpAt).toMatch(/^\d{4}-/);
      // A later pass keeps the give-up on record.
      recordProgress('watchChannel', true, join(home, 'progress.json'));
      expect(readProgress(join(home, 'progress.json')).watchChannel).toMatchObject({ passed: true, gaveUpAt: expect.any(String) });
      expect(printed(() => solution('watchChannel'))).not.toContain('🔒');
    } finally {
      delete process.env.LNLAB_HOME;
    }
  });

  it('lnlab grade of a repository copy reports the give-up, in the scoreboard and in --json', async () => {
    const copy = await tempDir();
    const notebooks = writeLearner(join(copy, 'notebooks'), skeletonSpec);
    mkdirSync(join(copy, '.lnlab'), { recursive: true });
    recordProgress('updateMonitor', false, join(copy, '.lnlab', 'progress.json'));
    const { recordGiveUp } = await import('../../src/workshop/progress.js');
    recordGiveUp('updateMonitor', join(copy, '.lnlab', 'progress.json'));
    const home = await tempDir();
    const run = await lnlab(['grade', 'updateMonitor', '--dir', notebooks], home);
    expect(blockOf(run.stdout, 'updateMonitor')).toContain('🏳️  you gave up on this one and saw the solution');
    const json = await lnlab(['grade', 'updateMonitor', '--dir', notebooks, '--json'], home);
    expect(jsonResults(json.stdout)[0]).toMatchObject({ id: 'updateMonitor', gave_up_at: expect.stringMatching(/^\d{4}-/) });
  });

  it('the class report marks it', () => {
    const result: ExerciseResult = { id: 'updateMonitor', notebook: '03-updating-channels', passed: true, tests: [{ name: 'a', passed: true }], durationMs: 1, problems: [], stopped: false, typeErrors: [], gaveUpAt: '2026-12-02T10:00:00.000Z' };
    const grades = [{ learner: 'ada', dir: '/x', results: [result] }];
    expect(classCsv(grades, [exerciseById('updateMonitor')])).toContain('pass (gave up)');
    expect(classHtml(grades, [exerciseById('updateMonitor')], { title: 't', generatedAt: new Date() })).toContain('gave up and saw the solution');
  });
});
