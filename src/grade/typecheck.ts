/**
 * TypeScript's own diagnostics for a learner's cell, as Jupyter's tslab kernel would show them. The
 * grader runs cells through tsx, which strips types without checking them, so a misspelt property
 * (`this.monitor` for `this.monitors`) surfaces as "cannot read properties of undefined"; the compiler
 * says what is wrong and suggests the right name. Used only for cells that failed (the first check in a
 * process costs a few seconds; later ones reuse the parsed library files). The compiler itself is loaded
 * on first use: every other command of lnlab starts without it.
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type * as TS from 'typescript';
import { PROJECT_ROOT } from '../chain/regtest/launcher.js';
import { cellModuleSource, setupLineCount } from '../workshop/compile-cell.js';
import type { Exercise } from '../curriculum/registry.js';
import { lineCount } from './cell-errors.js';

let compiler: typeof TS | undefined;
/** The TypeScript compiler, loaded on first use (it is large). */
function typescript(): typeof TS {
  compiler ??= createRequire(import.meta.url)('typescript') as typeof TS;
  return compiler;
}

/** Resolution as in the kernel (Node10: `main`/`types`, directory indexes), strict like the project. */
function compilerOptions(ts: typeof TS): TS.CompilerOptions {
  return {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Node10,
    lib: ['lib.es2023.d.ts'],
    types: ['node'],
    strict: true,
    esModuleInterop: true,
    skipLibCheck: true,
    noEmit: true,
  };
}

/** At most this many diagnostics per cell: the first ones are the ones to fix. */
const MAX_DIAGNOSTICS = 5;

/** Parsed library and project files, kept across checks in one process (they do not change during a grade). */
const sourceFileCache = new Map<string, TS.SourceFile>();
let previousProgram: TS.Program | undefined;

/** Type errors inside the learner's cell, as `line N: message` (cell lines); empty when there are none. */
export function cellTypeErrors(exercise: Exercise, cellSource: string): string[] {
  const ts = typescript();
  const OPTIONS = compilerOptions(ts);
  // A path inside the repository (never written): `lightning-lab` resolves from its node_modules.
  const file = join(PROJECT_ROOT, '.lnlab', 'cells', `typecheck-${exercise.id}.ts`);
  const text = cellModuleSource(exercise, cellSource);
  const host = ts.createCompilerHost(OPTIONS);
  const readFromDisk = host.getSourceFile.bind(host);
  host.getSourceFile = (name, languageVersion, onError, shouldCreate) => {
    if (name === file) return ts.createSourceFile(name, text, languageVersion, true);
    let cached = sourceFileCache.get(name);
    if (!cached) {
      cached = readFromDisk(name, languageVersion, onError, shouldCreate);
      if (cached) sourceFileCache.set(name, cached);
    }
    return cached;
  };
  host.fileExists = (name) => name === file || ts.sys.fileExists(name);
  host.readFile = (name) => (name === file ? text : ts.sys.readFile(name));
  const program = ts.createProgram({ rootNames: [file], options: OPTIONS, host, oldProgram: previousProgram });
  previousProgram = program;
  const sourceFile = program.getSourceFile(file);
  if (!sourceFile) return [];
  const cellLines = lineCount(cellSource);
  const errors: string[] = [];
  for (const diagnostic of [...program.getSyntacticDiagnostics(sourceFile), ...program.getSemanticDiagnostics(sourceFile)]) {
    if (diagnostic.category !== ts.DiagnosticCategory.Error || diagnostic.start === undefined) continue;
    const line = sourceFile.getLineAndCharacterOfPosition(diagnostic.start).line + 1 - setupLineCount(exercise);
    if (line < 1 || line > cellLines) continue;
    const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n').split('\n')[0];
    errors.push(`line ${line}: ${message}`);
    if (errors.length === MAX_DIAGNOSTICS) break;
  }
  return errors;
}
