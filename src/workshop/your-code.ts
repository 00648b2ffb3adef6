/**
 * Later notebooks run the learner's own functions where they pass their checks, the reference where they
 * do not (yet) — when this copy of the workshop has one — and say which is which. An exercise with
 * neither stays a hole, and the notebook says where to write it.
 */
import { assembleNode, type NodeClasses, type NodeMethods } from '../node/assemble.js';
import { runTests } from '../curriculum/check/runner.js';
import type { Exercise } from '../curriculum/exercise.js';
import { EXERCISES, exerciseById, exerciseNumber, loadTests } from '../curriculum/registry.js';
import { loadReference, withExercise } from '../curriculum/references.js';

/** The learner's functions, by exercise id (`{ blockConnected, watchChannel }`); any may be missing. */
export type YourFunctions = Partial<Record<string, unknown>>;

/** Where each exercise's part comes from: the learner, the reference, or nowhere yet (a hole). */
export type PartSource = 'yours' | 'reference' | 'missing';

/** The node's classes with the parts chosen, and whose code each exercise runs. */
export interface AssembledComponents extends NodeClasses {
  /** Per exercise id asked about: whose code runs. */
  readonly used: Readonly<Record<string, PartSource>>;
}

/** Runs exercise `id`'s checks on `impl` without printing; resolves with the number of failed checks (0: it passes). */
export async function failedChecks(id: string, impl: unknown): Promise<number> {
  const exercise = exerciseById(id);
  const report = await runTests(id, await loadTests(exercise), impl as never, exercise.hints[0]);
  return report.passed ? 0 : Math.max(1, report.tests.filter((t) => !t.passed).length);
}

/** "notebook 01, exercise 1" — where a learner writes `exercise`. */
function whereToWrite(exercise: Exercise): string {
  return `${exercise.notebook}.ipynb, ${exercise.track === 'core' ? 'exercise' : 'deep dive'} ${exerciseNumber(exercise)}`;
}

/**
 * The node's classes with every function in `yours` that passes its exercise's checks in place of the
 * method, the reference for every other exercise this copy has a reference for, and a hole otherwise.
 * Prints one line per exercise in `yours` saying whose code runs and why. Unknown keys are refused (a
 * typo must not silently fall back to the reference).
 */
export async function assembleComponents(yours: YourFunctions = {}, print = true): Promise<AssembledComponents> {
  for (const id of Object.keys(yours)) exerciseById(id);
  let methods: NodeMethods = {};
  const used: Record<string, PartSource> = {};
  const lines: string[] = [];
  // Registry order: when two exercises fill one method (`transactionsConfirmed` and its scaled version),
  // one asked about wins over one not asked about, and between equals the later one wins.
  const askedFor = (e: Exercise) => e.id in yours;
  const shadowed = (e: Exercise) => !askedFor(e) && EXERCISES.some((o) => o !== e && askedFor(o) && o.component === e.component && o.functionName === e.functionName);
  for (const exercise of EXERCISES) {
    if (shadowed(exercise)) continue;
    const impl = yours[exercise.id];
    const asked = askedFor(exercise);
    let why = '';
    let source: PartSource = 'missing';
    if (impl !== undefined) {
      const failed = await failedChecks(exercise.id, impl);
      if (failed === 0) {
        methods = withExercise(methods, exercise, impl as Function);
        source = 'yours';
        why = 'YOURS (it passes its check)';
      } else {
        why = `yours fails ${failed} check${failed === 1 ? '' : 's'}; run its check cell to see which`;
      }
    }
    if (source !== 'yours') {
      const reference = await loadReference(exercise);
      if (reference) {
        methods = withExercise(methods, exercise, reference);
        source = 'reference';
        why = `the reference (${why || 'none given'})`;
      } else {
        why = `MISSING: ${why || 'not written yet'} — write it in ${whereToWrite(exercise)}`;
      }
    }
    if (!asked) continue;
    used[exercise.id] = source;
    lines.push(`  ${`${exercise.component}.${exercise.functionName}`.padEnd(34)} ${why}`);
  }
  lines.push('  everything else                    given (src/node)');
  if (print) process.stdout.write(`Whose code runs:\n${lines.join('\n')}\n`);
  return Object.freeze({ ...assembleNode(methods), used: Object.freeze(used) });
}
