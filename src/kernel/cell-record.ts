/**
 * What the workshop kernel remembers about the cells it ran: for each function a cell declared, the cell's
 * latest source and whether it compiled. A check cell grades exactly that source — the text the learner
 * ran, compiled in a sandboxed child — not the function object left in the kernel, which a failed edit
 * would leave behind (and which could have been patched since).
 *
 * Shared through a global symbol: the kernel entry (`kernel-main.ts`) writes it, the workshop module the
 * notebook imports reads it, and the two may be different copies of the module (CommonJS and ESM).
 */

/** One function as last declared by a cell the kernel ran. */
export interface RecordedCell {
  /** The whole cell that declared the function. */
  readonly source: string;
  /** Whether the cell compiled and ran without an error. */
  readonly ok: boolean;
  /** When it ran (ms since the epoch). */
  readonly at: number;
}

const KEY = Symbol.for('lightning-lab.kernel.cells');

type Store = Map<string, RecordedCell>;

function store(): Store | undefined {
  return (globalThis as Record<symbol, Store | undefined>)[KEY];
}

/** Whether this process is the workshop kernel (its cells are recorded). */
export function inWorkshopKernel(): boolean {
  return store() !== undefined;
}

/** Starts recording (the kernel entry calls it once). */
export function startRecording(): void {
  (globalThis as Record<symbol, Store | undefined>)[KEY] ??= new Map();
}

/** Top-level function declarations in a cell: `function name(` and `async function name(`, exported or not. */
export function declaredFunctions(source: string): string[] {
  return [...source.matchAll(/^(?:export\s+)?(?:async\s+)?function\s*\*?\s*([A-Za-z_$][\w$]*)\s*[<(]/gm)].map((match) => match[1]!);
}

/** Records a cell the kernel ran. */
export function recordCell(source: string, ok: boolean): string[] {
  const names = declaredFunctions(source);
  const cells = store();
  if (!cells) return names;
  for (const name of names) cells.set(name, Object.freeze({ source, ok, at: Date.now() }));
  return names;
}

/** The cell that last declared `functionName`, if this kernel ran one. */
export function recordedCell(functionName: string): RecordedCell | undefined {
  return store()?.get(functionName);
}
