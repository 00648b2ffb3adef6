/**
 * `lnlab grade --watch`: grades, then re-grades a notebook when it is saved, says what changed, and stops
 * cleanly on Ctrl-C (SIGINT) without leaving grading processes behind.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { skeletonSpec, solutionSpec, writeLearner } from './notebook-fixture.js';
import { useTempDirs } from './temp-dirs.js';
import { RunningLnlab } from './run-cli.js';

const tempDir = useTempDirs();

describe('lnlab grade --watch', () => {
  it('re-grades on save and reports the new verdict', async () => {
    const dir = writeLearner(join(await tempDir(), 'notebooks'), skeletonSpec);
    const watcher = new RunningLnlab(['grade', '--watch', 'watchChannel', '--dir', dir], await tempDir());
    try {
      let at = await watcher.waitFor(/❌ watchChannel [\s\S]*👀 watching/);
      // The learner writes the solution and saves (the way Jupyter does: the whole file is rewritten).
      writeLearner(dir, solutionSpec);
      at = await watcher.waitFor(/02-chain-monitor\.ipynb saved: re-grading[\s\S]*✅ watchChannel [\s\S]*newly passing: watchChannel/, at);
      // Back to the skeleton: newly failing.
      writeLearner(dir, skeletonSpec);
      await watcher.waitFor(/❌ watchChannel [\s\S]*newly failing: watchChannel/, at);
      watcher.signal('SIGINT');
      expect(await watcher.exited).toBe(0);
      expect(watcher.stdout).toContain('stopped watching');
      expect(watcher.stdout).not.toMatch(/transactionsConfirmed/); // only the exercise asked for
    } finally {
      watcher.signal('SIGKILL');
    }
  }, 180_000);
});
