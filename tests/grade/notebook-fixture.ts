/**
 * Learner notebooks for the grader's tests, in the format of `src/workshop/notebook-format.ts`: a locked
 * setup cell (the prelude), then per exercise a Markdown prompt, the exercise cell(s) and a locked check
 * cell — with whatever exercise-cell text a test needs (solution, skeleton, a classic mistake, a loop).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  EXERCISES, NOTEBOOK_PRELUDE, cellChecksum, checkCellSource, skeletonCell, solutionCell,
  type Exercise, type Notebook, type NotebookCell,
} from '../../src/internal.js';

/** What one exercise looks like in a fixture notebook. */
export interface ExerciseSpec {
  /** The exercise cells: usually one; two for a duplicated cell; none for a deleted one. */
  readonly cells: readonly string[];
  /** A learner's edit of the check cell (the checksum stays that of the original). */
  readonly checkSource?: string;
  /** Leave the check cell out. */
  readonly noCheck?: boolean;
}

export const solutionSpec = (exercise: Exercise): ExerciseSpec => ({ cells: [solutionCell(exercise)] });
export const skeletonSpec = (exercise: Exercise): ExerciseSpec => ({ cells: [skeletonCell(exercise)] });

let nextId = 0;
const lines = (text: string) => text.split(/(?<=\n)/);
const code = (source: string, metadata: NotebookCell['metadata']): NotebookCell =>
  ({ id: `cell-${nextId++}`, cell_type: 'code', source: lines(source), metadata, outputs: [], execution_count: null });
const markdown = (source: string): NotebookCell => ({ id: `cell-${nextId++}`, cell_type: 'markdown', source: lines(source), metadata: {} });

/** A notebook holding `specs` (exercise → spec), in registry order. `setupSource` edits the setup cell. */
export function buildNotebook(title: string, specs: ReadonlyArray<[Exercise, ExerciseSpec]>, setupSource?: string): Notebook {
  const cells: NotebookCell[] = [
    markdown(`# ${title}`),
    code(setupSource ?? NOTEBOOK_PRELUDE, { editable: false, deletable: false, lnlab: { role: 'setup', checksum: cellChecksum(NOTEBOOK_PRELUDE) } }),
  ];
  for (const [exercise, spec] of specs) {
    cells.push(markdown(`## ⚡️ Exercise: ${exercise.title}\n\nMake this test pass: \`${exercise.id}\``));
    for (const text of spec.cells) cells.push(code(text, { lnlab: { role: 'exercise', exercise: exercise.id } }));
    if (!spec.noCheck) {
      const original = checkCellSource(exercise);
      cells.push(code(spec.checkSource ?? original, {
        editable: false, deletable: false, lnlab: { role: 'check', exercise: exercise.id, checksum: cellChecksum(original) },
      }));
    }
    cells.push(code(`// a demo cell the grader must ignore\nconsole.log('${exercise.id}');`, { lnlab: { role: 'code' } }));
  }
  return { cells, metadata: { kernelspec: { name: 'tslab', display_name: 'TypeScript', language: 'typescript' } }, nbformat: 4, nbformat_minor: 5 };
}

export interface LearnerOptions {
  /** Raw text to write instead of a notebook (e.g. corrupt JSON), by notebook name. */
  readonly raw?: Readonly<Record<string, string>>;
  /** Notebooks not to write at all. */
  readonly omit?: readonly string[];
  /** A changed setup cell, by notebook name. */
  readonly setup?: Readonly<Record<string, string>>;
}

/** Writes one `.ipynb` per registry notebook into `dir`, each exercise as `specFor` says. */
export function writeLearner(dir: string, specFor: (exercise: Exercise) => ExerciseSpec, options: LearnerOptions = {}): string {
  mkdirSync(dir, { recursive: true });
  const notebooks = [...new Set(EXERCISES.map((e) => e.notebook))];
  for (const name of notebooks) {
    if (options.omit?.includes(name)) continue;
    const file = join(dir, `${name}.ipynb`);
    const raw = options.raw?.[name];
    if (raw !== undefined) {
      writeFileSync(file, raw);
      continue;
    }
    const specs = EXERCISES.filter((e) => e.notebook === name).map((e): [Exercise, ExerciseSpec] => [e, specFor(e)]);
    writeFileSync(file, `${JSON.stringify(buildNotebook(name, specs, options.setup?.[name]), null, 1)}\n`);
  }
  return dir;
}
