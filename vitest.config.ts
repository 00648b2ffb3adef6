import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // Chain tests start their own regtest node and mine; give them room on a 2-core machine.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // A temporary directory per run, which must be empty at the end (see the file).
    globalSetup: ['tests/global-temp-dir.ts'],
  },
});
