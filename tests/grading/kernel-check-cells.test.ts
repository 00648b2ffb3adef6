/**
 * What a learner sees in the CHECK CELL, in real Jupyter (nbclient) with the workshop's kernel
 * (`src/kernel/kernel-main.ts`) — issue 12:
 * - every wrong implementation of `tests/fixtures/wrong/manifest.json`, run as the exercise cell, makes the
 *   check cell after it print ❌ for that exercise with the manifest's `mustSay`; every correct alternative
 *   of `tests/fixtures/correct/manifest.json` prints ✅ (both manifests are read when the file runs, so
 *   fixtures added later are covered);
 * - a correct cell using a name only its notebook's setup cell imports (`randomBytes`, notebook 03) is ✅
 *   in the check cell and in `lnlab grade`;
 * - after a pass, an edit that does not compile (a type error, a syntax error) makes the check say so —
 *   never the stale ✅ of the version that ran before;
 * - the un-awaited `forEach` in `transactionsConfirmed` gets a check cell that tells the learner to await.
 *
 * `check()` grades the cell that last declared the exercise's function in this kernel, so one kernel can
 * take many cases in turn: each case is an exercise cell followed by its check cell, after the setup cell
 * of the exercise's notebook. The cases are spread over two kernels, run side by side (kernel start-up, a
 * type-check of the workshop module, is most of the time). The run folders are named so that no
 * `<notebook>.ipynb` is on disk there: the check's "changed on disk since you ran it" test stays out of it.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/chain/index.js';
import { buildNotebook, serializeNotebook } from '../../src/curriculum/notebook-builder.js';
import { cellOutputText, cellSource, checkCellSource, checkVerdict, type CheckVerdict, type NotebookCell } from '../../src/curriculum/notebook-format.js';
import { NOTEBOOK_PRELUDE } from '../../src/curriculum/prelude.js';
import { EXERCISES, exerciseById } from '../../src/curriculum/registry.js';
import type { Exercise } from '../../src/curriculum/exercise.js';
import { solutionCell } from '../../src/curriculum/solution-source.js';
import { executeNotebook, type NotebookRun } from '../notebooks/jupyter-run.js';
import { jsonResults, lnlab } from '../grade/run-cli.js';
import { useTempDirs } from '../grade/temp-dirs.js';

const FIXTURES = join(PROJECT_ROOT, 'tests', 'fixtures');
const SOURCES = join(PROJECT_ROOT, 'notebooks', 'src');
/** Kernels run side by side. */
const KERNELS = 2;
/** A test waits for its kernel's whole run, which shares two cores with the other one. */
const WAIT_MS = 300_000;

type Manifest = Record<string, { readonly exercise: string; readonly mustSay?: string }>;

/** A manifest as it is when this file runs; `{}` for one not written yet. */
function manifest(kind: 'wrong' | 'correct'): Manifest {
  const file = join(FIXTURES, kind, 'manifest.json');
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Manifest) : {};
}

/** What the check cell after a case must show. */
type Want =
  | { readonly kind: 'pass' }
  | { readonly kind: 'fail'; readonly mustSay: string }
  /** The exercise cell fails to compile; the check must say so, not grade what ran before. */
  | { readonly kind: 'does-not-compile' };

/** One exercise cell and the check cell after it. */
interface Case {
  readonly key: string;
  readonly exercise: Exercise;
  readonly source: string;
  readonly want: Want;
}

/** Correct, and it needs `randomBytes`, which notebook 03's setup cell imports and the prelude does not. */
const SETUP_ONLY_NAME_CELL = `// Correct, written with a name only this notebook's setup cell imports: each stored preimage is a fresh
// buffer of its own (random bytes, then overwritten), so no caller can change it afterwards.
function updateMonitor(this: ChannelMonitor, update: ChannelMonitorUpdate): void {
  if (update.kind === 'PaymentPreimage') {
    const preimage = update.paymentPreimage;
    if (preimage.length !== PAYMENT_PREIMAGE_BYTES) {
      throw new InvalidMonitorUpdateError(\`a payment preimage is \${PAYMENT_PREIMAGE_BYTES} bytes, not \${preimage.length}\`, 'pass the preimage from update_fulfill_htlc');
    }
    if (this.preimages.some((p) => Buffer.compare(p, preimage) === 0)) return;
    const stored = randomBytes(preimage.length);
    stored.set(preimage);
    this.preimages.push(stored);
    return;
  }
  if (update.kind === 'CommitmentSecret') {
    this.commitmentSecrets.provideSecret(update.index, update.secret);
    return;
  }
  this.recordLatestCommitment(update);
}`;
const SETUP_ONLY_NAME = { exercise: exerciseById('updateMonitor'), name: 'randomBytes' };

/** The reference with one more line before its function's closing brace. */
function solutionWith(exercise: Exercise, line: string): string {
  const solution = solutionCell(exercise);
  const end = solution.lastIndexOf('\n}');
  return `${solution.slice(0, end)}\n  ${line}${solution.slice(end)}`;
}

