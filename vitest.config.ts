import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // Chain tests start their own regtest node and mine; give them room on a 2-core machine.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Two files at a time even on 2 cores: most tests wait on child processes (kernels, grading children,
    // regtest nodes), so one file at a time left the machine half idle and CI near its 15-minute limit.
    maxWorkers: 2,
    // A temporary directory per run, which must be empty at the end (see the file).
    globalSetup: ['tests/global-temp-dir.ts'],
  },
});
