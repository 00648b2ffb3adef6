/**
 * The parent's side of a grading child process (`child.ts`): spawns it in its own process group, feeds
 * it jobs one at a time, and turns whatever happens — a report, an endless loop, a crash, a
 * `process.exit` — into a verdict. A verdict always comes from the child's report; silence is a failure.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { PROJECT_ROOT } from '../chain/regtest/launcher.js';
import type { CheckReport } from '../curriculum/check/types.js';
import { COMPILE_TEST_NAME, parseChildLine, type ChildEvent, type ChildHello, type GradeJob } from './protocol.js';

/**
 * Default time limit, in ms, for compiling a cell and for each of its tests. Per test rather than per
 * exercise: on a loaded machine a slow but progressing exercise is never cut short, while an endless
 * loop is caught within one limit of the test it is stuck in.
 */
export const DEFAULT_EXERCISE_LIMIT_MS = 20_000;
/**
 * The child times out an awaited promise itself after the limit and goes on with the next test; the
 * parent kills only a child that does not answer a little later (a synchronous loop blocks its timers).
 */
const KILL_GRACE_MS = 2_000;
/**
 * After the verdict, TypeScript's diagnostics of a crashed cell: the first check in a process parses the
 * workshop's types (seconds; tens of seconds on a loaded machine). It cannot loop, and the verdict is in.
 */
const TYPECHECK_LIMIT_MS = 60_000;
/** How long a child may take to load the workshop before it counts as broken (slow machines, cold caches). */
export const STARTUP_LIMIT_MS = 90_000;
const CHILD_SCRIPT = join(PROJECT_ROOT, 'src', 'grade', 'child.ts');
/** Lines of the child's stderr kept to explain a crash. */
const STDERR_TAIL_LINES = 5;

/** What grading one exercise in a child produced. `report` is absent when the child never gave one. */
export interface WorkerVerdict {
  readonly report: CheckReport;
  /** Set when the child did not finish the job normally (time-out, exit, crash). */
  readonly problem?: string;
  readonly typeErrors: readonly string[];
  readonly durationMs: number;
}

const live = new Set<GradeWorker>();
// A grader that exits (Ctrl-C in --watch, an error) must not leave learner code running in the background.
process.once('exit', () => killAllWorkers());

/** Kills every grading process still running (the grader is stopping). */
export function killAllWorkers(): void {
  for (const worker of live) worker.kill();
}

/** One child process; grades one job at a time. Reusable until it dies or is closed. */
export class GradeWorker {
  readonly ready: Promise<void>;
  private readonly child: ChildProcess;
  private readonly nonce = randomBytes(16).toString('hex');
  private readonly stderrTail: string[] = [];
  private listener: ((event: ChildEvent) => void) | undefined;
  private exitListener: (() => void) | undefined;
  private exited = false;
  private killed = false;
  private exitDescription = '';

