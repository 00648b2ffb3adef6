/**
 * Benchmark: what `npm start` and `npm test` pay, with everything installed, for checking that the
 * dependencies match package-lock.json before they load anything (`scripts/ensure-deps.js`):
 * - `deps_check`: one check of this checkout, in process; median of 21;
 * - `lnlab_cold_help`: a whole `node bin/lnlab.js --help` (Node, the check, tsx and the CLI loading), the
 *   floor under every lnlab command, for scale; median of 5.
 *
 * Run directly: `node --import tsx bench/start.ts` (prints JSON). Wired into `npm run bench`.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { dependencyState } from '../scripts/ensure-deps.js';
import { PROJECT_ROOT } from '../src/internal.js';
import type { BenchResult } from './filestore.js';

const CHECK_RUNS = 21;
const CLI_RUNS = 5;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function timeMs(run: () => void): number {
  const start = performance.now();
  run();
  return performance.now() - start;
}

export async function benchStart(): Promise<BenchResult[]> {
  const checks = Array.from({ length: CHECK_RUNS }, () =>
    timeMs(() => {
      if (dependencyState(PROJECT_ROOT).state !== 'current') throw new Error('bench: node_modules does not match package-lock.json; run `npm ci` first');
    }),
  );
  const bin = join(PROJECT_ROOT, 'bin', 'lnlab.js');
  const cli = Array.from({ length: CLI_RUNS }, () => timeMs(() => execFileSync(process.execPath, [bin, '--help'], { stdio: 'ignore' })));
  return [
    { name: 'deps_check', value: Number(median(checks).toFixed(2)), unit: 'ms', runs: CHECK_RUNS },
    { name: 'lnlab_cold_help', value: Math.round(median(cli)), unit: 'ms', runs: CLI_RUNS },
  ];
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  for (const result of await benchStart()) process.stdout.write(`${JSON.stringify(result)}\n`);
}
