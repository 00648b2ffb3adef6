/**
 * Builds a workshop notebook from its Markdown source (`notebooks/src/NN-name.md`), after Programming
 * Bitcoin's generated notebooks: the prose is written once, and the cells that must never drift — the
 * setup cell, each exercise's heading, prompt, skeleton and check — are generated from the registry and
 * `solutions/`.
 *
 * The source is Markdown with three kinds of special lines:
 * - a fence opened by exactly "```ts" becomes a `code` cell (any other fence, "```typescript",
 *   "```mermaid", "```rust", stays in the Markdown as text to read);
 * - `<!-- setup -->` becomes the locked setup cell: `NOTEBOOK_PRELUDE`, then the body of a "```ts" fence
 *   if one follows directly (for imports a notebook needs beyond the prelude);
 * - `<!-- exercise: <id> -->` becomes the exercise's Markdown cell (its number and title, track and time,
 *   prompt, what to read first and how to ask for a hint — all from the registry entry), the exercise cell
 *   (the skeleton, or the solution in the solution variant) and the locked check cell
 *   `await check('<id>', <function>);`;
 * - `<!-- split -->` only ends one Markdown cell and starts the next.
 *
 * Cell metadata follows `notebook-format.ts`. Cell ids are `<notebook>-<index>`, so building twice gives
 * the same bytes; the notebook has no outputs and no execution counts.
 */
import { KERNEL_DISPLAY_NAME, KERNEL_NAME } from '../workshop/setup/kernel.js';
import type { Exercise } from './exercise.js';
import { EXERCISES, exerciseById, exerciseNumber } from './registry.js';
import { cellChecksum, checkCellSource, type CellRole, type Notebook, type NotebookCell } from './notebook-format.js';
import { setupCellSource } from './prelude.js';
import { skeletonCellFromSolution, solutionCell } from './solution-source.js';

/** The notebook format written: nbformat 4.5, the first minor version with cell ids. */
export const NBFORMAT = 4;
/** See `NBFORMAT`. */
export const NBFORMAT_MINOR = 5;

const CODE_FENCE = '```ts';
const FENCE_END = '```';
const SETUP_DIRECTIVE = /^<!--\s*setup\s*-->$/;
const EXERCISE_DIRECTIVE = /^<!--\s*exercise:\s*([A-Za-z0-9_]+)\s*-->$/;
const SPLIT_DIRECTIVE = /^<!--\s*split\s*-->$/;
/** A Markdown image whose path climbs out of the notebook's folder (`![…](../x.svg)`, `![…](/x.svg)`). */
const IMAGE_OUTSIDE = /!\[[^\]]*\]\((\.\.\/|\/)[^)]*\)/;

/**
 * `language_info` exactly as the workshop kernel (tslab 1.0.22) reports it in its kernel_info reply:
 * Jupyter copies the kernel's into the notebook when it opens one, so any difference marks a notebook
 * the learner has not touched as "(unsaved changes)", autosaves it and asks "Leave site?" on close.
 * (The version is what tslab reports, not the TypeScript it compiles with.)
 */
export const TSLAB_LANGUAGE_INFO = Object.freeze({
  codemirror_mode: Object.freeze({ mode: 'typescript', name: 'javascript', typescript: true }),
  file_extension: '.ts',
  mimetype: 'text/typescript',
  name: 'typescript',
  version: '3.7.2',
});

/** A source file that cannot become a notebook; the message names the file and line. */
export class NotebookSourceError extends Error {
  constructor(notebook: string, line: number, message: string) {
    super(`notebooks/src/${notebook}.md:${line}: ${message}`);
    this.name = 'NotebookSourceError';
  }
}

/** How to build a notebook; the default is the notebook as shipped. */
export interface BuildOptions {
  /** The text of an exercise cell (default: the skeleton the learner starts from). */
  readonly exerciseCell?: (exercise: Exercise) => string;
}

/** A parsed piece of a source file, before it becomes cells. */
type Piece =
  | { readonly kind: 'markdown'; readonly text: string }
  | { readonly kind: 'code'; readonly text: string; readonly line: number }
  | { readonly kind: 'setup'; readonly extra: string; readonly line: number }
  | { readonly kind: 'exercise'; readonly id: string; readonly line: number };

