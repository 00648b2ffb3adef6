/**
 * Benchmark: the `createChannel` checks (live chain) as `lnlab grade --class` runs them — every learner's
 * cell in a fresh sandboxed child (`gradeCell`), all on ONE shared regtest node, two at a time. Wall time on
 * the reference cell:
 * - `create_channel_checks`: one learner, the node already started (median of 3);
 * - `create_channel_class`: a class of 30 learners, two lanes; also per learner, and blocks mined per
 *   learner (every check's wallets are funded by one transaction and one block; check 1 mines one more).
 *
 * Run directly: `node --import tsx bench/create-channel.ts` (prints JSON). Wired into `npm run bench`.
 */
import { availableParallelism } from 'node:os';
import { pathToFileURL } from 'node:url';
import { BitcoindClient, exerciseById, solutionCell } from '../src/internal.js';
import { gradeCell } from '../src/grade/sandbox/grade-cell.js';
import { sharedCheckChain, stopSharedCheckChain } from '../src/grade/sandbox/check-chain.js';
import type { BenchResult } from './filestore.js';

const CLASS_SIZE = 30;
const LANES = 2;
const SINGLE_RUNS = 3;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

export async function benchCreateChannel(): Promise<BenchResult[]> {
  const exercise = exerciseById('createChannel');
  const cell = solutionCell(exercise);
  const gradeOnce = async () => {
    const verdict = await gradeCell(exercise, cell);
    if (!verdict.passed) throw new Error(`bench: the reference createChannel failed to grade as passing: ${JSON.stringify(verdict.tests.filter((t) => !t.passed))}`);
  };
  try {
    const client = new BitcoindClient(await sharedCheckChain());
    await gradeOnce(); // the node's first 101 blocks and the bundle build, untimed
    const single: number[] = [];
    for (let i = 0; i < SINGLE_RUNS; i++) {
      const started = performance.now();
      await gradeOnce();
      single.push(performance.now() - started);
    }
    const { height: before } = await client.getBestBlock();
    const started = performance.now();
    let next = 0;
    const lane = async () => {
      while (next++ < CLASS_SIZE) await gradeOnce();
    };
    await Promise.all(Array.from({ length: LANES }, lane));
    const classMs = performance.now() - started;
    const { height: after } = await client.getBestBlock();
    const params = { cores: availableParallelism(), lanes: LANES };
    return [
      { name: 'create_channel_checks', value: Math.round(median(single)), unit: 'ms', runs: SINGLE_RUNS, ...params, start: 'node running' },
      { name: 'create_channel_class', value: Math.round(classMs), unit: 'ms', learners: CLASS_SIZE, ...params },
      { name: 'create_channel_class_per_learner', value: Math.round(classMs / CLASS_SIZE), unit: 'ms', learners: CLASS_SIZE, ...params },
      { name: 'create_channel_blocks_per_learner', value: (after - before) / CLASS_SIZE, unit: 'blocks', learners: CLASS_SIZE },
    ];
  } finally {
    await stopSharedCheckChain();
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.log(JSON.stringify(await benchCreateChannel(), null, 2));
}
