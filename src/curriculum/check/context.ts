/**
 * What the process running a set of checks tells them: which regtest node to use (chain exercises), and a
 * seed for their random choices — which fault to inject, which keys to use — so a learner's code cannot
 * recognise a check by its fixed inputs, while a run can still be replayed from its seed.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { RpcConfig } from '../../chain/config.js';

export interface CheckContext {
  /** The node chain checks use; absent when the checks run in a process that may start one itself. */
  readonly chain?: RpcConfig;
  /** Hex; seeds `checkRandom`. */
  readonly seed: string;
}

let context: CheckContext = Object.freeze({ seed: randomBytes(16).toString('hex') });
let counter = 0n;

/** Sets the context of the checks that run next (the grading child sets it from its job). */
export function setCheckContext(next: CheckContext): void {
  context = Object.freeze({ ...next });
  counter = 0n;
}

export function checkContext(): CheckContext {
  return context;
}

/** 32 fresh bytes derived from the run's seed: different on every draw and every run, replayable from the seed. */
export function checkRandomBytes(): Uint8Array {
  counter += 1n;
  return Uint8Array.from(createHash('sha256').update(`${context.seed}:${counter}`).digest());
}

/** A number in [0, 1) from the run's seed. */
export function checkRandom(): number {
  const bytes = checkRandomBytes();
  return (((bytes[0]! << 24) >>> 0) + (bytes[1]! << 16) + (bytes[2]! << 8) + bytes[3]!) / 2 ** 32;
}

/** One of `choices`, picked from the run's seed. */
export function checkPick<T>(choices: readonly T[]): T {
  return choices[Math.floor(checkRandom() * choices.length)]!;
}
