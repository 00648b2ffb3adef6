/**
 * The grading child: one learner's exercise, in a process of its own, started by `spawn.ts` with Node's
 * permission model (it can read only its own bundle, and write only its job folder; no child processes,
 * no workers, no inspector), frozen intrinsics, and no `eval`. It loads the workshop (bundled: no
 * TypeScript compiler, no `solutions/` — there are none in the bundle and none readable on disk), locks
 * the globals and the workshop down, then reads one job from stdin, compiles the learner's cell (already
 * JavaScript) with a `require` that reaches only what the notebook's setup cell imports, runs the
 * registry's checks, and reports each outcome on file descriptor 3, prefixed by the nonce. It grades one
 * job and exits: no learner's code ever meets another's.
 */
import { installTimerWatch, harnessTimers, takeLeftovers, trackedLearnerFunction, CELL_PATH_MARKER } from './learner-timers.js';
import { rmSync, writeSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { createInterface } from 'node:readline';
import { compileFunction } from 'node:vm';
import { setCheckContext } from '../../curriculum/check/context.js';
import { outcomeOf } from '../../curriculum/check/runner.js';
import type { TestOutcome } from '../../curriculum/check/types.js';
import { exerciseById, loadTests, ownMethod } from '../../curriculum/registry.js';
import { secp256k1WarmUp } from './warm-up.js';
import { freezeReachableModules, learnerRequire } from './learner-require.js';
import { lockGlobals } from './lockdown.js';
import { EVENT_FD, type SandboxEvent, type SandboxHello, type SandboxJob } from './protocol.js';

// Everything the harness itself calls, taken before any learner code exists.
const stringify = JSON.stringify;
const parse = JSON.parse;
const { setTimeout: later, clearTimeout: cancel, setImmediate: soon } = harnessTimers;
const exitProcess = process.exit.bind(process);
/** The job folder the parent made for this child (its TMPDIR); the child removes it as it ends, in case the parent is gone. */
const jobDir = process.env.TMPDIR;
function exit(code: number): never {
  try {
    if (jobDir && jobDir.includes('lnlab-grade-')) rmSync(jobDir, { recursive: true, force: true });
  } catch {
    // the parent removes it too
  }
  return exitProcess(code);
}

installTimerWatch();
secp256k1WarmUp();

let nonce = '';
function emit(event: SandboxEvent): void {
  writeSync(EVENT_FD, `${nonce} ${stringify(event)}\n`);
}

/** Rewrites positions in the compiled cell (`/.lnlab/cells/<id>.ts:L:C`) to positions in the learner's TypeScript. */
function inSourceTerms(text: string | undefined, map: SourceMap): string | undefined {
  if (text === undefined) return undefined;
  return text.replace(/(\/\.lnlab\/cells\/[\w.-]+\.ts):(\d+):(\d+)/g, (match, file: string, line: string, column: string) => {
    const entry = map.findEntry(Number(line) - 1, Number(column) - 1) as { originalLine?: number; originalColumn?: number };
    return entry.originalLine === undefined ? match : `${file}:${entry.originalLine + 1}:${(entry.originalColumn ?? 0) + 1}`;
  });
}

function mapOutcome(outcome: TestOutcome, map: SourceMap): TestOutcome {
  return { ...outcome, message: inSourceTerms(outcome.message, map), actual: inSourceTerms(outcome.actual, map) };
}

/** Resolves after `ms`, or rejects if `promise` has not settled by then. */
function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = later(() => reject(new Error(`timed out after ${ms / 1000} s (${what}) — is there an endless loop or a promise that never settles?`)), ms);
    promise.then(
      (value) => {
        cancel(timer);
        resolve(value);
      },
      (err: unknown) => {
        cancel(timer);
        reject(err);
      },
    );
  });
}

/** Lets every callback the last check queued run: two turns of the event loop. */
async function settle(): Promise<void> {
  for (let turn = 0; turn < 2; turn++) await new Promise<void>((resolve) => soon(resolve));
}