const FOREACH_NO_AWAIT = 'transactions-confirmed--foreach-no-await.ts';
const EDITED = exerciseById('updateChannel');
const EDITS = [
  { key: 'type error', line: "const fee: number = 'a string';" },
  { key: 'syntax error', line: 'if (' },
] as const;

function allCases(): Case[] {
  const read = (kind: 'wrong' | 'correct', file: string) => readFileSync(join(FIXTURES, kind, file), 'utf8');
  const wrong = Object.entries(manifest('wrong')).map(([file, entry]): Case => {
    if (entry.mustSay === undefined) throw new Error(`tests/fixtures/wrong/manifest.json: ${file} has no mustSay`);
    return { key: `wrong/${file}`, exercise: exerciseById(entry.exercise), source: read('wrong', file), want: { kind: 'fail', mustSay: entry.mustSay } };
  });
  const correct = Object.entries(manifest('correct')).map(([file, entry]): Case =>
    ({ key: `correct/${file}`, exercise: exerciseById(entry.exercise), source: read('correct', file), want: { kind: 'pass' } }));
  // A pass first, then the edit: a kernel that graded the function left behind would print that pass again.
  const edits = EDITS.flatMap(({ key, line }): Case[] => [
    { key: `${key}: the reference before it`, exercise: EDITED, source: solutionCell(EDITED), want: { kind: 'pass' } },
    { key, exercise: EDITED, source: solutionWith(EDITED, line), want: { kind: 'does-not-compile' } },
  ]);
  const setupOnly: Case = { key: `uses ${SETUP_ONLY_NAME.name}`, exercise: SETUP_ONLY_NAME.exercise, source: SETUP_ONLY_NAME_CELL, want: { kind: 'pass' } };
  return [...wrong, ...correct, setupOnly, ...edits];
}

const cases = allCases();

/** The setup cell of `name`, as the builder generates it. */
function setupCell(name: string): NotebookCell {
  const built = buildNotebook(name, readFileSync(join(SOURCES, `${name}.md`), 'utf8'));
  return built.cells.find((cell) => cell.metadata.lnlab?.role === 'setup')!;
}

/** The cases of each notebook, in registry order, dealt to `KERNELS` kernels by size. */
function kernelsOfCases(): Case[][] {
  const notebooks = [...new Set(EXERCISES.map((e) => e.notebook))];
  const sections = notebooks.map((name) => cases.filter((c) => c.exercise.notebook === name)).filter((s) => s.length > 0);
  const kernels: Case[][][] = Array.from({ length: KERNELS }, () => []);
  const size = (k: Case[][]) => k.reduce((n, s) => n + s.length, 0);
  for (const section of [...sections].sort((a, b) => b.length - a.length)) {
    kernels.reduce((least, k) => (size(k) < size(least) ? k : least)).push(section);
  }
  return kernels.map((k) => k.sort((a, b) => notebooks.indexOf(a[0]!.exercise.notebook) - notebooks.indexOf(b[0]!.exercise.notebook)).flat());
}

/** What one case showed. */
interface Seen {
  readonly exerciseStatus: string | null;
  readonly checkStatus: string | null;
  readonly output: string;
  readonly verdict: CheckVerdict;
}

const CASE_KEY = 'kernelCheckCase';

/** Runs `batch` in one kernel: per notebook its setup cell, then per case the exercise cell and its check cell. */
async function runBatch(batch: readonly Case[], index: number): Promise<{ run: NotebookRun; seen: Map<string, Seen> }> {
  const cells: NotebookCell[] = [];
  let notebook: string | undefined;
  for (const c of batch) {
    if (c.exercise.notebook !== notebook) {
      notebook = c.exercise.notebook;
      cells.push(setupCell(notebook));
    }
    const metadata = (role: 'exercise' | 'check') => ({ lnlab: { role, exercise: c.exercise.id }, [CASE_KEY]: c.key });
    cells.push({ cell_type: 'code', source: c.source, metadata: metadata('exercise'), outputs: [], execution_count: null });
    cells.push({ cell_type: 'code', source: checkCellSource(c.exercise), metadata: metadata('check'), outputs: [], execution_count: null });
  }
  const shell = buildNotebook('01-channel-monitor', readFileSync(join(SOURCES, '01-channel-monitor.md'), 'utf8'));
  const name = `check-cells-${index + 1}`;
  const run = await executeNotebook(name, 'kernel-check', { ...shell, cells: cells.map((cell, i) => ({ ...cell, id: `${name}-${i}` })) });
  const seen = new Map<string, Seen>();
  run.notebook.cells.forEach((cell, i) => {
    const key = cell.metadata[CASE_KEY] as string | undefined;
    if (key === undefined || cell.metadata.lnlab?.role !== 'check') return;
    const output = cellOutputText(cell);
    seen.set(key, { exerciseStatus: run.statuses[i - 1] ?? null, checkStatus: run.statuses[i] ?? null, output, verdict: checkVerdict(output, cell.metadata.lnlab.exercise!) });
  });
  return { run, seen };
}

const batches = kernelsOfCases();
const runs = batches.map((batch, i) => runBatch(batch, i));
runs.forEach((run) => run.catch(() => undefined)); // each test reports its own

