/**
 * The exercise registry: the one list the notebooks, their check cells, the grader, the README table and
 * the tests are derived from. Entries live per notebook in `./exercises/`; their order here is the order
 * of the workshop.
 */
import { CHANNEL_MONITOR_EXERCISES } from './exercises/01-channel-monitor.js';
import { CHAIN_MONITOR_EXERCISES } from './exercises/02-chain-monitor.js';
import { UPDATING_CHANNELS_EXERCISES } from './exercises/03-updating-channels.js';
import { CHANNEL_MANAGER_EXERCISES } from './exercises/04-channel-manager.js';
import { GOING_FURTHER_EXERCISES } from './exercises/06-going-further.js';
import type { Exercise } from './exercise.js';
import type { ExerciseTest } from './check/types.js';

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}

/** Every exercise, in workshop order. Frozen all the way down: nothing may edit the curriculum at run time. */
export const EXERCISES: readonly Exercise[] = deepFreeze([
  ...CHANNEL_MONITOR_EXERCISES,
  ...CHAIN_MONITOR_EXERCISES,
  ...UPDATING_CHANNELS_EXERCISES,
  ...CHANNEL_MANAGER_EXERCISES,
  ...GOING_FURTHER_EXERCISES,
]);

/** The exercise with this id; a `RangeError` naming the known ids otherwise. */
export function exerciseById(id: string): Exercise {
  const exercise = EXERCISES.find((e) => e.id === id);
  if (!exercise) {
    throw new RangeError(`no exercise "${id}"; the exercises are: ${EXERCISES.map((e) => e.id).join(', ')}`);
  }
  return exercise;
}

/** The exercise's number within its track, in workshop order (core exercises and deep dives count apart). */
export function exerciseNumber(exercise: Exercise): number {
  return EXERCISES.filter((e) => e.track === exercise.track).indexOf(exercise) + 1;
}

/** `ChannelMonitor.prototype.blockConnected`: the method (a hole in `src/node`) the exercise fills in. */
export function ownMethod(exercise: Exercise): string {
  return `${exercise.component}.prototype.${exercise.functionName}`;
}

/** Notebook names that hold exercises, in workshop order. */
export function exerciseNotebooks(): string[] {
  return [...new Set(EXERCISES.map((e) => e.notebook))];
}

/** Loads one checks module; a bundle (the grader's) provides its own, with every checks file built in. */
export type ChecksLoader = (id: string) => Promise<{ tests?: readonly ExerciseTest<never>[] }>;

/** The checks file next to this one, found at run time: a new exercise needs no list to be edited. */
let loadChecks: ChecksLoader = (id) => import(/* @vite-ignore */ new URL(`./checks/${id}.js`, import.meta.url).href);

/** Replaces how checks modules are found (the grader's bundle registers the modules it contains). */
export function useChecksLoader(loader: ChecksLoader): void {
  loadChecks = loader;
}

/**
 * Loads an exercise's checks from `src/curriculum/checks/<id>.ts` (lazily: they build demo channels and
 * open files). The checks module exports `tests`.
 */
export async function loadTests(exercise: Exercise): Promise<readonly ExerciseTest<never>[]> {
  const module = await loadChecks(exercise.id);
  if (!Array.isArray(module.tests) || module.tests.length === 0) {
    throw new Error(`src/curriculum/checks/${exercise.id}.ts must export a non-empty \`tests\` array`);
  }
  return module.tests;
}
export type { Exercise, ExerciseTrack } from './exercise.js';
