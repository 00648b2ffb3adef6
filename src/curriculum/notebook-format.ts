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
import { FAIL_MARK, PASS_MARK } from './check/runner.js';
import type { Exercise } from './exercise.js';

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

/** What a check cell's output says about its exercise. */
export type CheckVerdict = 'passed' | 'failed' | 'no-verdict';

/**
 * Reads the verdict line `check` prints (`✅ <id>: …` or `❌ <id>: …`) out of a check cell's output.
 * Anything else — an empty output, tslab's "abort" after a failed cell, an error — is `no-verdict`, which a
 * grader must count as not passed: silence is never a pass.
 */
export function checkVerdict(outputText: string, exerciseId: string): CheckVerdict {
  const id = exerciseId.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  if (new RegExp(`^${FAIL_MARK} ${id}:`, 'm').test(outputText)) return 'failed';
  if (new RegExp(`^${PASS_MARK} ${id}:`, 'm').test(outputText)) return 'passed';
  return 'no-verdict';
}

/** One output of an executed code cell, as nbformat stores it (the parts a grader reads). */
interface CellOutput {
  readonly output_type?: string;
  readonly text?: string | string[];
  readonly data?: Readonly<Record<string, string | string[] | undefined>>;
  readonly ename?: string;
  readonly evalue?: string;
  readonly traceback?: readonly string[];
}

/** Everything an executed cell showed as text: streams, `text/plain` results and errors, in order. */
export function cellOutputText(cell: NotebookCell): string {
  const join = (value: string | readonly string[] | undefined) => (Array.isArray(value) ? value.join('') : (value ?? ''));
  return ((cell.outputs ?? []) as CellOutput[])
    .map((output) => {
      if (output.output_type === 'stream') return join(output.text);
      if (output.output_type === 'error') return [`${output.ename ?? ''}: ${output.evalue ?? ''}`, ...(output.traceback ?? [])].join('\n');
      return join(output.data?.['text/plain']);
    })
    .join('');
}
