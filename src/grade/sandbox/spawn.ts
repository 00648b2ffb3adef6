/**
 * The parent's side of a sandboxed grading child (`child-main.ts`): starts it — ahead of time, so a check
 * waits for its verdict, not for a process — hands it one job, and turns whatever happens (results, an
 * endless loop, a crash, a `process.exit`, silence) into a verdict that the parent derives itself: a check
 * passes only on its own `result` event, in order, from a child that finished and exited cleanly.
 *
 * The child runs under Node's permission model: it may read its bundle and its job folder (its TMPDIR), write
 * only that folder, start no process, no worker, no inspector. `ulimit -t` caps its CPU time, so even an
 * orphaned endless loop dies; closing its stdin ends an idle one.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { RpcConfig } from '../../chain/config.js';
import type { TestOutcome } from '../../curriculum/check/types.js';
import { COMPILE_TEST_NAME } from '../protocol.js';
import { ensureChildBundle, freshChildBundle } from './bundle.js';
import { EVENT_FD, parseEventLine, type SandboxEvent, type SandboxHello, type SandboxJob } from './protocol.js';

/** CPU seconds a child may use in all: far above any honest exercise, low enough to end a runaway. */
const CHILD_CPU_SECONDS = 300;
/** A child's heap limit, in MB: an exercise that allocates without end fails instead of swapping. */
const CHILD_HEAP_MB = 768;
/** How long a child may take to load its bundle before it counts as broken (a loaded machine is slow). */
export const STARTUP_LIMIT_MS = 60_000;
/** The parent waits this much beyond a check's own time limit before killing a child that went silent. */
const KILL_GRACE_MS = 2_000;
/** After `done`, how long the child has to exit (it exits 50 ms after, unless an escaped error stops it). */
const EXIT_GRACE_MS = 3_000;
/** Learner output kept per job, in characters (a cell that prints in a loop must not fill the parent's memory). */
const OUTPUT_LIMIT = 20_000;

/** What grading one exercise in a child came to. */
export interface SandboxVerdict {
  readonly id: string;
  /** Derived here: every expected check reported passed, in order, and the child ended cleanly. */
  readonly passed: boolean;
  /** One outcome per expected check (a check the child never reported is a failure saying why). */
  readonly tests: readonly TestOutcome[];
  /** What went wrong around the checks (time-out, crash, early exit), worst first. */
  readonly problems: readonly string[];
  /** Grading stopped before every check had run. */
  readonly stopped: boolean;
  /** What the learner's code printed, as it printed it. */
  readonly output: string;
  readonly durationMs: number;
}

/** One exercise to grade in a child: its id, the compiled cell, the checks the parent expects, and its chain. */
export interface SandboxRequest {
  readonly id: string;
  readonly code: string;
  readonly sourceMap: string;
  readonly expectedTests: readonly string[];
  readonly chain?: RpcConfig;
}

const live = new Set<SandboxChild>();
process.once('exit', () => {
  // The children's own 'exit' events never come once this process is exiting: clean up here.
  for (const child of live) child.kill();
});

/** Job folders are `lnlab-grade-<pid of the grader>-<random>`: the pid says whose they are. */
const JOB_DIR_PREFIX = 'lnlab-grade-';

/**
 * Removes job folders whose grader is gone (killed with SIGKILL, say, before it could clean up); children
 * also remove their own as they end. Called whenever a child is started, and by tests that kill graders.
 */
export function sweepOrphanJobDirs(dir = tmpdir()): void {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    const match = /^lnlab-grade-(\d+)-/.exec(name);
    if (!match) continue;
    const pid = Number(match[1]);
    let alive = true;
    try {
      process.kill(pid, 0);
    } catch (err) {
      alive = (err as NodeJS.ErrnoException).code === 'EPERM';
    }
    if (!alive) rmSync(join(dir, name), { recursive: true, force: true });
  }
}

let swept = false;

/** Kills every grading child of this process (the grader is stopping). */
export function killAllSandboxChildren(): void {
  for (const child of live) child.kill();
}

/** Node's flags for a child whose files are `bundle` (read) and `jobDir` (read and write). */
export function childNodeArguments(bundle: string, jobDir: string): string[] {
  return [
    '--experimental-permission',
    `--allow-fs-read=${bundle}`,
    `--allow-fs-read=${jobDir}`,
    `--allow-fs-write=${jobDir}`,
    '--frozen-intrinsics',
    '--disallow-code-generation-from-strings',
    '--disable-warning=ExperimentalWarning',
    `--max-old-space-size=${CHILD_HEAP_MB}`,
    bundle,
  ];
}

