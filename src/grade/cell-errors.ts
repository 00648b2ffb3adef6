/**
 * Error messages about a learner's cell, with locations in the cell — not in the module the grader
 * compiled it into. `compileCell` writes the cell after the `PRELUDE_LINES` lines of the notebook
 * prelude, into `.lnlab/cells/<id>-<random>.ts`; every location in that file maps back by subtraction.
 */
import { PRELUDE_LINES } from '../workshop/compile-cell.js';

/** A location in a compiled cell module: optional `file://`, any path, `.lnlab/cells/<name>.ts:LINE[:COL]`. */
const CELL_MODULE_LOCATION = /(?:file:\/\/)?[^\s()'"]*\.lnlab\/cells\/[\w.-]+\.ts:(\d+)(?::(\d+))?/g;

/** "your cell, line N" for line `moduleLine` of the compiled module. */
export function cellLineLabel(moduleLine: number, cellLineCount: number): string {
  const line = moduleLine - PRELUDE_LINES;
  if (line < 1) return 'the notebook prelude';
  if (line > cellLineCount) return `the end of your cell (line ${cellLineCount})`;
  return `your cell, line ${line}`;
}

/** Rewrites every compiled-module location in `text` into a location in the learner's cell. */
export function toCellLocations(text: string, cellLineCount: number): string {
  return text.replace(CELL_MODULE_LOCATION, (_match, line: string) => cellLineLabel(Number(line), cellLineCount));
}

/** The first location in the cell module that `text` (a message or stack) mentions, as a label. */
export function firstCellLocation(text: string | undefined, cellLineCount: number): string | undefined {
  const match = new RegExp(CELL_MODULE_LOCATION.source).exec(text ?? '');
  return match ? cellLineLabel(Number(match[1]), cellLineCount) : undefined;
}

/**
 * Why compiling (transforming or first running) a cell failed, in one line with its cell location:
 * - a syntax error, from esbuild's `path:LINE:COL: ERROR: text`;
 * - an error thrown by the cell's top-level code while it was imported;
 * - a module error (an import of a name that does not exist, say), which has no location.
 */
export function compileErrorMessage(err: unknown, cellLineCount: number): string {
  const message = err instanceof Error ? err.message : String(err);
  const syntax = /\.lnlab\/cells\/[\w.-]+\.ts:(\d+):(\d+): ERROR: (.*)/.exec(message);
  if (syntax) {
    const more = (message.match(/: ERROR: /g)?.length ?? 1) - 1;
    return `SyntaxError in ${cellLineLabel(Number(syntax[1]), cellLineCount)}: ${syntax[3]}${more > 0 ? ` (and ${more} more)` : ''}`;
  }
  const name = err instanceof Error ? err.name : 'Error';
  const where = firstCellLocation(err instanceof Error ? err.stack : undefined, cellLineCount);
  const firstLine = toCellLocations(message.split('\n')[0] ?? '', cellLineCount);
  return `your cell threw ${name}: ${firstLine} when it ran${where ? ` (${where})` : ''}`;
}

/** Number of lines of a cell's text (a trailing newline does not start a line). */
export function lineCount(source: string): number {
  return source.replace(/\n$/, '').split('\n').length;
}
