/**
 * The cell texts baked by `npm run notebooks` into `generated/cells.json`: each exercise's skeleton and
 * each notebook's setup cell. `lnlab reset` and the grader read them from here, so neither needs
 * `solutions/` (a copy handed out without answers still resets and grades).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../chain/regtest/launcher.js';
import type { Exercise } from './exercise.js';

/** Where the baked cells live, relative to the repository root. */
export const GENERATED_CELLS_FILE = 'src/curriculum/generated/cells.json';

export interface GeneratedCells {
  /** Exercise id → the skeleton cell a learner starts from. */
  readonly skeletons: Readonly<Record<string, string>>;
  /** Notebook name → its setup cell. */
  readonly setups: Readonly<Record<string, string>>;
}

let cached: GeneratedCells | undefined;

/** The baked cells (read once per process). */
export function generatedCells(root = PROJECT_ROOT): GeneratedCells {
  if (root !== PROJECT_ROOT) return JSON.parse(readFileSync(join(root, GENERATED_CELLS_FILE), 'utf8')) as GeneratedCells;
  cached ??= JSON.parse(readFileSync(join(root, GENERATED_CELLS_FILE), 'utf8')) as GeneratedCells;
  return cached;
}

function missing(what: string): Error {
  return new Error(`${GENERATED_CELLS_FILE} has no ${what}: run \`npm run notebooks\` (it bakes the cells from the registry)`);
}

/** The skeleton cell of `exercise`, as shipped. */
export function skeletonCell(exercise: Exercise, root = PROJECT_ROOT): string {
  const skeleton = generatedCells(root).skeletons[exercise.id];
  if (skeleton === undefined) throw missing(`skeleton for ${exercise.id}`);
  return skeleton;
}

/** The setup cell of `notebook`, as shipped. */
export function setupCell(notebook: string, root = PROJECT_ROOT): string {
  const setup = generatedCells(root).setups[notebook];
  if (setup === undefined) throw missing(`setup cell for ${notebook}`);
  return setup;
}
