/**
 * `lnlab reset <exercise>`: puts an exercise cell back to its skeleton (re-creating it if it was
 * deleted, dropping duplicated copies) and repairs its check cell if that was edited or deleted. The
 * whole notebook is copied to `<LNLAB_HOME>/backups/` first, so nothing a learner wrote is ever lost.
 */
import { copyFileSync, constants, existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { dirname, join, resolve } from 'node:path';
import { WorkshopError } from '../errors.js';
import { UsageError } from '../cli/usage.js';
import { EXERCISES, type Exercise } from '../curriculum/registry.js';
import { cellChecksum, cellSource, checkCellSource, readNotebook, type Notebook, type NotebookCell } from '../curriculum/notebook-format.js';
import { progressFile } from '../workshop/progress.js';
import { skeletonCell } from '../curriculum/cells.js';
import { DEFAULT_NOTEBOOK_DIR } from './selection.js';
import { displayPath } from './submission.js';

export interface ResetOutcome {
  readonly file: string;
  readonly backup: string;
  /** What was done, for the learner. */
  readonly lines: readonly string[];
}

type MutableCell = { -readonly [K in keyof NotebookCell]: NotebookCell[K] } & { metadata: Record<string, unknown> };

/** Jupyter stores a cell's source as its lines, each keeping its `\n`. */
function sourceLines(text: string): string[] {
  return text.split(/(?<=\n)/);
}

/** Cell ids are required from nbformat 4.5 on. */
function newCellId(notebook: Notebook): { id?: string } {
  return notebook.nbformat > 4 || (notebook.nbformat === 4 && notebook.nbformat_minor >= 5) ? { id: randomBytes(4).toString('hex') } : {};
}

function exerciseCell(notebook: Notebook, exercise: Exercise, previous?: NotebookCell): MutableCell {
  return {
    ...(previous?.id ? { id: previous.id } : newCellId(notebook)),
    cell_type: 'code',
    execution_count: null,
    metadata: { ...(previous?.metadata ?? {}), lnlab: { role: 'exercise', exercise: exercise.id } },
    outputs: [],
    source: sourceLines(skeletonCell(exercise)),
  };
}

function checkCell(notebook: Notebook, exercise: Exercise, previous?: NotebookCell): MutableCell {
  const source = checkCellSource(exercise);
  return {
    ...(previous?.id ? { id: previous.id } : newCellId(notebook)),
    cell_type: 'code',
    execution_count: null,
    metadata: { ...(previous?.metadata ?? {}), editable: false, deletable: false, lnlab: { role: 'check', exercise: exercise.id, checksum: cellChecksum(source) } },
    outputs: [],
    source: sourceLines(source),
  };
}

/** A backup path that does not exist yet: `<LNLAB_HOME>/backups/<notebook>-<time>.ipynb`. */
function backupPath(notebookName: string, env: NodeJS.ProcessEnv): string {
  const dir = join(dirname(progressFile(env)), 'backups');
  mkdirSync(dir, { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  for (let n = 0; ; n++) {
    const file = join(dir, `${notebookName}-${stamp}${n === 0 ? '' : `-${n}`}.ipynb`);
    if (!existsSync(file)) return file;
  }
}

export function resetExercise(id: string, dirOption?: string, env: NodeJS.ProcessEnv = process.env): ResetOutcome {
  const exercise = EXERCISES.find((e) => e.id === id);
  if (!exercise) throw new UsageError(`lnlab reset: no exercise "${id}"; the exercises are: ${EXERCISES.map((e) => e.id).join(', ')}`, 'Usage: lnlab reset <exercise> [--dir DIR]');
  const file = join(resolve(dirOption ?? DEFAULT_NOTEBOOK_DIR), `${exercise.notebook}.ipynb`);
  if (!existsSync(file)) {
    throw new WorkshopError('NOTEBOOK_MISSING', `lnlab reset: ${displayPath(file)} not found`, `restore the notebook with \`git checkout -- ${displayPath(file)}\``);
  }
  const notebook = readNotebook(file); // a broken notebook is a NotebookReadError that says how to restore it
  const backup = backupPath(exercise.notebook, env);
  copyFileSync(file, backup, constants.COPYFILE_EXCL);

  const lines = [`↺ ${id}: exercise cell reset to its skeleton in ${displayPath(file)}`];
  const cells = [...notebook.cells] as MutableCell[];
  const isOurs = (role: string) => (cell: NotebookCell) => cell.metadata?.lnlab?.role === role && cell.metadata.lnlab.exercise === id;
  const exerciseCells = cells.filter(isOurs('exercise'));
  if (exerciseCells.length === 0) {
    const checkAt = cells.findIndex(isOurs('check'));
    cells.splice(checkAt >= 0 ? checkAt : cells.length, 0, exerciseCell(notebook, exercise));
    lines.push('   the exercise cell was missing: re-created');
  } else {
    cells[cells.indexOf(exerciseCells[0]!)] = exerciseCell(notebook, exercise, exerciseCells[0]);
    for (const copy of exerciseCells.slice(1)) cells.splice(cells.indexOf(copy), 1);
    if (exerciseCells.length > 1) lines.push(`   removed ${exerciseCells.length - 1} extra cop${exerciseCells.length === 2 ? 'y' : 'ies'} of the exercise cell`);
  }
  const exerciseAt = cells.findIndex(isOurs('exercise'));
  const check = cells.find(isOurs('check'));
  if (!check) {
    cells.splice(exerciseAt + 1, 0, checkCell(notebook, exercise));
    lines.push('   the check cell was missing: re-created');
  } else if (cellChecksum(cellSource(check)) !== (check.metadata.lnlab?.checksum ?? cellChecksum(checkCellSource(exercise)))) {
    // Damaged as the grader sees it: the source no longer matches the checksum it was generated with.
    cells[cells.indexOf(check)] = checkCell(notebook, exercise, check);
    lines.push('   the check cell had been edited: restored');
  } else if ((check.outputs?.length ?? 0) > 0 || check.execution_count != null) {
    // Its old verdict described the code just replaced: a ✅ left there would be a lie.
    cells[cells.indexOf(check)] = { ...check, outputs: [], execution_count: null } as MutableCell;
    lines.push("   the check cell's old verdict was cleared");
  }

  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, `${JSON.stringify({ ...notebook, cells }, null, 1)}\n`);
  renameSync(temp, file);
  lines.push(
    `   your previous version of the notebook is saved as ${displayPath(backup)}`,
    '   If the notebook is open in Jupyter, reload it from disk before you save again (JupyterLab: File → Reload',
    '   Notebook from Disk; or close and reopen it), then run its setup cell and the exercise cell.',
  );
  return { file, backup, lines };
}
