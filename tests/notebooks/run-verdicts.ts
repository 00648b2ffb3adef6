/**
 * What an executed notebook must show, read cell by cell through the cells' `metadata.lnlab` roles. Every
 * requirement is a positive marker in a cell's output: an empty output, or tslab's "abort" (no output),
 * is always a problem, never a pass.
 */
import { cellOutputText, checkVerdict, type Notebook } from '../../src/curriculum/notebook-format.js';

/** Which exercise cells the run had: the reference solutions, or the skeletons as shipped. */
export type Variant = 'solutions' | 'skeletons';

/** What a finished run is judged on (a `NotebookRun` is one). */
export interface ExecutedNotebook {
  readonly notebook: Notebook;
  readonly statuses: readonly (string | null)[];
  readonly error: string | null;
}

/** The line the last cell of every notebook prints (`summary`). */
export function endMarker(name: string): string {
  return `🏁 End of ${name}`;
}

const excerpt = (text: string) => (text.trim() === '' ? '(no output)' : JSON.stringify(text.slice(0, 400)));

/** Everything wrong with a run, one line each; `[]` when the notebook ran as it must. */
export function runProblems(name: string, variant: Variant, run: ExecutedNotebook): string[] {
  const problems: string[] = [];
  if (run.error) problems.push(`the run stopped: ${run.error}`);
  const cells = run.notebook.cells;
  cells.forEach((cell, index) => {
    if (cell.cell_type !== 'code') return;
    const lnlab = cell.metadata.lnlab;
    const output = cellOutputText(cell);
    const where = `cell ${index + 1} (${lnlab?.role ?? 'no role'}${lnlab?.exercise ? ` ${lnlab.exercise}` : ''})`;
    if (run.statuses[index] !== 'ok') problems.push(`${where}: status ${run.statuses[index] ?? 'never run'}, output ${excerpt(output)}`);
    if (lnlab?.role !== 'check' || !lnlab.exercise) return;
    const verdict = checkVerdict(output, lnlab.exercise);
    const wanted = variant === 'solutions' ? 'passed' : 'failed';
    if (verdict !== wanted) problems.push(`${where}: expected the check to have ${wanted}, its output says ${verdict}: ${excerpt(output)}`);
    if (variant === 'skeletons' && output.includes('✅')) problems.push(`${where}: a skeleton passed something: ${excerpt(output)}`);
  });
  const last = cells[cells.length - 1];
  if (!last || last.cell_type !== 'code' || !cellOutputText(last).includes(endMarker(name))) {
    problems.push(`the last cell did not print "${endMarker(name)}": ${excerpt(last ? cellOutputText(last) : '')}`);
  }
  return problems;
}
