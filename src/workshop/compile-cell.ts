/**
 * Turns the text of an exercise cell into a callable function outside Jupyter: the cell is written, after
 * its notebook's setup cell, into a module under `.lnlab/cells/` (inside the repository, so
 * `lightning-lab` resolves as it does in the kernel) and imported. Used by the grader and the tests.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { randomBytes } from 'node:crypto';
import { PROJECT_ROOT } from '../chain/regtest/launcher.js';
import { setupCell } from '../curriculum/cells.js';
import type { Exercise } from '../curriculum/exercise.js';

/** Lines the setup cell takes before the exercise cell starts: subtract to turn a module line into a cell line. */
export function setupLineCount(exercise: Exercise): number {
  return setupCell(exercise.notebook).split('\n').length;
}

/** The module a cell is compiled as: its notebook's setup cell, the cell, and an export of its function. */
export function cellModuleSource(exercise: Exercise, cellSource: string): string {
  return `${setupCell(exercise.notebook)}\n${cellSource}\nexport { ${exercise.functionName} as exerciseImplementation };\n`;
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
