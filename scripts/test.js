#!/usr/bin/env node
// `npm test`: install the locked dependencies if needed (a fresh clone, a changed lockfile), then
// type-check the project and run the test suite. Arguments go to vitest, so
// `npm test -- tests/start/doctor.test.ts` runs one file.
//
// Plain Node that imports only `node:*` and our own ensure-deps.js: it runs before node_modules exists.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ensureDependencies, PROJECT_DIR } from './ensure-deps.js';

/** Runs one step with the terminal attached; returns its exit code (1 when a signal ended it). */
function step(script, args) {
  const result = spawnSync(process.execPath, [join(PROJECT_DIR, 'node_modules', ...script), ...args], { cwd: PROJECT_DIR, stdio: 'inherit' });
  if (result.error) process.stderr.write(`❌ could not run ${script.join('/')}: ${result.error.message}\n`);
  return result.status ?? 1;
}

function main() {
  if (!ensureDependencies()) return 1;
  const typecheck = step(['typescript', 'bin', 'tsc'], ['-p', '.', '--noEmit']);
  if (typecheck !== 0) return typecheck;
  return step(['vitest', 'vitest.mjs'], ['run', ...process.argv.slice(2)]);
}

process.exitCode = main();
