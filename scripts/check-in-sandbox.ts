/**
 * A maintainer's tool: runs one exercise's checks in a sandboxed grading child, as `lnlab grade` does, on
 * the reference solution, the skeleton, or a cell read from a file, and prints the verdict.
 *
 *   node --import tsx scripts/check-in-sandbox.ts <exercise> [solution|skeleton|<cell file>]
 */
import { readFileSync } from 'node:fs';
import { exerciseById, loadTests, skeletonCell, solutionCell } from '../src/internal.js';
import { transpileCell } from '../src/grade/sandbox/transpile.js';
import { SandboxChild } from '../src/grade/sandbox/spawn.js';
import { startThrowawayNode } from '../src/chain/regtest/launcher.js';

const [id = 'blockConnected', what = 'solution'] = process.argv.slice(2);
const exercise = exerciseById(id);
const source = what === 'solution' ? solutionCell(exercise) : what === 'skeleton' ? skeletonCell(exercise) : readFileSync(what, 'utf8');
const expectedTests = (await loadTests(exercise)).map((test) => test.name);
const node = exercise.minesBlocks ? await startThrowawayNode() : undefined;
const started = performance.now();
const child = new SandboxChild(20_000);
await child.ready;
const ready = performance.now();
const cell = transpileCell(exercise, source);
if (!cell.ok) {
  process.stdout.write(`${cell.message}\n`);
} else {
  const verdict = await child.run({ id, code: cell.code, sourceMap: cell.sourceMap, expectedTests, chain: node?.config });
  for (const test of verdict.tests) process.stdout.write(`${test.passed ? '✅' : '❌'} ${test.name}${test.passed ? '' : `\n     ${test.message ?? ''}${test.hint ? `\n     hint: ${test.hint}` : ''}`}\n`);
  for (const problem of verdict.problems) process.stdout.write(`⚠️  ${problem}\n`);
  if (verdict.output) process.stdout.write(`--- output ---\n${verdict.output}\n`);
  process.stdout.write(`${verdict.passed ? 'PASSED' : 'FAILED'}: child ready in ${Math.round(ready - started)} ms, job ${verdict.durationMs} ms\n`);
}
await node?.stop();
