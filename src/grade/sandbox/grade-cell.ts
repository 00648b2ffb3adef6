/**
 * Grades one exercise cell in a fresh sandboxed child, the way `lnlab grade` and a notebook's check cell
 * do: compile it after its notebook's setup cell, run the registry's checks on it in the child, and let the
 * parent decide. Chain exercises get this process's shared throwaway regtest node.
 */
import type { Exercise } from '../../curriculum/exercise.js';
import { loadTests } from '../../curriculum/registry.js';
import { COMPILE_TEST_NAME } from '../protocol.js';
import { sharedCheckChain } from './check-chain.js';
import { SandboxChild, type SandboxVerdict } from './spawn.js';
import { transpileCell } from './transpile.js';

export interface GradeCellOptions {
  /** Per-check time limit inside the child (default 20 s). */
  readonly testTimeoutMs?: number;
  /** A child started earlier (and not used yet); a fresh one otherwise. */
  readonly child?: SandboxChild;
}

/** The default per-check time limit. */
export const DEFAULT_TEST_TIMEOUT_MS = 20_000;

export async function gradeCell(exercise: Exercise, cellSource: string, options: GradeCellOptions = {}): Promise<SandboxVerdict> {
  const started = performance.now();
  const cell = transpileCell(exercise, cellSource);
  if (!cell.ok) {
    options.child?.close();
    return {
      id: exercise.id, passed: false, stopped: false, problems: [], output: '', durationMs: Math.round(performance.now() - started),
      tests: [{ name: COMPILE_TEST_NAME, passed: false, message: cell.message, hint: exercise.hints[0] }],
    };
  }
  const child = options.child ?? new SandboxChild(options.testTimeoutMs ?? DEFAULT_TEST_TIMEOUT_MS);
  const [expectedTests, chain] = await Promise.all([
    loadTests(exercise).then((tests) => tests.map((test) => test.name)),
    exercise.minesBlocks ? sharedCheckChain() : Promise.resolve(undefined),
  ]);
  return child.run({ id: exercise.id, code: cell.code, sourceMap: cell.sourceMap, expectedTests, chain });
}