/** Splits a source file into Markdown runs, code fences and directives. */
function parse(notebook: string, text: string): Piece[] {
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  const pieces: Piece[] = [];
  let markdown: string[] = [];
  const flush = () => {
    const body = markdown.join('\n').replace(/^\n+|\s+$/g, '');
    if (body) pieces.push({ kind: 'markdown', text: body });
    markdown = [];
  };
  /** Reads a "```ts" fence starting at `start`; returns its body and the index after its end. */
  const fence = (start: number): [string, number] => {
    const end = lines.findIndex((l, i) => i > start && l.trimEnd() === FENCE_END);
    if (end < 0) throw new NotebookSourceError(notebook, start + 1, 'a ```ts fence is never closed');
    return [lines.slice(start + 1, end).join('\n').replace(/\s+$/, ''), end + 1];
  };
  for (let i = 0; i < lines.length; ) {
    const line = lines[i]!.trimEnd();
    const exercise = EXERCISE_DIRECTIVE.exec(line);
    if (line === CODE_FENCE) {
      flush();
      const [body, next] = fence(i);
      pieces.push({ kind: 'code', text: body, line: i + 1 });
      i = next;
    } else if (SETUP_DIRECTIVE.test(line)) {
      flush();
      let next = i + 1;
      while (next < lines.length && lines[next]!.trim() === '') next++;
      let extra = '';
      if (lines[next]?.trimEnd() === CODE_FENCE) [extra, next] = fence(next);
      else next = i + 1;
      pieces.push({ kind: 'setup', extra, line: i + 1 });
      i = next;
    } else if (exercise) {
      flush();
      pieces.push({ kind: 'exercise', id: exercise[1]!, line: i + 1 });
      i++;
    } else if (SPLIT_DIRECTIVE.test(line)) {
      flush();
      i++;
    } else {
      // Jupyter serves only its root (notebooks/): Notebook 6.4 answers 404 for an image outside it, so
      // the learner would see alt text where the diagram should be.
      const outside = IMAGE_OUTSIDE.exec(line);
      if (outside) throw new NotebookSourceError(notebook, i + 1, `the image ${outside[0].slice(outside[0].indexOf('(') + 1, -1)} is outside notebooks/, which Jupyter cannot serve: put it in notebooks/tutorial_images/ and link tutorial_images/<file>`);
      markdown.push(lines[i]!);
      i++;
    }
  }
  flush();
  return pieces;
}

/** `⚡️ Exercise 3` or `🤿 Deep dive 2`: how the notebooks and the grader name an exercise. */
export function exerciseLabel(exercise: Exercise): string {
  return `${exercise.track === 'core' ? '⚡️ Exercise' : '🤿 Deep dive'} ${exerciseNumber(exercise)}`;
}

/** The Markdown cell before an exercise: heading, track and time, prompt, reading, and the check line. */
export function exerciseMarkdown(exercise: Exercise): string {
  const track = exercise.track === 'core' ? 'core path' : 'deep dive (optional)';
  const slow = exercise.minesBlocks ? ' It mines blocks on a throwaway regtest chain of its own, so it takes a few seconds.' : '';
  return [
    `## ${exerciseLabel(exercise)}: ${exercise.title}`,
    '',
    `*${track[0]!.toUpperCase()}${track.slice(1)} · about ${exercise.minutes} minutes*`,
    '',
    exercise.prompt.trim(),
    '',
    `**Read first:** ${exercise.reading}.`,
    '',
    `**Make this check pass: \`${exercise.id}\`.**${slow} Stuck? Run \`hint('${exercise.id}')\` in a new cell.`,
  ].join('\n');
}

/**
 * What notebook `name` asks of a learner, said up front: its core exercises and its deep dives, each with
 * its time, and the totals — from the registry, so the times can never disagree with the exercises'
 * headings. `undefined` for a notebook without exercises.
 */
export function notebookPlan(name: string): string | undefined {
  const here = EXERCISES.filter((e) => e.notebook === name);
  if (here.length === 0) return undefined;
  const line = (track: Exercise['track'], label: string) => {
    const listed = here.filter((e) => e.track === track);
    if (listed.length === 0) return undefined;
    const total = listed.reduce((sum, e) => sum + e.minutes, 0);
    const items = listed.map((e) => `${exerciseLabel(e)} \`${e.id}\` (about ${e.minutes} min)`).join(', ');
    return `- **${label}, about ${total} minutes:** ${items}`;
  };
  return [
    '**In this notebook**',
    '',
    ...[line('core', 'Core path'), line('deep-dive', 'Deep dives (optional, after the core path)')].filter((l): l is string => l !== undefined),
  ].join('\n');
}

