/**
 * `lnlab` runs as one prebuilt file, rebuilt when any source it was built from changes or a checks file
 * appears: a learner never runs a build step, and never runs a stale command.
 */
import { statSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/internal.js';
// @ts-expect-error plain JavaScript without types
import { buildCliBundle, cliBundleIsFresh, cliModule } from '../../scripts/cli-bundle.js';

describe('the prebuilt CLI', () => {
  it('is rebuilt after a source changed, and runs the current sources', async () => {
    await cliModule();
    expect(cliBundleIsFresh()).toBe(true);
    const source = join(PROJECT_ROOT, 'src', 'grade', 'scoreboard.ts');
    const { atime, mtime } = statSync(source);
    try {
      utimesSync(source, atime, new Date(mtime.getTime() + 5_000));
      expect(cliBundleIsFresh()).toBe(false);
      await buildCliBundle();
      expect(cliBundleIsFresh()).toBe(true);
    } finally {
      utimesSync(source, atime, mtime);
    }
    const { runCli } = (await import(await cliModule())) as { runCli(argv: string[], output: { out(t: string): void; err(t: string): void }): Promise<number> };
    let printed = '';
    expect(await runCli(['--help'], { out: (t) => (printed += t), err: (t) => (printed += t) })).toBe(0);
    expect(printed).toContain('lnlab grade');
  });
});
