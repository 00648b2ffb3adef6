/**
 * The two texts of an exercise cell, both derived from the reference solution `solutions/<id>.ts`:
 * - the **solution cell**: the solution function (with its TSDoc), as the learner's cell would hold it;
 * - the **skeleton cell**: its signature and step comments, the lines marked `// (given)`, and a
 *   `NotImplementedError` — so a skeleton can never drift from the solution it is checked against.
 *
 * Skeletons are baked into `generated/cells.json` by `npm run notebooks`, so nothing a learner's copy runs
 * needs `solutions/` (an instructor may hand out a copy without it).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../chain/regtest/launcher.js';
import { solutionFile, type Exercise } from './exercise.js';

/** Marks a line of a solution that the skeleton keeps, so the learner does not retype plumbing. */
export const GIVEN_MARKER = '// (given)';

/** A solution file that does not have the shape the builder needs; the message names the file. */
export class SolutionSourceError extends Error {
  constructor(file: string, message: string) {
    super(`${file}: ${message}`);
    this.name = 'SolutionSourceError';
  }
}

/**
 * The solution function of `exercise` as a cell: from its TSDoc (if one directly precedes it) to the end
 * of the file, without `export`.
 */
export function solutionCellFromText(exercise: Exercise, text: string, file = solutionFile(exercise)): string {
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  const header = new RegExp(`^export (async )?function ${exercise.functionName}\\(`);
  const at = lines.findIndex((l) => header.test(l));
  if (at < 0) throw new SolutionSourceError(file, `no \`export function ${exercise.functionName}(\` (or \`export async function\`) at the start of a line`);
  let start = at;
  if (lines[at - 1]?.trim() === '*/') {
    start = at - 1;
    while (start > 0 && !lines[start]!.trimStart().startsWith('/**')) start--;
  }
  const body = lines.slice(start);
  body[at - start] = body[at - start]!.replace(/^export /, '');
  return `${body.join('\n').replace(/\s+$/, '')}\n`;
}

/** The solution cell read from the repository's `solutions/` (throws ENOENT in a copy without it). */
export function solutionCell(exercise: Exercise, root = PROJECT_ROOT): string {
  const file = solutionFile(exercise);
  return solutionCellFromText(exercise, readFileSync(join(root, file), 'utf8'), file);
}

/** The skeleton the learner starts from: signature, step comments, given lines, and a NotImplementedError. */
export function skeletonFromSolution(exercise: Exercise, solution: string): string {
  const lines = solution.replace(/\n$/, '').split('\n');
  const open = lines.findIndex((l) => /^(async )?function /.test(l));
  const bodyStart = lines.findIndex((l, i) => i >= open && /\{\s*$/.test(l) && !/^\s*(\/\/|\*)/.test(l));
  const bodyEnd = lines.length - 1 - [...lines].reverse().findIndex((l) => l.trim() === '}');
  const kept = lines.slice(bodyStart + 1, bodyEnd).filter((l) => l.trim().startsWith('//') || l.includes(GIVEN_MARKER));
  return [
    ...lines.slice(0, bodyStart + 1),
    `  // ⚡️ TODO(${exercise.id}): replace the throw below with the steps the comments describe`,
    ...kept,
    `  throw new NotImplementedError('${exercise.id}');`,
    '}',
  ].join('\n');
}

/** The skeleton derived from the repository's solution file (the builder's job; learners read the baked one). */
export function skeletonCellFromSolution(exercise: Exercise, root = PROJECT_ROOT): string {
  return skeletonFromSolution(exercise, solutionCell(exercise, root));
}
