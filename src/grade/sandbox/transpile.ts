/**
 * A learner's exercise cell as the grading child runs it: the notebook's setup cell, the cell, and one line
 * that hands over the exercise's function, compiled from TypeScript to CommonJS by esbuild (types dropped,
 * imports turned into calls to the child's restricted `require`) — exactly the names the kernel gives the
 * cell, and nothing else. A syntax error is reported here, with the cell's own line, and no child is needed.
 */
import { createRequire } from 'node:module';
import type { Exercise } from '../../curriculum/exercise.js';
import { setupCell } from '../../curriculum/cells.js';
import { CELL_PATH_MARKER } from './protocol.js';

/**
 * esbuild, loaded on first use rather than with the grader: `lnlab grade` starts its grading child first,
 * so loading esbuild's JavaScript overlaps the child's start instead of delaying it.
 */
let esbuild: typeof import('esbuild') | undefined;
function transformSync(...args: Parameters<typeof import('esbuild').transformSync>): ReturnType<typeof import('esbuild').transformSync> {
  esbuild ??= createRequire(import.meta.url)('esbuild') as typeof import('esbuild');
  return esbuild.transformSync(...args);
}

/** The cell compiled for a child, or why it could not be. */
export type TranspiledCell =
  | { readonly ok: true; readonly code: string; readonly sourceMap: string; readonly setupLines: number; readonly cellLines: number }
  | { readonly ok: false; readonly message: string };

/** Lines of `text` (a trailing newline does not start one). */
function lineCount(text: string): number {
  return text.replace(/\n$/, '').split('\n').length;
}

/** Compiles `cellSource` after `setup` (default: the exercise's notebook's setup cell, as shipped). */
export function transpileCell(exercise: Exercise, cellSource: string, setup = setupCell(exercise.notebook)): TranspiledCell {
  const setupLines = lineCount(setup);
  const cellLines = lineCount(cellSource);
  const fn = exercise.functionName;
  const source = `${setup}\n${cellSource}\nmodule.exports.__exercise = typeof ${fn} === 'function' ? ${fn} : undefined;\n`;
  try {
    const result = transformSync(source, {
      loader: 'ts',
      format: 'cjs',
      target: 'es2022',
      sourcemap: 'external',
      sourcefile: `${CELL_PATH_MARKER}${exercise.id}.ts`,
      // Strict, as a module is in the kernel: writing to a frozen built-in throws instead of doing nothing.
      banner: "'use strict';",
      logLevel: 'silent',
    });
    return { ok: true, code: result.code, sourceMap: result.map, setupLines, cellLines };
  } catch (err) {
    const first = (err as { errors?: Array<{ text: string; location?: { line: number; column: number } | null }> }).errors?.[0];
    if (!first) return { ok: false, message: `your cell could not be compiled: ${(err as Error).message.split('\n')[0]}` };
    const line = (first.location?.line ?? 0) - setupLines;
    const where = line >= 1 && line <= cellLines ? `your cell, line ${line}` : line > cellLines ? `the end of your cell (line ${cellLines})` : "the notebook's setup cell";
    const text = /top-level await/i.test(first.text)
      ? `${first.text}: an exercise cell only defines its function; put the \`await\` inside it`
      : first.text;
    const more = ((err as { errors?: unknown[] }).errors?.length ?? 1) - 1;
    return { ok: false, message: `SyntaxError in ${where}: ${text}${more > 0 ? ` (and ${more} more)` : ''}` };
  }
}
