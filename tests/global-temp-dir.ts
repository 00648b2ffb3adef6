/**
 * Every test run gets a temporary directory of its own (`TMPDIR` for the run and everything it starts), and
 * at the end that directory must be empty: a test or check that leaves a folder behind fails the run,
 * naming what it left. (Issue 12: "every check and test removes the temporary folders it creates".)
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

let runDir: string | undefined;
const TOOL_CACHES = /^(tsx-\d+|node-compile-cache|v8-compile-cache.*)$/;

export function setup(): void {
  runDir = mkdtempSync(join(tmpdir(), 'lnlab-test-run-'));
  process.env.TMPDIR = runDir;
}

export function teardown(): void {
  if (!runDir) return;
  // Tools' own caches (tsx keeps its compile cache in the temporary directory) are not a test's leftovers.
  const left = readdirSync(runDir).filter((name) => !TOOL_CACHES.test(name));
  rmSync(runDir, { recursive: true, force: true });
  if (left.length > 0) {
    // A teardown error is only logged by vitest; the exit code is what CI reads.
    process.exitCode = 1;
    throw new Error(`the tests left ${left.length} temporary entr${left.length === 1 ? 'y' : 'ies'} behind: ${left.slice(0, 20).join(', ')}${left.length > 20 ? ', …' : ''}`);
  }
}
