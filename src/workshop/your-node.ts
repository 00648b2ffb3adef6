/**
 * `yourNode()`: the node a later notebook runs — the learner's own code for every exercise they have
 * solved, found in their saved notebooks (and, for this notebook's exercises, in the cells this kernel
 * ran), graded in the sandbox exactly as a check cell grades it; the reference for the rest where this copy
 * has one; and for anything else the hole, with the notebook to write it in. Nothing to paste.
 *
 * Verdicts are cached by the cell's text and the grader's build, so running it again is quick; a notebook
 * saved before the learner last checked an exercise is pointed out (save it first).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { compileFunction } from 'node:vm';
import { setupCell, skeletonCell } from '../curriculum/cells.js';
import type { Exercise } from '../curriculum/exercise.js';
import { solutionFile } from '../curriculum/exercise.js';
import { EXERCISES, exerciseNumber } from '../curriculum/registry.js';
import { hasReference, withExercise } from '../curriculum/references.js';
import { solutionCellFromText } from '../curriculum/solution-source.js';
import { readSubmissions } from '../grade/submission.js';
import { CHILD_BUNDLE, ensureChildBundle } from '../grade/sandbox/bundle.js';
import { transpileCell } from '../grade/sandbox/transpile.js';
import { GradeWorker } from '../grade/worker.js';
import { DEFAULT_TEST_TIMEOUT_MS } from '../grade/sandbox/grade-cell.js';
import { recordedCell } from '../kernel/cell-record.js';
import { currentNotebook, setMissingParts } from '../kernel/notebook-state.js';
import { assembleNode, type NodeClasses, type NodeMethods } from '../node/assemble.js';
import { PROJECT_ROOT } from '../chain/regtest/launcher.js';
import { lnlabHome } from './setup/paths.js';

/** Whose code an exercise runs in `yourNode()`. */
export type PartSource = 'yours' | 'reference' | 'missing';

export interface YourNode extends NodeClasses {
  /** Per exercise id: whose code runs. */
  readonly used: Readonly<Record<string, PartSource>>;
  /** The exercises nothing fills in this copy (neither the learner's passing code nor a reference). */
  readonly missing: readonly Exercise[];
}

/** One cached verdict: the grade of one cell text by one build of the grader. */
interface CachedVerdict {
  readonly sourceHash: string;
  readonly grader: string;
  readonly passed: boolean;
  readonly failed: number;
  readonly total: number;
  readonly at: string;
}

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

const VERDICTS = 'verdicts.json';
/** What check cells graded last, per exercise: to tell a learner their saved notebook is older. */
const CHECKED = 'checked.json';

function readJson(name: string): Record<string, CachedVerdict> {
  try {
    return JSON.parse(readFileSync(join(lnlabHome(), name), 'utf8')) as Record<string, CachedVerdict>;
  } catch {
    return {};
  }
}

function writeEntry(name: string, id: string, entry: CachedVerdict): void {
  const all = readJson(name);
  all[id] = entry;
  mkdirSync(lnlabHome(), { recursive: true });
  writeFileSync(join(lnlabHome(), name), `${JSON.stringify(all, null, 2)}\n`);
}

function readVerdicts(): Record<string, CachedVerdict> {
  return readJson(VERDICTS);
}

/** The grader's build, as a stamp: a new build (changed checks) invalidates every cached verdict. */
function graderStamp(): string {
  try {
    const stats = statSync(CHILD_BUNDLE);
    return `${stats.size}:${stats.mtimeMs}`;
  } catch {
    return 'unbuilt';
  }
}

/**
 * Remembers a verdict on a cell's text (check cells call this too, so a later `yourNode()` needs no
 * re-grading of what was just checked). Best effort: a read-only workspace only loses the cache.
 */
