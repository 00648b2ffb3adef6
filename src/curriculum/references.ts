/**
 * The reference solutions, loaded only where the workshop may use them: `solution('<id>')` after a pass,
 * the fallback of later notebooks for exercises a learner has not solved, and the project's own tests.
 * Never statically imported by anything under `src/` (a test enforces it), so a copy of the workshop
 * without `solutions/` still runs, grades and resets — it just has no fallback.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { PROJECT_ROOT } from '../chain/regtest/launcher.js';
import { assembleNode, type NodeClasses, type NodeMethods } from '../node/assemble.js';
import { solutionFile, type Exercise } from './exercise.js';
import { EXERCISES } from './registry.js';

/**
 * Whether `path` exists and may be read. In a grading child the permission model denies it (that is the
 * point), which counts as absent.
 */
function readable(path: string): boolean {
  try {
    return existsSync(path);
  } catch {
    return false;
  }
}

/** Whether this copy of the workshop has `solutions/` (an instructor's hand-out copy may not). */
export function solutionsPresent(root = PROJECT_ROOT): boolean {
  return readable(join(root, 'solutions'));
}

/** Whether the reference of `exercise` is in this copy (and readable by this process). */
export function hasReference(exercise: Exercise, root = PROJECT_ROOT): boolean {
  return readable(join(root, solutionFile(exercise)));
}

/** The reference function of `exercise`, or `undefined` when this copy has none. */
export async function loadReference(exercise: Exercise, root = PROJECT_ROOT): Promise<Function | undefined> {
  if (!hasReference(exercise, root)) return undefined;
  const module = (await import(pathToFileURL(join(root, solutionFile(exercise))).href)) as Record<string, unknown>;
  const reference = module[exercise.functionName];
  if (typeof reference !== 'function') {
    throw new TypeError(`${solutionFile(exercise)}: expected an exported function ${exercise.functionName}, got ${typeof reference}`);
  }
  return reference;
}

/** Adds `fn` as `exercise`'s method to a `NodeMethods` being built. */
export function withExercise(methods: NodeMethods, exercise: Exercise, fn: Function): NodeMethods {
  return { ...methods, [exercise.component]: { ...methods[exercise.component], [exercise.functionName]: fn } };
}

/**
 * The node with every reference present installed, except those of the exercises in `except` and of any
 * exercise that fills the same method as one of them (so `transactionsConfirmed` and its scaled version
 * never stand in for each other). Later exercises win where two fill one method, as in the workshop.
 */
export async function referenceNode(except: readonly string[] = [], root = PROJECT_ROOT): Promise<NodeClasses> {
  const excluded = EXERCISES.filter((e) => except.includes(e.id));
  const sameMethod = (e: Exercise) => excluded.some((x) => x.component === e.component && x.functionName === e.functionName);
  let methods: NodeMethods = {};
  for (const exercise of EXERCISES) {
    if (sameMethod(exercise)) continue;
    const reference = await loadReference(exercise, root);
    if (reference) methods = withExercise(methods, exercise, reference);
  }
  return assembleNode(methods);
}
