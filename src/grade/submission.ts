/**
 * What a learner handed in, read from their notebooks by cell metadata (never by position): per
 * exercise, the text of its exercise cell and what is wrong around it — a notebook that is not JSON, a
 * deleted or duplicated exercise cell, an edited check or setup cell. Edits to locked cells are reported
 * and otherwise ignored: the grader runs the registry's tests and the workshop's prelude, never cell code
 * other than the exercise cell itself.
 */
import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Exercise } from '../curriculum/registry.js';
import {
  NotebookReadError, cellChecksum, cellsWith, cellSource, checkCellSource, readNotebook, type Notebook, type NotebookCell,
} from '../curriculum/notebook-format.js';

/** One exercise as handed in. `source` is absent when there is nothing to grade (then `problems` says why). */
export interface Submission {
  readonly exercise: Exercise;
  /** The notebook file the registry puts this exercise in. */
  readonly file: string;
  readonly source?: string;
  readonly problems: readonly string[];
}

type NotebookOrProblem = { readonly notebook: Notebook; readonly warnings: readonly string[] } | { readonly problem: string };

/** A path as the person at the terminal would type it. */
export function displayPath(file: string): string {
  const rel = relative(process.cwd(), file);
  return rel === '' || rel.startsWith('..') ? file : rel;
}

/** `cell N` (1-based, as counted in Jupyter from the top). */
function cellLabel(notebook: Notebook, cell: NotebookCell): string {
  return `cell ${notebook.cells.indexOf(cell) + 1}`;
}

function loadNotebook(file: string): NotebookOrProblem {
  const shown = displayPath(file);
  if (!existsSync(file)) {
    return { problem: `${shown} not found — copy it back (\`git checkout -- ${shown}\` in the workshop repository)` };
  }
  let notebook: Notebook;
  try {
    notebook = readNotebook(file);
  } catch (err) {
    const detail = err instanceof NotebookReadError ? (/\((.*)\)/.exec(err.message.split('\n')[0] ?? '')?.[1] ?? err.message) : String(err);
    return {
      problem: `${shown} is not a valid notebook (${detail}); its exercises cannot be graded — restore it with \`git checkout -- ${shown}\` (Jupyter may still have your version in .ipynb_checkpoints/)`,
    };
  }
  const warnings: string[] = [];
  const setup = cellsWith(notebook, 'setup');
  if (setup.length === 0) {
    warnings.push(`the setup cell of ${shown} is missing; graded with the workshop's imports`);
  } else {
    for (const cell of setup) {
      const expected = cell.metadata.lnlab?.checksum;
      if (expected !== undefined && cellChecksum(cellSource(cell)) !== expected) {
        warnings.push(`the setup cell of ${shown} (${cellLabel(notebook, cell)}) was edited; graded with the workshop's own imports`);
      }
    }
  }
  return { notebook, warnings };
}

function submissionIn(exercise: Exercise, file: string, notebook: Notebook, notebookWarnings: readonly string[]): Submission {
  const id = exercise.id;
  const problems: string[] = [];
  const all = cellsWith(notebook, 'exercise', id);
  const code = all.filter((c) => c.cell_type === 'code');
  let source: string | undefined;
  if (code.length === 0) {
    const turned = all[0] ? ` (${cellLabel(notebook, all[0])} is no longer a code cell)` : '';
    problems.push(`exercise cell missing${turned} — \`lnlab reset ${id}\` restores it (your notebook is backed up first)`);
  } else {
    source = cellSource(code[0]!);
    if (code.length > 1) {
      const cells = code.map((c) => cellLabel(notebook, c)).join(', ');
      problems.push(`${code.length} exercise cells for ${id} (${cells}): graded the first one (${cellLabel(notebook, code[0]!)}); delete the copies, or \`lnlab reset ${id}\``);
    }
  }
  const checks = cellsWith(notebook, 'check', id);
  if (checks.length === 0) {
    problems.push(`the check cell of ${id} is missing; graded with the registry's tests anyway — \`lnlab reset ${id}\` restores it`);
  }
  const originalChecksum = cellChecksum(checkCellSource(exercise));
  for (const cell of checks) {
    const expected = cell.metadata.lnlab?.checksum ?? originalChecksum;
    if (cellChecksum(cellSource(cell)) !== expected) {
      problems.push(`the check cell of ${id} (${cellLabel(notebook, cell)}) was edited; graded with the original check (the grader always runs the registry's tests) — \`lnlab reset ${id}\` restores it`);
    }
  }
  return { exercise, file, source, problems: [...problems, ...notebookWarnings] };
}

/** Reads `dir/<notebook>.ipynb` for each exercise (each notebook once); never throws for a bad notebook. */
export function readSubmissions(dir: string, exercises: readonly Exercise[]): Submission[] {
  const notebooks = new Map<string, NotebookOrProblem>();
  return exercises.map((exercise) => {
    const file = join(dir, `${exercise.notebook}.ipynb`);
    let loaded = notebooks.get(file);
    if (!loaded) {
      loaded = loadNotebook(file);
      notebooks.set(file, loaded);
    }
    if ('problem' in loaded) return { exercise, file, problems: [loaded.problem] };
    return submissionIn(exercise, file, loaded.notebook, loaded.warnings);
  });
}