export function rememberVerdict(exercise: Exercise, source: string, passed: boolean, failed: number, total: number, byCheckCell = false): void {
  try {
    const entry = { sourceHash: sha256(source), grader: graderStamp(), passed, failed, total, at: new Date().toISOString() };
    writeEntry(VERDICTS, exercise.id, entry);
    if (byCheckCell) writeEntry(CHECKED, exercise.id, entry);
  } catch {
    // the cache is a convenience
  }
}

/**
 * A note when the saved notebook holding `exercise` differs from what its check cell last graded, and
 * was saved before that check: the learner checked a version they have not saved.
 */
function unsavedNote(exercise: Exercise, notebooksDir: string, saved: string | undefined): string | undefined {
  const checked = readJson(CHECKED)[exercise.id];
  if (!checked || saved === undefined || checked.sourceHash === sha256(saved)) return undefined;
  try {
    const savedAt = statSync(join(notebooksDir, `${exercise.notebook}.ipynb`)).mtimeMs;
    if (Date.parse(checked.at) <= savedAt) return undefined;
  } catch {
    return undefined;
  }
  return `⚠️  ${exercise.notebook}.ipynb on disk is older than the ${exercise.id} you last checked (${checked.passed ? '✅' : '❌'} at ${new Date(checked.at).toLocaleTimeString()}): save that notebook (Ctrl-S) and run this cell again to use it`;
}

/** Where a learner writes `exercise`. */
function whereToWrite(exercise: Exercise): string {
  return `${exercise.notebook}, ${exercise.track === 'core' ? 'exercise' : 'deep dive'} ${exerciseNumber(exercise)}`;
}

/** The learner's source of each exercise: this kernel's record for this notebook's own, else the saved notebook. */
function learnerSources(notebooksDir: string, exercises: readonly Exercise[]): Map<string, { source: string; from: string }> {
  const sources = new Map<string, { source: string; from: string }>();
  const here = currentNotebook();
  for (const submission of readSubmissions(notebooksDir, exercises)) {
    const exercise = submission.exercise;
    const ran = exercise.notebook === here ? recordedCell(exercise.functionName) : undefined;
    if (ran?.ok) sources.set(exercise.id, { source: ran.source, from: 'the cell you ran above' });
    else if (submission.source !== undefined) sources.set(exercise.id, { source: submission.source, from: `your saved ${exercise.notebook}` });
  }
  return sources;
}

/** The function a cell defines, compiled in this process with the same names as in the kernel. */
function compileHere(exercise: Exercise, source: string, setup = setupCell(exercise.notebook)): Function {
  const cell = transpileCell(exercise, source, setup);
  if (!cell.ok) throw new Error(cell.message);
  const module = { exports: {} as Record<string, unknown> };
  const require = createRequire(join(process.cwd(), 'your-node.js'));
  compileFunction(cell.code, ['require', 'module', 'exports'], { filename: `/.lnlab/cells/${exercise.id}.ts` })(require, module, module.exports);
  const fn = module.exports.__exercise;
  if (typeof fn !== 'function') throw new Error(`${exercise.id}: the cell defines no function ${exercise.functionName}`);
  return fn;
}

/** The reference of `exercise`, compiled like a learner's cell (so it uses this kernel's copy of the workshop). */
function referenceHere(exercise: Exercise): Function | undefined {
  if (!hasReference(exercise)) return undefined;
  const text = readFileSync(join(PROJECT_ROOT, solutionFile(exercise)), 'utf8');
  return compileHere(exercise, solutionCellFromText(exercise, text));
}

