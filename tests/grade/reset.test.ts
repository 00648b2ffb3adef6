/**
 * `lnlab reset <exercise>` puts the skeleton back — re-creating a deleted cell, dropping duplicates,
 * repairing an edited check cell — and keeps the learner's notebook as a backup, saying where.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cellChecksum, cellSource, cellsWith, checkCellSource, exerciseById, readNotebook, skeletonCell, solutionCell } from '../../src/internal.js';
import { solutionSpec, writeLearner } from './notebook-fixture.js';
import { useTempDirs } from './temp-dirs.js';
import { blockOf, lnlab } from './run-cli.js';

const tempDir = useTempDirs();
const watchChannel = exerciseById('watchChannel');

describe('lnlab reset', () => {
  it('restores the skeleton, keeps a backup, and the exercise then fails as unwritten', async () => {
    const home = await tempDir();
    const dir = writeLearner(await tempDir(), solutionSpec);
    const file = join(dir, '02-chain-monitor.ipynb');
    const before = readFileSync(file, 'utf8');
    const reset = await lnlab(['reset', 'watchChannel', '--dir', dir], home);
    expect(reset.code, reset.stderr).toBe(0);
    const backup = /saved as (\S+\.ipynb)/.exec(reset.stdout)?.[1];
    expect(backup, reset.stdout).toBeDefined();
    expect(backup!.startsWith(join(home, 'backups'))).toBe(true);
    expect(readFileSync(backup!, 'utf8')).toBe(before);
    const notebook = readNotebook(file);
    const [cell, ...others] = cellsWith(notebook, 'exercise', 'watchChannel');
    expect(others).toEqual([]);
    expect(cellSource(cell!)).toBe(skeletonCell(watchChannel));
    // The other exercise in the notebook is untouched.
    expect(cellSource(cellsWith(notebook, 'exercise', 'transactionsConfirmed')[0]!)).toBe(solutionCell(exerciseById('transactionsConfirmed')));
    const graded = await lnlab(['grade', 'watchChannel', '--dir', dir], home);
    expect(blockOf(graded.stdout, 'watchChannel'), graded.stdout).toMatch(/^❌ watchChannel[\s\S]*not written yet/);
  });

  it("clears the check cell's old verdict, so no stale ✅ stays under a skeleton", async () => {
    const home = await tempDir();
    const dir = writeLearner(await tempDir(), solutionSpec);
    const file = join(dir, '02-chain-monitor.ipynb');
    const passed = JSON.parse(readFileSync(file, 'utf8')) as { cells: Array<{ metadata: { lnlab?: { role?: string; exercise?: string } }; outputs?: unknown[]; execution_count?: number | null }> };
    const check = passed.cells.find((c) => c.metadata.lnlab?.role === 'check' && c.metadata.lnlab.exercise === 'watchChannel')!;
    check.outputs = [{ output_type: 'stream', name: 'stdout', text: ['✅ watchChannel: all 5 checks passed\n'] }];
    check.execution_count = 7;
    writeFileSync(file, JSON.stringify(passed));
    const reset = await lnlab(['reset', 'watchChannel', '--dir', dir], home);
    expect(reset.stdout).toContain("the check cell's old verdict was cleared");
    const after = cellsWith(readNotebook(file), 'check', 'watchChannel')[0]!;
    expect(after.outputs).toEqual([]);
    expect(after.execution_count).toBeNull();
    expect(cellSource(after)).toBe(checkCellSource(watchChannel));
  });

  it('re-creates a deleted exercise cell, drops a duplicate, and repairs an edited check cell', async () => {
    const home = await tempDir();
    const dir = writeLearner(await tempDir(), (e) =>
      e.id === 'updateMonitor' ? { cells: [], checkSource: "await check('updateMonitor', () => {});" }
        : e.id === 'updateChannel' ? { cells: [solutionCell(e), '// my copy'] } : solutionSpec(e));
    const monitor = await lnlab(['reset', 'updateMonitor', '--dir', dir], home);
    expect(monitor.stdout).toContain('the exercise cell was missing: re-created');
    expect(monitor.stdout).toContain('the check cell had been edited: restored');
    const channel = await lnlab(['reset', 'updateChannel', '--dir', dir], home);
    expect(channel.stdout).toContain('removed 1 extra copy of the exercise cell');
    expect(monitor.stdout).not.toBe(channel.stdout);
    const notebook = readNotebook(join(dir, '03-updating-channels.ipynb'));
    const exercise = cellsWith(notebook, 'exercise', 'updateMonitor');
    const check = cellsWith(notebook, 'check', 'updateMonitor');
    expect(exercise).toHaveLength(1);
    expect(notebook.cells.indexOf(check[0]!)).toBe(notebook.cells.indexOf(exercise[0]!) + 1);
    expect(cellSource(check[0]!)).toBe(checkCellSource(exerciseById('updateMonitor')));
    expect(check[0]!.metadata.lnlab?.checksum).toBe(cellChecksum(checkCellSource(exerciseById('updateMonitor'))));
    expect(cellsWith(notebook, 'exercise', 'updateChannel')).toHaveLength(1);
  });

  it('refuses an unknown exercise and a notebook that is not JSON, changing nothing', async () => {
    const home = await tempDir();
    const dir = writeLearner(await tempDir(), solutionSpec, { raw: { '02-chain-monitor': '{ broken' } });
    const unknown = await lnlab(['reset', 'watchChanel', '--dir', dir], home);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('no exercise "watchChanel"; the exercises are: blockConnected');
    const corrupt = await lnlab(['reset', 'watchChannel', '--dir', dir], home);
    expect(corrupt.code).toBe(1);
    expect(corrupt.stderr).toMatch(/02-chain-monitor\.ipynb: not a readable notebook/);
    expect(readFileSync(join(dir, '02-chain-monitor.ipynb'), 'utf8')).toBe('{ broken');
    expect(existsSync(join(home, 'backups'))).toBe(false);
  });
});