/** A cell's source as Jupyter saves it: lines, each but the last ending in "\n". */
function sourceLines(text: string): string[] {
  return text.split(/(?<=\n)/);
}

function codeCell(role: CellRole, source: string, extra: { exercise?: string; locked?: boolean } = {}): Omit<NotebookCell, 'id'> {
  const lnlab = { role, ...(extra.exercise ? { exercise: extra.exercise } : {}), ...(extra.locked ? { checksum: cellChecksum(source) } : {}) };
  const metadata = extra.locked ? { deletable: false, editable: false, lnlab } : { lnlab };
  return { cell_type: 'code', execution_count: null, metadata, outputs: [], source: sourceLines(source) };
}

/**
 * Builds notebook `name` (e.g. `02-chain-monitor`) from its Markdown source. Throws a
 * `NotebookSourceError` for a missing or repeated setup cell, a code cell before the setup cell, an
 * unknown exercise, or an exercise the registry places in another notebook.
 */
export function buildNotebook(name: string, text: string, options: BuildOptions = {}): Notebook {
  const exerciseCell = options.exerciseCell ?? ((exercise: Exercise) => skeletonCellFromSolution(exercise));
  const cells: Omit<NotebookCell, 'id'>[] = [];
  const seen = new Set<string>();
  let setupSeen = false;
  let planWritten = false;
  const plan = notebookPlan(name);
  for (const piece of parse(name, text)) {
    if (piece.kind === 'markdown') {
      // The first Markdown cell (title and goal) also says what the notebook asks, and how long it takes.
      const withPlan = !planWritten && plan ? `${piece.text}\n\n${plan}` : piece.text;
      planWritten = true;
      cells.push({ cell_type: 'markdown', metadata: {}, source: sourceLines(withPlan) });
      continue;
    }
    if (piece.kind === 'setup') {
      if (setupSeen) throw new NotebookSourceError(name, piece.line, 'a second <!-- setup --> (a notebook has one setup cell)');
      setupSeen = true;
      cells.push(codeCell('setup', setupCellSource(piece.extra, name), { locked: true }));
      continue;
    }
    if (!setupSeen) throw new NotebookSourceError(name, piece.line, 'code before <!-- setup --> (the setup cell must run first)');
    if (piece.kind === 'code') {
      cells.push(codeCell('code', piece.text));
      continue;
    }
    let exercise: Exercise;
    try {
      exercise = exerciseById(piece.id);
    } catch (err) {
      throw new NotebookSourceError(name, piece.line, (err as Error).message);
    }
    if (exercise.notebook !== name) {
      throw new NotebookSourceError(name, piece.line, `exercise ${piece.id} belongs in ${exercise.notebook} (see src/curriculum/exercises/)`);
    }
    if (seen.has(piece.id)) throw new NotebookSourceError(name, piece.line, `exercise ${piece.id} appears twice`);
    seen.add(piece.id);
    cells.push({ cell_type: 'markdown', metadata: {}, source: sourceLines(exerciseMarkdown(exercise)) });
    cells.push(codeCell('exercise', exerciseCell(exercise), { exercise: piece.id }));
    cells.push(codeCell('check', checkCellSource(exercise), { exercise: piece.id, locked: true }));
  }
  if (!setupSeen) throw new NotebookSourceError(name, 1, 'no <!-- setup --> line (every notebook opens with the setup cell)');
  return {
    cells: cells.map((cell, index) => ({ id: `${name}-${String(index).padStart(2, '0')}`, ...cell })),
    metadata: {
      kernelspec: { display_name: KERNEL_DISPLAY_NAME, language: 'typescript', name: KERNEL_NAME },
      language_info: TSLAB_LANGUAGE_INFO,
      lnlab: { notebook: name, source: `notebooks/src/${name}.md` },
    },
    nbformat: NBFORMAT,
    nbformat_minor: NBFORMAT_MINOR,
  };
}

/** The same notebook with every exercise cell holding the reference solution: for tests. */
export function buildSolutionNotebook(name: string, text: string): Notebook {
  return buildNotebook(name, text, { exerciseCell: (exercise) => solutionCell(exercise) });
}

/** Sorts object keys at every depth, as Jupyter does when it saves. */
function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => [k, sortKeys(v)]));
  }
  return value;
}

/** The notebook as Jupyter writes it (sorted keys, one-space indent, final newline): saving it unchanged in Jupyter gives no diff. */
export function serializeNotebook(notebook: Notebook): string {
  return `${JSON.stringify(sortKeys(notebook), null, 1)}\n`;
}
