/** The run's temporary directory is its own (see `tests/global-temp-dir.ts`), so leftovers can be found. */
import { tmpdir } from 'node:os';
import { basename, dirname } from 'node:path';
import { describe, expect, it } from 'vitest';

describe('the test run', () => {
  it('has a temporary directory of its own', () => {
    expect(basename(tmpdir())).toMatch(/^lnlab-test-run-/);
    expect(basename(dirname(tmpdir()))).not.toMatch(/^lnlab-test-run-/);
  });
});
