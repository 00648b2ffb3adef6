/**
 * The shape of a workshop notebook, shared by the notebook builder, the check cells and the grader.
 *
 * Every code cell carries `metadata.lnlab.role`:
 * - `setup`    — the locked first cell (imports; `NOTEBOOK_PRELUDE`);
 * - `exercise` — the cell a learner edits, with `metadata.lnlab.exercise = <id>`;
 * - `check`    — the locked cell after it: exactly `await check('<id>', <function>);`;
 * - `code`     — any other cell (demos, live chain calls).
 * Locked cells (`setup`, `check`) also carry `metadata.lnlab.checksum`, the SHA-256 of their source as
 * generated, and Jupyter's own `editable: false` / `deletable: false` — so an edit is both discouraged in
 * the UI and detectable by the grader, as nbgrader does.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { WorkshopError } from '../errors.js';
import type { Exercise } from './exercises.js';

export type CellRole = 'setup' | 'exercise' | 'check' | 'code';

export interface LnlabCellMetadata {
  readonly role: CellRole;
  readonly exercise?: string;
  readonly checksum?: string;
}

export interface NotebookCell {
  readonly id?: string;
  readonly cell_type: 'code' | 'markdown' | 'raw';
  readonly source: string | string[];
  readonly metadata: { readonly lnlab?: LnlabCellMetadata; readonly [key: string]: unknown };
  readonly outputs?: unknown[];
  readonly execution_count?: number | null;
}

export interface Notebook {
  readonly cells: NotebookCell[];
  readonly metadata: Record<string, unknown>;
  readonly nbformat: number;
  readonly nbformat_minor: number;
}

/** The source of the check cell that follows exercise `exercise`. */
export function checkCellSource(exercise: Exercise): string {
  return `await check('${exercise.id}', ${exercise.functionName});`;
}

export function cellSource(cell: NotebookCell): string {
  return Array.isArray(cell.source) ? cell.source.join('') : cell.source;
}

/** SHA-256 (hex) of a cell's source: what a locked cell's `checksum` records. */
export function cellChecksum(source: string): string {
  return createHash('sha256').update(source, 'utf8').digest('hex');
}

/** A notebook file that cannot be read as one. */
export class NotebookReadError extends WorkshopError {
  readonly file: string;
  constructor(file: string, detail: string) {
    super('NOTEBOOK_UNREADABLE', `${file}: not a readable notebook (${detail})`,
      'restore it from git (`git checkout -- <file>`) or re-download it; your exercise code may still be in a backup');
    this.file = file;
  }
}

/** Reads and minimally validates a notebook; a broken one is a typed error naming the file. */
export function readNotebook(file: string): Notebook {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new NotebookReadError(file, err instanceof Error ? err.message : String(err));
  }
  const nb = parsed as Partial<Notebook>;
  if (!nb || typeof nb !== 'object' || !Array.isArray(nb.cells)) throw new NotebookReadError(file, 'no "cells" array');
  return nb as Notebook;
}

/** The cells with a given role (and exercise id), in order. */
export function cellsWith(notebook: Notebook, role: CellRole, exerciseId?: string): NotebookCell[] {
  return notebook.cells.filter(
    (cell) => cell.metadata?.lnlab?.role === role && (exerciseId === undefined || cell.metadata.lnlab.exercise === exerciseId),
  );
}
