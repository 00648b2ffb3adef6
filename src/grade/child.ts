/**
 * The grader's child process: `node --import tsx src/grade/child.ts`, cwd = the repository. It loads
 * the workshop once, then grades each job it reads on stdin — compiles the learner's cell with
 * `compileCell` and runs the registry's tests with `runTests` — and reports on stdout (see
 * `protocol.ts`). Learner code runs only here, so an endless loop or a `process.exit` costs this process,
 * never the grader; the parent enforces the time limit by killing the process group.
 */
import { createInterface } from 'node:readline';
import { Worker } from 'node:worker_threads';
import { compileCell, setupLineCount } from '../workshop/compile-cell.js';
import { EXERCISES, exerciseById, loadTests, type Exercise } from '../curriculum/registry.js';
import { runTests } from '../curriculum/check/runner.js';
import type { CheckReport, ExerciseTest, TestOutcome } from '../curriculum/check/types.js';
import { compileErrorMessage, firstCellLocation, lineCount, toCellLocations, type CellSpan } from './cell-errors.js';
import { COMPILE_TEST_NAME, type ChildEvent, type ChildHello, type GradeJob } from './protocol.js';

// Kept before any learner code runs: a cell that replaces process.stdout.write cannot silence the grader.
const writeStdout = process.stdout.write.bind(process.stdout);

/** How often the watchdog checks that the grader is still there. */
const WATCHDOG_INTERVAL_MS = 1_000;

/**
 * This process runs in its own process group, so a grader that dies (killed, terminal closed) cannot take
 * it along, and an endless loop in learner code blocks this thread's timers. A watchdog on a thread of its
 * own notices the parent is gone (this process is re-parented) and ends the process.
 */
function startWatchdog(): void {
  const code = `const parent = process.ppid;
setInterval(() => { if (process.ppid !== parent) process.kill(process.pid, 'SIGKILL'); }, ${WATCHDOG_INTERVAL_MS});`;
  new Worker(code, { eval: true }).unref();
}

/** Sends one event to the grader (set up once the nonce is known). */
let emit: (event: ChildEvent) => void = () => undefined;
/** The job being graded, for a crash that happens outside any test. */
let current: { readonly id: string; readonly cellLines: CellSpan; reported: boolean } | undefined;

/**
 * An error nothing caught — typically a promise the learner's code did not await, rejecting after the
 * check moved on. It fails the exercise (with the cell line) instead of passing unnoticed; the process
 * then ends, and the grader uses a fresh one for the next exercise.
 */
function onCrash(err: unknown): never {
  if (current && !current.reported) {
    const text = err instanceof Error ? `${err.name}: ${toCellLocations(err.message.split('\n')[0] ?? '', current.cellLines)}` : String(err);
    const where = firstCellLocation(err instanceof Error ? err.stack : undefined, current.cellLines);
    const message = `your code threw ${text}${where ? ` (${where})` : ''} outside the checks — a promise that was not awaited?`;
    emit({ type: 'report', id: current.id, report: failedReport(current.id, 'no error escapes the exercise', message, exerciseById(current.id).hints[0], 0) });
    emit({ type: 'done', id: current.id });
  }
  process.exit(1);
}

function failedReport(id: string, name: string, message: string, hint: string, durationMs: number): CheckReport {
  return { id, passed: false, tests: [{ name, passed: false, message, hint }], durationMs };
}

/** The report with every compiled-module location turned into a location in the learner's cell. */
function inCellTerms(report: CheckReport, cellLines: CellSpan): CheckReport {
  const map = (text: string | undefined) => (text === undefined ? undefined : toCellLocations(text, cellLines));
  const tests: TestOutcome[] = report.tests.map((t) => ({ ...t, message: map(t.message), actual: map(t.actual) }));
  return { ...report, tests };
}

async function grade(job: GradeJob, testTimeoutMs: number): Promise<void> {
  const exercise: Exercise = exerciseById(job.id);
  const started = performance.now();
  const cellLines: CellSpan = { offset: setupLineCount(exercise), lines: lineCount(job.source) };
  current = { id: job.id, cellLines, reported: false };
  const reported = (report: CheckReport) => {
    current!.reported = true;
    emit({ type: 'report', id: job.id, report });
  };
  const elapsed = () => Math.round(performance.now() - started);
  emit({ type: 'start', id: job.id });
  let impl: unknown;
  try {
    impl = await compileCell(exercise, job.source);
  } catch (err) {
    const message = compileErrorMessage(err, cellLines);
    reported(failedReport(job.id, COMPILE_TEST_NAME, message, exercise.hints[0], elapsed()));
    if (!message.startsWith('SyntaxError')) await reportTypeErrors(exercise, job.source);
    return;
  }
  if (typeof impl !== 'function') {
    const message = `the exercise cell must define \`function ${exercise.functionName}(…)\`; it defines no function of that name (renamed?)`;
    reported(failedReport(job.id, `the cell defines ${exercise.functionName}`, message, exercise.hints[0], elapsed()));
    return;
  }
  // Each test announces itself, so a time-out can name the test that never finished.
  const tests = (await loadTests(exercise)).map((test): ExerciseTest<never> => ({
    name: test.name,
    run: (arg) => {
      emit({ type: 'test', id: job.id, name: test.name });
      return test.run(arg);
    },
  }));
  const report = inCellTerms(await runTests(job.id, tests, impl as never, exercise.hints[0], testTimeoutMs), cellLines);
  reported(report);
  // TypeScript's view helps with a crash ("cannot read properties of undefined"), not with a wrong answer.
  if (report.tests.some((t) => !t.passed && t.message?.startsWith('your code threw'))) await reportTypeErrors(exercise, job.source);
}

async function reportTypeErrors(exercise: Exercise, source: string): Promise<void> {
  try {
    const { cellTypeErrors } = await import('./typecheck.js');
    const errors = cellTypeErrors(exercise, source);
    if (errors.length > 0) emit({ type: 'types', id: exercise.id, errors });
  } catch {
    // Diagnostics are a courtesy: the verdict has already been reported.
  }
}

async function main(): Promise<void> {
  startWatchdog();
  const lines = createInterface({ input: process.stdin, crlfDelay: Infinity })[Symbol.asyncIterator]();
  const first = await lines.next();
  if (first.done) return;
  const hello = JSON.parse(first.value) as ChildHello;
  emit = (event) => {
    writeStdout(`${hello.nonce} ${JSON.stringify(event)}\n`);
  };
  process.on('uncaughtException', onCrash);
  process.on('unhandledRejection', onCrash);
  // Load every exercise's tests (and through them the workshop) before saying ready: a warm child.
  for (const exercise of EXERCISES) await loadTests(exercise);
  emit({ type: 'ready' });
  for (let line = await lines.next(); !line.done; line = await lines.next()) {
    if (line.value.trim() === '') continue;
    const job = JSON.parse(line.value) as GradeJob;
    await grade(job, hello.testTimeoutMs);
    emit({ type: 'done', id: job.id });
    current = undefined;
  }
}

await main();
// Learner code may have left timers or sockets open; the parent closed stdin, so the work is done.
process.exit(0);
