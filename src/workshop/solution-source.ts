/**
 * Both versions of an exercise cell come from the one reference solution in `solutions/`:
 * - the **solution cell**: the `// #region <id>` text, a class method turned into a function with a
 *   `this:` parameter (so the learner's cell and the reference have the same shape);
 * - the **skeleton cell**: its signature and step comments, the lines marked `// (given)`, and a
 *   `NotImplementedError` — so a skeleton can never drift from the solution it is checked against.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../chain/regtest/launcher.js';
import type { Exercise } from './exercises.js';

/** Marks a line of a solution that the skeleton keeps, so the learner does not retype plumbing. */
export const GIVEN_MARKER = '// (given)';

/** The text between `// #region <region>` and `// #endregion <region>`, dedented. */
export function regionText(file: string, region: string, root = PROJECT_ROOT): string {
  const lines = readFileSync(join(root, file), 'utf8').split('\n');
  const start = lines.findIndex((l) => l.trim() === `// #region ${region}`);
  const end = lines.findIndex((l, i) => i > start && l.trim() === `// #endregion ${region}`);
  if (start < 0 || end < 0) throw new Error(`${file}: no "// #region ${region}" … "// #endregion ${region}" pair`);
  const body = lines.slice(start + 1, end);
  const indent = Math.min(...body.filter((l) => l.trim()).map((l) => l.length - l.trimStart().length));
  return body.map((l) => l.slice(indent)).join('\n');
}

/** The reference solution as the learner's cell would hold it: a function, `this` typed as the component. */
export function solutionCell(exercise: Exercise, root = PROJECT_ROOT): string {
  const lines = regionText(exercise.solution.file, exercise.solution.region, root).split('\n');
  const header = new RegExp(`^(export )?(async )?(function )?${exercise.functionName}\\((.*)$`);
  const at = lines.findIndex((l) => header.test(l));
  if (at < 0) throw new Error(`${exercise.solution.file}#${exercise.solution.region}: no function or method named ${exercise.functionName}`);
  const [, , isAsync = '', , rest = ''] = header.exec(lines[at]!)!;
  if (!rest.startsWith('this:')) {
    const self = `this: ${exercise.component}`;
    lines[at] = rest.trim() === '' || rest.startsWith(')')
      ? `${isAsync}function ${exercise.functionName}(${rest.trim() === '' ? `\n  ${self},` : self}${rest.trim() === '' ? '' : rest}`
      : `${isAsync}function ${exercise.functionName}(${self}, ${rest}`;
  } else {
    lines[at] = `${isAsync}function ${exercise.functionName}(${rest}`;
  }
  return lines.join('\n').replace(/\n{2,}$/, '\n');
}

/** The skeleton the learner starts from: signature, step comments, given lines, and a NotImplementedError. */
export function skeletonCell(exercise: Exercise, root = PROJECT_ROOT): string {
  const lines = solutionCell(exercise, root).split('\n');
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