/** Grades `sources` (two at a time), from the cache where the same text was graded by the same grader. */
async function verdictsFor(sources: ReadonlyMap<string, { source: string }>): Promise<Map<string, CachedVerdict>> {
  await ensureChildBundle();
  const cached = readVerdicts();
  const stamp = graderStamp();
  const result = new Map<string, CachedVerdict>();
  const queue = [...sources.entries()].filter(([id, { source }]) => {
    const hit = cached[id];
    if (hit && hit.sourceHash === sha256(source) && hit.grader === stamp) {
      result.set(id, hit);
      return false;
    }
    return true;
  });
  const lane = async () => {
    for (let next = queue.shift(); next; next = queue.shift()) {
      const [id, { source }] = next;
      const exercise = EXERCISES.find((e) => e.id === id)!;
      const verdict = await new GradeWorker(DEFAULT_TEST_TIMEOUT_MS).run({ id, source }, { typeErrors: false });
      const failed = verdict.report.tests.filter((t) => !t.passed).length;
      rememberVerdict(exercise, source, verdict.report.passed && !verdict.problem, failed, verdict.report.tests.length);
      result.set(id, readVerdicts()[id]!);
    }
  };
  await Promise.all([lane(), lane()]);
  return result;
}

export interface YourNodeOptions {
  /** Print whose code runs (default true). */
  readonly print?: boolean;
  /** The folder of the learner's notebooks (default: the kernel's working folder, where Jupyter opened them). */
  readonly notebooksDir?: string;
}

/**
 * The node, with the learner's passing code everywhere it exists, the reference where this copy has one,
 * and holes elsewhere (cells marked `// needs: <id>` are then skipped). Prints one line per exercise.
 */
export async function yourNode(options: YourNodeOptions = {}): Promise<YourNode> {
  const notebooksDir = options.notebooksDir ?? (existsSync(join(process.cwd(), '01-channel-monitor.ipynb')) ? process.cwd() : join(PROJECT_ROOT, 'notebooks'));
  const sources = learnerSources(notebooksDir, EXERCISES);
  // A skeleton as shipped is not worth a grader run: it is "not written yet".
  for (const [id, { source }] of sources) if (source === skeletonCell(EXERCISES.find((e) => e.id === id)!)) sources.delete(id);
  const notes = EXERCISES.flatMap((exercise) => {
    const found = sources.get(exercise.id);
    const note = exercise.notebook === currentNotebook() ? undefined : unsavedNote(exercise, notebooksDir, found?.source ?? skeletonCell(exercise));
    return note ? [note] : [];
  });
  const verdicts = await verdictsFor(sources);
  let methods: NodeMethods = {};
  const used: Record<string, PartSource> = {};
  const missing = new Map<string, string>();
  const lines: string[] = [];
  // Registry order: for a method two exercises fill (`transactionsConfirmed`), the later one wins.
  for (const exercise of EXERCISES) {
    const found = sources.get(exercise.id);
    const verdict = verdicts.get(exercise.id);
    let why: string;
    if (found && verdict?.passed) {
      methods = withExercise(methods, exercise, compileHere(exercise, found.source));
      used[exercise.id] = 'yours';
      why = `YOURS ✅ (from ${found.from})`;
    } else {
      const mine = found ? `yours fails ${verdict?.failed ?? '?'} of ${verdict?.total ?? '?'} checks` : 'not written yet';
      const reference = referenceHere(exercise);
      if (reference) {
        const shadowed = EXERCISES.some((o) => o !== exercise && used[o.id] === 'yours' && o.component === exercise.component && o.functionName === exercise.functionName);
        if (!shadowed) methods = withExercise(methods, exercise, reference);
        used[exercise.id] = 'reference';
        why = `the reference (${mine})`;
      } else {
        used[exercise.id] = 'missing';
        missing.set(exercise.id, whereToWrite(exercise));
        why = `MISSING — ${mine}; write it in ${whereToWrite(exercise)}`;
      }
    }
    lines.push(`  ${`${exercise.component}.${exercise.functionName}`.padEnd(34)} ${why}`);
  }
  setMissingParts(missing);
  if (options.print ?? true) {
    process.stdout.write(`Whose code runs in this node:\n${lines.join('\n')}\n  everything else                    given (src/node)\n`);
    for (const note of notes) process.stdout.write(`${note}\n`);
  }
  return Object.freeze({ ...assembleNode(methods), used: Object.freeze(used), missing: Object.freeze(EXERCISES.filter((e) => missing.has(e.id))) });
}