/** One sandboxed child; grades exactly one job, then is gone. */
export class SandboxChild {
  readonly ready: Promise<void>;
  private child: ChildProcess | undefined;
  private readonly nonce = randomBytes(16).toString('hex');
  private readonly jobDir = mkdtempSync(join(tmpdir(), `${JOB_DIR_PREFIX}${process.pid}-`));
  private output = '';
  private listener: ((event: SandboxEvent) => void) | undefined;
  private exitListener: ((description: string) => void) | undefined;
  private exitDescription: string | undefined;
  private used = false;
  private closed = false;

  constructor(private readonly testTimeoutMs: number) {
    if (!swept) {
      swept = true;
      sweepOrphanJobDirs();
    }
    live.add(this);
    this.ready = this.start();
    this.ready.catch(() => undefined); // a caller sees it through run()
  }

  private async start(): Promise<void> {
    // A fresh bundle starts the child before the constructor returns: whatever the caller does next (compiling
    // the cell, loading its checks) then overlaps the child's start instead of delaying it.
    let bundle = freshChildBundle();
    try {
      bundle ??= await ensureChildBundle();
    } catch (err) {
      this.exitDescription = 'never started';
      live.delete(this);
      rmSync(this.jobDir, { recursive: true, force: true });
      throw new Error(`the grader could not be built: ${(err as Error).message.split('\n')[0]}`);
    }
    const node = ['exec', JSON.stringify(process.execPath), ...childNodeArguments(bundle, this.jobDir).map((a) => JSON.stringify(a))].join(' ');
    const child = spawn('/bin/sh', ['-c', `ulimit -t ${CHILD_CPU_SECONDS}; ${node}`], {
      cwd: this.jobDir,
      env: { PATH: process.env.PATH ?? '', TMPDIR: this.jobDir, HOME: this.jobDir, NODE_OPTIONS: '' },
      detached: true, // its own process group: a time-out kills it and anything it might start
      stdio: ['pipe', 'pipe', 'pipe', 'pipe'],
    });
    this.child = child;
    const hello: SandboxHello = { nonce: this.nonce, testTimeoutMs: this.testTimeoutMs };
    child.stdin!.on('error', () => undefined);
    child.stdin!.write(`${JSON.stringify(hello)}\n`);
    if (this.closed && !this.used) child.stdin!.end();
    const keep = (chunk: Buffer) => {
      if (this.output.length < OUTPUT_LIMIT) this.output += chunk.toString('utf8').slice(0, OUTPUT_LIMIT - this.output.length);
    };
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
    createInterface({ input: child.stdio[EVENT_FD] as NodeJS.ReadableStream, crlfDelay: Infinity }).on('line', (line) => {
      const event = parseEventLine(line, this.nonce);
      if (event) this.listener?.(event);
    });
    child.on('exit', (code, signal) => {
      this.exitDescription = signal ? `killed by ${signal}` : `exit code ${code}`;
      live.delete(this);
      rmSync(this.jobDir, { recursive: true, force: true });
      this.exitListener?.(this.exitDescription);
    });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.kill();
        reject(new Error(`the grading process did not start within ${STARTUP_LIMIT_MS / 1000} s`));
      }, STARTUP_LIMIT_MS);
      this.listener = (event) => {
        if (event.type !== 'ready') return;
        clearTimeout(timer);
        resolve();
      };
      this.exitListener = (description) => {
        clearTimeout(timer);
        reject(new Error(`the grading process stopped before it was ready (${description}): ${this.output.trim().split('\n').slice(-3).join(' | ')}`));
      };
    });
  }

  get alive(): boolean {
    return this.exitDescription === undefined;
  }

  /** Grades one exercise. Never rejects: every way a child can fail becomes a failed verdict. */
  async run(request: SandboxRequest): Promise<SandboxVerdict> {
    if (this.used) throw new Error('a grading child grades one job; start another');
    this.used = true;
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    const results = new Map<number, TestOutcome>();
    let current: { index: number; name: string } | undefined;
    let compileFailure: string | undefined;
    let done = false;
    const problems: string[] = [];

    try {
      await this.ready;
    } catch (err) {
      return this.verdict(request, results, undefined, [(err as Error).message], elapsed(), true);
    }
    return new Promise<SandboxVerdict>((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      const finish = (stopped: boolean) => {
        clearTimeout(timer);
        this.listener = undefined;
        this.exitListener = undefined;
        this.kill();
        resolve(this.verdict(request, results, compileFailure, problems, elapsed(), stopped));
      };
      const arm = (ms: number, onTimeout: () => void) => {
        clearTimeout(timer);
        timer = setTimeout(onTimeout, ms);
      };
      const timedOut = () => {
        const where = current ? ` in check "${current.name}"` : ' while loading your cell';
        problems.push(`timed out after ${this.testTimeoutMs / 1000} s${where} — is there an endless loop (e.g. \`while (true)\`) or a promise that never settles?`);
        finish(true);
      };
      this.listener = (event) => {
        if ('id' in event && event.id !== request.id) return;
        if (event.type === 'start') arm(this.testTimeoutMs + KILL_GRACE_MS, timedOut);
        else if (event.type === 'compile-failed') compileFailure = event.message;
        else if (event.type === 'test') {
          current = { index: event.index, name: event.name };
          arm(this.testTimeoutMs + KILL_GRACE_MS, timedOut);
        } else if (event.type === 'result') results.set(event.index, event.outcome);
        else if (event.type === 'done') {
          done = true;
          arm(EXIT_GRACE_MS, () => finish(false));
        }
      };
      this.exitListener = (description) => {
        if (!done) {
          const where = current ? ` during check "${current.name}"` : '';
          problems.push(`the grading process stopped${where} before it finished (${description}) — does your code call process.exit(), or let an error escape?${this.tail()}`);
        } else if (description !== 'exit code 0') {
          problems.push(`an error escaped your code after the checks ran (${description}) — a promise your function did not await?${this.tail()}`);
        }
        finish(!done);
      };
      if (!this.alive) return this.exitListener(this.exitDescription!);
      arm(this.testTimeoutMs + KILL_GRACE_MS, timedOut);
      const job: SandboxJob = { id: request.id, code: request.code, sourceMap: request.sourceMap, chain: request.chain, seed: randomBytes(16).toString('hex') };
      this.child!.stdin!.write(`${JSON.stringify(job)}\n`);
    });
  }

  /** The last lines the child printed, for a crash report. */
  private tail(): string {
    const lines = this.output.trim().split('\n').filter(Boolean).slice(-3);
    return lines.length > 0 ? `: ${lines.join(' | ')}` : '';
  }

  /** The parent's own verdict: each expected check must have its passing result; nothing else counts. */
  private verdict(
    request: SandboxRequest,
    results: ReadonlyMap<number, TestOutcome>,
    compileFailure: string | undefined,
    problems: readonly string[],
    durationMs: number,
    stopped: boolean,
  ): SandboxVerdict {
    const base = { id: request.id, output: this.output, durationMs };
    if (compileFailure !== undefined) {
      return { ...base, passed: false, stopped: false, problems, tests: [{ name: COMPILE_TEST_NAME, passed: false, message: compileFailure }] };
    }
    const tests = request.expectedTests.map((name, index): TestOutcome => {
      const result = results.get(index);
      if (result && result.name === name) return result;
      if (result) return { name, passed: false, message: `the grading process reported "${result.name}" where this check belongs` };
      return { name, passed: false, message: problems[0] ?? 'this check did not run' };
    });
    const passed = problems.length === 0 && !stopped && tests.length > 0 && tests.every((t) => t.passed === true);
    return { ...base, passed, stopped, problems, tests };
  }

  /** Closes an idle child's stdin: it exits on its own. */
  close(): void {
    // Closed before it was spawned (the cell did not compile while the bundle was still being checked):
    // remember it, so `start` ends the new child's input at once instead of leaving it waiting for a job.
    this.closed = true;
    if (this.alive && !this.used) this.child?.stdin?.end();
  }

  /** Kills the child and its process group, and removes its job folder. */
  kill(): void {
    const pid = this.child?.pid;
    if (this.alive && pid !== undefined) {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        this.child?.kill('SIGKILL');
      }
    }
    rmSync(this.jobDir, { recursive: true, force: true });
  }
}
