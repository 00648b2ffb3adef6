/**
 * Turns the text of an exercise cell into a callable function outside Jupyter: the cell is written,
 * after the notebook prelude, into a module under `.lnlab/cells/` (inside the repository, so
 * `lightning-lab` resolves as it does in the kernel) and imported. Used by the grader and the tests.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { randomBytes } from 'node:crypto';
import { PROJECT_ROOT } from '../chain/regtest/launcher.js';
import type { Exercise } from './exercises.js';
import { NOTEBOOK_PRELUDE } from './prelude.js';

/** Lines the prelude takes before the cell starts: subtract to turn a module line into a cell line. */
export const PRELUDE_LINES = NOTEBOOK_PRELUDE.split('\n').length;

export function cellModuleSource(exercise: Exercise, cellSource: string): string {
  return `${NOTEBOOK_PRELUDE}\n${cellSource}\nexport { ${exercise.functionName} as exerciseImplementation };\n`;
}

/** Writes the cell as a module and imports it; resolves with the function the cell defines. */
export async function compileCell(exercise: Exercise, cellSource: string): Promise<unknown> {
  // Always inside the repository (not LNLAB_HOME): imports resolve from the nearest node_modules.
  const dir = join(PROJECT_ROOT, '.lnlab', 'cells');
  mkdirSync(dir, { recursive: true });
  // A fresh name per compile: an ES module is cached by URL, and a learner's edit must be seen.
  const file = join(dir, `${exercise.id}-${randomBytes(6).toString('hex')}.ts`);
  writeFileSync(file, cellModuleSource(exercise, cellSource));
  try {
    const module = (await import(pathToFileURL(file).href)) as { exerciseImplementation: unknown };
    return module.exerciseImplementation;
  } finally {
    rmSync(file, { force: true });
  }
}
