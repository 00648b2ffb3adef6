/**
 * What the kernel knows about the notebook it runs: its name (the setup cell says it) and which exercises
 * `yourNode()` found neither the learner's code nor a reference for (cells marked `// needs: <id>, …` are
 * then skipped with a note instead of failing). Kept on a global symbol, like `cell-record.ts`.
 */
/** What a cell run by a kernel that lost its state (a restart) is told when it uses a name defined above. */
export const RUN_CELLS_ABOVE =
  "💡 This kernel has not run the cells above (after a restart it starts empty): run them first — Run ▸ Run All Above Selected Cell (Notebook 6: Cell ▸ Run All Above) — then this one.";

const KEY = Symbol.for('lightning-lab.kernel.notebook');

interface NotebookState {
  name: string | undefined;
  /** Exercise id → where to write it, for exercises nothing fills in this copy. */
  missing: Map<string, string>;
}

function state(): NotebookState {
  const holder = globalThis as Record<symbol, NotebookState | undefined>;
  holder[KEY] ??= { name: undefined, missing: new Map() };
  return holder[KEY]!;
}

/** Called by every notebook's setup cell: which notebook this kernel runs. A no-op outside the kernel's use. */
export function notebookOpened(name: string): void {
  state().name = name;
}

/** The notebook this kernel runs, once its setup cell ran. */
export function currentNotebook(): string | undefined {
  return state().name;
}

/** Records the exercises nothing fills (by `yourNode()`), replacing what was recorded before. */
export function setMissingParts(missing: ReadonlyMap<string, string>): void {
  state().missing = new Map(missing);
}

/** `// needs: a, b` on a cell's first line: the exercise ids it names. */
export function neededParts(source: string): string[] {
  const match = /^\s*\/\/\s*needs:\s*([^\n]+)/.exec(source);
  return match ? match[1]!.split(/[\s,]+/).filter(Boolean) : [];
}

/** Why a cell needing `parts` cannot run now, or `undefined` if it can. */
export function whyCellCannotRun(parts: readonly string[]): string | undefined {
  const missing = parts.flatMap((id) => {
    const where = state().missing.get(id);
    return where === undefined ? [] : [`${id} (${where})`];
  });
  if (missing.length === 0) return undefined;
  return `⏸ Skipped: this cell needs ${missing.join(' and ')}, and this copy of the workshop has neither your version (passing its check) nor a reference. Write it, run its check, save, then run this notebook again.`;
}

/**
 * What a cell that reached the hole of exercise `id` is told when `yourNode()` found nothing to fill it in
 * this copy (no passing code of the learner's, no reference): not a failure of the cell, but a part still
 * to write. `undefined` when the hole is not one `yourNode()` reported (then it is an ordinary error).
 */
export function missingPartNote(id: string): string | undefined {
  const where = state().missing.get(id);
  if (where === undefined) return undefined;
  return `⏸ Stopped here: this cell runs ${id} (${where}), and this copy of the workshop has neither your version (passing its check) nor a reference. Write it, run its check, save, then run this cell again.`;
}