async function grade(job: SandboxJob, hello: SandboxHello): Promise<void> {
  const exercise = exerciseById(job.id);
  setCheckContext({ chain: job.chain, seed: job.seed });
  const map = new SourceMap(parse(job.sourceMap) as never);
  cellMap = map;
  // Loaded before the lockdown: a checks module may build what it shares on load.
  const tests = await loadTests(exercise);
  freezeReachableModules();
  lockGlobals();
  emit({ type: 'start', id: job.id });

  let impl: unknown;
  try {
    const cell = compileFunction(job.code, ['require', 'module', 'exports'], { filename: `${CELL_PATH_MARKER}${job.id}.ts` });
    const module = { exports: {} as Record<string, unknown> };
    cell(learnerRequire, module, module.exports);
    impl = module.exports.__exercise;
  } catch (err) {
    const text = err instanceof Error ? `${err.name}: ${err.message.split('\n')[0]}` : String(err);
    const where = err instanceof Error ? inSourceTerms(/\/\.lnlab\/cells\/[^\s)]+/.exec(err.stack ?? '')?.[0], map) : undefined;
    emit({ type: 'compile-failed', id: job.id, message: `your cell threw ${text} when it ran${where ? ` (at ${where})` : ''}` });
    return;
  }
  if (typeof impl !== 'function') {
    emit({ type: 'compile-failed', id: job.id, message: `the exercise cell must define \`function ${exercise.functionName}(…)\`; it defines no function of that name (renamed?)` });
    return;
  }
  const learner = trackedLearnerFunction(impl as (...args: unknown[]) => unknown);
  takeLeftovers(); // what the cell scheduled at load time is not a check's business

  for (const [index, test] of tests.entries()) {
    emit({ type: 'test', id: job.id, index, name: test.name });
    let outcome: TestOutcome;
    try {
      await within(test.run(learner as never), hello.testTimeoutMs, test.name);
      await settle();
      const leftovers = takeLeftovers();
      outcome = leftovers.length === 0
        ? { name: test.name, passed: true }
        : {
            name: test.name,
            passed: false,
            message: `your function left work running after it returned: ${leftovers.join('; ')}`,
            hint: 'finish everything before returning: `await` each promise instead of scheduling it for later',
          };
    } catch (err) {
      await settle();
      takeLeftovers();
      outcome = outcomeOf(test.name, err, exercise.hints[0], ownMethod(exercise));
    }
    emit({ type: 'result', id: job.id, index, outcome: mapOutcome(outcome, map) });
  }
}

async function main(): Promise<void> {
  const lines = createInterface({ input: process.stdin, crlfDelay: Infinity })[Symbol.asyncIterator]();
  const first = await lines.next();
  if (first.done) return exit(0);
  const hello = parse(first.value) as SandboxHello;
  nonce = hello.nonce;
  emit({ type: 'ready' });
  const second = await lines.next();
  if (second.done) return exit(0);
  const job = parse(second.value) as SandboxJob;
  await grade(job, hello);
  emit({ type: 'done', id: job.id });
  // An error escaping the learner's code after the checks (a promise it did not await) is reported by the
  // parent from stderr and the exit code; give it one moment to surface.
  later(() => exit(0), 50);
}

/** The cell's source map once a job is compiled: an error escaping the checks is shown on the cell's line. */
let cellMap: SourceMap | undefined;

/** An error that escaped the checks, described for the learner (the parent shows what the child wrote). */
function escapedError(reason: unknown): string {
  if (!(reason instanceof Error)) return `your code let ${String(reason)} escape outside the checks — a promise that was not awaited?`;
  const frame = /\/\.lnlab\/cells\/[\w.-]+\.ts:\d+:\d+/.exec(reason.stack ?? '')?.[0];
  const where = frame && cellMap ? inSourceTerms(frame, cellMap) : undefined;
  return `your code threw ${reason.name}: ${reason.message.split('\n')[0]}${where ? ` (${where})` : ''} outside the checks — a promise that was not awaited?`;
}

process.on('unhandledRejection', (reason) => {
  process.stderr.write(`${escapedError(reason)}\n`);
  exit(70);
});
process.on('uncaughtException', (err) => {
  process.stderr.write(`uncaught exception: ${err.name}: ${err.message}\n`);
  exit(70);
});

await main();
