/**
 * What `lnlab grade [notebook|exercise] [--dir DIR]` means: which folder, and which exercises in it.
 * The argument may be an exercise id (`watchChannel`), a notebook name with or without `.ipynb` or a
 * unique prefix of one (`02`), or the path of a notebook file (its folder becomes the folder graded).
 */
import { existsSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { PROJECT_ROOT } from '../chain/regtest/launcher.js';
import { EXERCISES, type Exercise } from '../curriculum/registry.js';
import { UsageError } from '../cli/usage.js';

/** The learner's notebooks when no `--dir` is given. */
export const DEFAULT_NOTEBOOK_DIR = join(PROJECT_ROOT, 'notebooks');

export interface Selection {
  /** The folder of notebooks, absolute. */
  readonly dir: string;
  readonly exercises: readonly Exercise[];
  /** Whether this is the learner's own workshop folder (its grades also unlock `solution(id)`). */
  readonly isDefaultDir: boolean;
}

/** Notebook names that hold exercises, in registry order. */
export function exerciseNotebooks(): string[] {
  return [...new Set(EXERCISES.map((e) => e.notebook))];
}

export function resolveSelection(argument: string | undefined, dirOption: string | undefined, usage: string): Selection {
  let dir = resolve(dirOption ?? DEFAULT_NOTEBOOK_DIR);
  const make = (exercises: readonly Exercise[]): Selection => ({ dir, exercises, isDefaultDir: dir === resolve(DEFAULT_NOTEBOOK_DIR) });
  if (argument === undefined) return make(EXERCISES);
  const byId = EXERCISES.find((e) => e.id === argument);
  if (byId) return make([byId]);
  let name = argument;
  if (argument.endsWith('.ipynb') || argument.includes('/')) {
    const file = resolve(argument);
    if (existsSync(file) && statSync(file).isFile()) dir = dirname(file);
    name = basename(argument);
  }
  name = name.replace(/\.ipynb$/, '');
  const notebooks = exerciseNotebooks();
  const matches = notebooks.includes(name) ? [name] : notebooks.filter((n) => n.startsWith(name));
  if (matches.length === 1) return make(EXERCISES.filter((e) => e.notebook === matches[0]));
  const why = matches.length > 1 ? `"${argument}" matches several notebooks (${matches.join(', ')})` : `no exercise or notebook "${argument}"`;
  throw new UsageError(
    `lnlab grade: ${why}\n  exercises: ${EXERCISES.map((e) => e.id).join(', ')}\n  notebooks with exercises: ${notebooks.join(', ')}`,
    usage,
  );
}