  constructor(private readonly exerciseLimitMs: number) {
    this.child = spawn(process.execPath, ['--import', 'tsx', CHILD_SCRIPT], {
      cwd: PROJECT_ROOT,
      detached: true, // its own process group: a time-out kills the child and anything it started
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    live.add(this);
    const hello: ChildHello = { nonce: this.nonce, testTimeoutMs: exerciseLimitMs };
    this.child.stdin!.on('error', () => undefined); // a dead child's closed pipe is reported through 'exit'
    this.child.stdin!.write(`${JSON.stringify(hello)}\n`);
    createInterface({ input: this.child.stdout!, crlfDelay: Infinity }).on('line', (line) => {
      const event = parseChildLine(line, this.nonce);
      if (event) this.listener?.(event);
    });
    createInterface({ input: this.child.stderr!, crlfDelay: Infinity }).on('line', (line) => {
      this.stderrTail.push(line);
      if (this.stderrTail.length > STDERR_TAIL_LINES) this.stderrTail.shift();
    });
    this.child.on('exit', (code, signal) => {
      this.exited = true;
      this.exitDescription = signal ? `signal ${signal}` : `exit code ${code}`;
      live.delete(this);
      this.exitListener?.();
    });
    this.ready = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.kill();
        reject(new Error(`the grading process did not start within ${STARTUP_LIMIT_MS / 1000} s`));
      }, STARTUP_LIMIT_MS);
      this.listener = (event) => {
        if (event.type !== 'ready') return;
        clearTimeout(timer);
        resolve();
      };
      this.exitListener = () => {
        clearTimeout(timer);
        reject(new Error(`the grading process stopped before it was ready (${this.exitDescription})${this.stderrText()}`));
      };
    });
    this.ready.catch(() => undefined); // callers see the rejection through run()
  }

  get alive(): boolean {
    return !this.exited && !this.killed;
  }

  private stderrText(): string {
    return this.stderrTail.length > 0 ? `: ${this.stderrTail.join(' | ')}` : '';
  }

  /** Grades one exercise. Never rejects: every way a child can fail becomes a failed verdict. */
  async run(job: GradeJob): Promise<WorkerVerdict> {
    const limitS = this.exerciseLimitMs / 1000;
    try {
      await this.ready;
    } catch (err) {
      return failure(job.id, 'starting the grader', (err as Error).message, 0);
    }
    return new Promise<WorkerVerdict>((resolve) => {
      let started = performance.now();
      let report: CheckReport | undefined;
      let typeErrors: readonly string[] = [];
      let currentTest: string | undefined;
      let timer: NodeJS.Timeout | undefined;
      let reportedAfterMs: number | undefined; // the verdict's time, without the diagnostics after it
      const elapsed = () => reportedAfterMs ?? Math.round(performance.now() - started);
      const finish = (verdict: WorkerVerdict) => {
        clearTimeout(timer);
        this.listener = undefined;
        this.exitListener = undefined;
        resolve(verdict);
      };
      const armTimer = (ms = this.exerciseLimitMs + KILL_GRACE_MS) => {
        clearTimeout(timer);
        timer = setTimeout(() => {
          this.kill();
          if (report) return finish({ report, typeErrors, durationMs: elapsed() });
          const where = currentTest ? ` in test "${currentTest}"` : ' while loading the cell';
          const problem = `timed out after ${limitS} s${where} — is there an endless loop (e.g. \`while (true)\`) or a promise that never settles?`;
          finish(failure(job.id, currentTest ?? COMPILE_TEST_NAME, problem, elapsed()));
        }, ms);
      };
      this.listener = (event) => {
        if (!('id' in event) || event.id !== job.id) return;
        if (event.type === 'start') {
          started = performance.now();
          armTimer();
        } else if (event.type === 'test') {
          currentTest = event.name;
          armTimer();
        } else if (event.type === 'report') {
          report = event.report;
          reportedAfterMs = elapsed();
          armTimer(Math.max(TYPECHECK_LIMIT_MS, this.exerciseLimitMs + KILL_GRACE_MS)); // the verdict is in; diagnostics may follow
        } else if (event.type === 'types') {
          typeErrors = event.errors;
        } else if (event.type === 'done') {
          finish(report ? { report, typeErrors, durationMs: elapsed() } : failure(job.id, 'grading', 'the grading process finished without a report', elapsed()));
        }
      };
      this.exitListener = () => {
        if (report) return finish({ report, typeErrors, durationMs: elapsed() });
        const where = currentTest ? ` during test "${currentTest}"` : '';
        const problem = `the grading process stopped${where} without a verdict (${this.exitDescription}) — does your code call process.exit()?${this.stderrText()}`;
        finish(failure(job.id, currentTest ?? COMPILE_TEST_NAME, problem, elapsed()));
      };
      if (this.exited) return this.exitListener();
      this.child.stdin!.write(`${JSON.stringify(job)}\n`);
    });
  }

  /** Lets the child finish and exit on its own (its stdin ends). */
  close(): void {
    if (!this.exited) this.child.stdin!.end();
  }

  /** Kills the child and everything it started (its whole process group). */
  kill(): void {
    if (this.exited || this.child.pid === undefined) return;
    this.killed = true;
    try {
      process.kill(-this.child.pid, 'SIGKILL');
    } catch {
      this.child.kill('SIGKILL');
    }
  }
}

function failure(id: string, testName: string, problem: string, durationMs: number): WorkerVerdict {
  return { report: { id, passed: false, tests: [{ name: testName, passed: false, message: problem }], durationMs }, problem, typeErrors: [], durationMs };
}
