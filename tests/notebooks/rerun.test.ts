/**
 * Cells that survive what learners do, in real Jupyter with the workshop kernel (issue 14, item 4):
 * - notebook 05 with every code cell run twice in a row (the setup cell included) runs to its end, every
 *   cell answering `ok` the second time too: a second broadcast of the cheat, a second block, a second
 *   diagram end in a clear line, never a stack trace from the workshop's code;
 * - a kernel that has not run the cells above (a restart) running a middle cell of 05 is told to run the
 *   cells above first, and shows no stack trace.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/chain/index.js';
import { buildNotebook } from '../../src/curriculum/notebook-builder.js';
import { cellOutputText, cellSource, type Notebook } from '../../src/curriculum/notebook-format.js';
import { RUN_CELLS_ABOVE } from '../../src/kernel/notebook-state.js';
import { executeNotebook } from './jupyter-run.js';
import { endMarker } from './run-verdicts.js';

const NAME = '05-catch-a-cheater';
const built = buildNotebook(NAME, readFileSync(join(PROJECT_ROOT, 'notebooks', 'src', `${NAME}.md`), 'utf8'));
/** A line of a stack trace into the workshop's own files (`at … (…/src/node/channel-manager.ts:12:3)`). */
const WORKSHOP_STACK = /\bat .*[/\\](src|node_modules)[/\\]\S+:\d+/;

/** `notebook` with each code cell followed by a copy of itself: every cell run twice in a row. */
function everyCellTwice(notebook: Notebook): Notebook {
  return {
    ...notebook,
    cells: notebook.cells.flatMap((cell) => (cell.cell_type === 'code' ? [cell, { ...cell, id: `${cell.id}-again` }] : [cell])),
  };
}

describe(`${NAME}, as learners run it`, () => {
  it('every code cell run twice in a row: each run ends ok, with no stack trace, and the notebook reaches its end', async () => {
    const run = await executeNotebook(NAME, 'twice', everyCellTwice(built));
    expect(run.error).toBeNull();
    const problems = run.notebook.cells.flatMap((cell, index) => {
      if (cell.cell_type !== 'code') return [];
      const output = cellOutputText(cell);
      const where = `cell ${index + 1} (${cell.id}): ${JSON.stringify(cellSource(cell).slice(0, 60))}`;
      const found: string[] = [];
      if (run.statuses[index] !== 'ok') found.push(`${where}: status ${run.statuses[index]}, output ${JSON.stringify(output.slice(0, 600))}`);
      if (WORKSHOP_STACK.test(output)) found.push(`${where}: a stack trace into the workshop: ${JSON.stringify(output.slice(0, 600))}`);
      return found;
    });
    expect(problems).toEqual([]);
    expect(cellOutputText(run.notebook.cells.at(-1)!)).toContain(endMarker(NAME));
  }, 420_000);

  it('a restarted kernel running a middle cell is told to run the cells above first, without a stack trace', async () => {
    const middle = built.cells.find((cell) => cell.cell_type === 'code' && cellSource(cell).includes('sendPayment'))!;
    const run = await executeNotebook(NAME, 'restarted', { ...built, cells: [middle] });
    const output = cellOutputText(run.notebook.cells[0]!);
    expect(output).toContain(RUN_CELLS_ABOVE);
    expect(output).toContain('Run All Above');
    expect(output).not.toMatch(WORKSHOP_STACK);
  }, 300_000);
});
