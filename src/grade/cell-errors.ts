/**
 * Error messages about a learner's cell, with locations in the cell — not in the module the grader
 * compiled it into. `compileCell` writes the cell after its notebook's setup cell, into
 * `.lnlab/cells/<id>-<random>.ts`; every location in that file maps back by subtraction.
 */

/** Where the learner's cell sits in the compiled module: after `offset` lines, `lines` long. */
export interface CellSpan {
  readonly offset: number;
  readonly lines: number;
}

/** A location in a compiled cell module: optional `file://`, any path, `.lnlab/cells/<name>.ts:LINE[:COL]`. */
const CELL_MODULE_LOCATION = /(?:file:\/\/)?[^\s()'"]*\.lnlab\/cells\/[\w.-]+\.ts:(\d+)(?::(\d+))?/g;

/** "your cell, line N" for line `moduleLine` of the compiled module. */
export function cellLineLabel(moduleLine: number, span: CellSpan): string {
  const line = moduleLine - span.offset;
  if (line < 1) return "the notebook's setup cell";
  if (line > span.lines) return `the end of your cell (line ${span.lines})`;
  return `your cell, line ${line}`;
}

/** Rewrites every compiled-module location in `text` into a location in the learner's cell. */
export function toCellLocations(text: string, span: CellSpan): string {
  return text.replace(CELL_MODULE_LOCATION, (_match, line: string) => cellLineLabel(Number(line), span));
}

/** The first location in the cell module that `text` (a message or stack) mentions, as a label. */
export function firstCellLocation(text: string | undefined, span: CellSpan): string | undefined {
  const match = new RegExp(CELL_MODULE_LOCATION.source).exec(text ?? '');
  return match ? cellLineLabel(Number(match[1]), span) : undefined;
}

/**
 * Why compiling (transforming or first running) a cell failed, in one line with its cell location:
 * - a syntax error, from esbuild's `path:LINE:COL: ERROR: text`;
 * - an error thrown by the cell's top-level code while it was imported;
 * - a module error (an import of a name that does not exist, say), which has no location.
 */
export function compileErrorMessage(err: unknown, span: CellSpan): string {
  const message = err instanceof Error ? err.message : String(err);
  const syntax = /\.lnlab\/cells\/[\w.-]+\.ts:(\d+):(\d+): ERROR: (.*)/.exec(message);
  if (syntax) {
    const more = (message.match(/: ERROR: /g)?.length ?? 1) - 1;
    return `SyntaxError in ${cellLineLabel(Number(syntax[1]), span)}: ${syntax[3]}${more > 0 ? ` (and ${more} more)` : ''}`;
  }
  const name = err instanceof Error ? err.name : 'Error';
  const where = firstCellLocation(err instanceof Error ? err.stack : undefined, span);
  const firstLine = toCellLocations(message.split('\n')[0] ?? '', span);
  return `your cell threw ${name}: ${firstLine} when it ran${where ? ` (${where})` : ''}`;
}

/** Number of lines of a cell's text (a trailing newline does not start a line). */
export function lineCount(source: string): number {
  return source.replace(/\n$/, '').split('\n').length;
}