const tempDir = useTempDirs('lnlab-kernel-check-');

/** `lnlab grade` on notebook 03 as a learner would save it, with the setup-only-name cell as updateMonitor's. */
const graded = (async () => {
  const dir = await tempDir();
  const name = SETUP_ONLY_NAME.exercise.notebook;
  const text = readFileSync(join(SOURCES, `${name}.md`), 'utf8');
  const notebook = buildNotebook(name, text, { exerciseCell: (e) => (e.id === SETUP_ONLY_NAME.exercise.id ? SETUP_ONLY_NAME_CELL : solutionCell(e)) });
  writeFileSync(join(dir, `${name}.ipynb`), serializeNotebook(notebook));
  return lnlab(['grade', SETUP_ONLY_NAME.exercise.id, '--json', '--dir', dir], await tempDir());
})();
graded.catch(() => undefined);

/** What the check cell after `key` showed, once its kernel is done. */
async function seenFor(key: string): Promise<Seen> {
  const batch = batches.findIndex((b) => b.some((c) => c.key === key));
  const { run, seen } = await runs[batch]!;
  const result = seen.get(key);
  if (!result) throw new Error(`${key}: no check cell output (run ${run.error ?? 'finished'} after ${run.seconds} s)`);
  return result;
}

const shown = (s: Seen) => `exercise cell ${s.exerciseStatus}, check cell ${s.checkStatus}:\n${s.output}`;

afterAll(async () => {
  const seconds = await Promise.all(runs.map((run) => run.then((r) => `${r.run.seconds} s`, () => 'failed')));
  console.log(`check cells in the kernel: ${cases.length} cases in ${KERNELS} kernels (${batches.map((b) => b.length).join(' + ')}), ${seconds.join(', ')}`);
});

describe('the check cell after each case, in the workshop kernel', () => {
  it('the setup-only name is a real test: the prelude lacks it, the notebook\'s setup cell imports it', () => {
    expect(NOTEBOOK_PRELUDE).not.toContain(SETUP_ONLY_NAME.name);
    expect(cellSource(setupCell(SETUP_ONLY_NAME.exercise.notebook))).toContain(`import { ${SETUP_ONLY_NAME.name} }`);
  });

  it.each(cases.filter((c) => c.want.kind === 'fail').map((c) => [c.key, c] as const))('%s: ❌ with what the manifest says', async (_key, c) => {
    const seen = await seenFor(c.key);
    // The cell itself must run: a wrong implementation is a mistake of logic, and a ❌ for "does not compile" proves nothing.
    expect(seen.exerciseStatus, shown(seen)).toBe('ok');
    expect(seen.verdict, shown(seen)).toBe('failed');
    expect(seen.output, shown(seen)).toContain((c.want as { mustSay: string }).mustSay);
  }, WAIT_MS);

  it.each(cases.filter((c) => c.want.kind === 'pass').map((c) => [c.key, c] as const))('%s: ✅', async (_key, c) => {
    const seen = await seenFor(c.key);
    expect(seen.exerciseStatus, shown(seen)).toBe('ok');
    expect(seen.verdict, shown(seen)).toBe('passed');
    expect(seen.output, shown(seen)).not.toContain('❌');
  }, WAIT_MS);

  it.each(EDITS.map((e) => e.key))('after a ✅, an edit with a %s: ❌ saying the cell does not compile, not the stale ✅', async (key) => {
    const before = await seenFor(`${key}: the reference before it`);
    expect(before.verdict, shown(before)).toBe('passed');
    const seen = await seenFor(key);
    expect(seen.exerciseStatus, shown(seen)).toBe('error');
    expect(seen.checkStatus, shown(seen)).toBe('ok'); // answered, not tslab's "abort" of cells after an error
    expect(seen.verdict, shown(seen)).toBe('failed');
    expect(seen.output, shown(seen)).toContain('does not compile');
    expect(seen.output, shown(seen)).not.toContain('✅');
  }, WAIT_MS);

  it.runIf(FOREACH_NO_AWAIT in manifest('wrong'))('an un-awaited forEach in transactionsConfirmed: the check tells the learner to await', async () => {
    const seen = await seenFor(`wrong/${FOREACH_NO_AWAIT}`);
    expect(seen.verdict, shown(seen)).toBe('failed');
    const hints = seen.output.split('\n').filter((line) => /^\s+hint:/.test(line));
    expect(hints.some((line) => /\bawait\b/.test(line)), shown(seen)).toBe(true);
  }, WAIT_MS);
});

describe(`lnlab grade on a saved notebook whose cell uses ${SETUP_ONLY_NAME.name}`, () => {
  it('passes, with no type errors: the grader compiles the cell after the notebook\'s own setup cell', async () => {
    const run = await graded;
    const [result] = jsonResults(run.stdout);
    expect(result, `${run.stdout}\n${run.stderr}`).toMatchObject({ id: SETUP_ONLY_NAME.exercise.id, passed: true });
    expect(result!.type_errors ?? [], JSON.stringify(result)).toEqual([]);
    expect(run.code, run.stderr).toBe(0);
  }, WAIT_MS);
});
