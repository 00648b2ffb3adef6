/**
 * Runs the real `lnlab` command for the grader's tests: to completion (`lnlab`), or kept running with
 * its output readable as it comes (`startLnlab`, for `--watch`). Every run gets its own LNLAB_HOME.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../src/internal.js';

export interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Grading a class on a loaded 2-core machine takes a while; never longer than this. */
const RUN_LIMIT_MS = 240_000;

function spawnLnlab(args: string[], home: string): ChildProcess {
  return spawn(process.execPath, [join(PROJECT_ROOT, 'bin', 'lnlab.js'), ...args], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, LNLAB_HOME: home },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

export function lnlab(args: string[], home: string): Promise<CliRun> {
  return new Promise((resolve) => {
    const child = spawnLnlab(args, home);
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (chunk) => (stdout += chunk));
    child.stderr!.on('data', (chunk) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), RUN_LIMIT_MS);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** A running `lnlab`: read its output so far, wait for a pattern, stop it with a signal. */
export class RunningLnlab {
  stdout = '';
  stderr = '';
  readonly exited: Promise<number | null>;
  private readonly child: ChildProcess;

  constructor(args: string[], home: string) {
    this.child = spawnLnlab(args, home);
    this.child.stdout!.on('data', (chunk) => (this.stdout += chunk));
    this.child.stderr!.on('data', (chunk) => (this.stderr += chunk));
    this.exited = new Promise((resolve) => this.child.on('close', (code) => resolve(code)));
  }

  /** Resolves once stdout after `from` matches `pattern`; rejects after `timeoutMs` with what was printed. */
  async waitFor(pattern: RegExp, from = 0, timeoutMs = 120_000): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const match = pattern.exec(this.stdout.slice(from));
      if (match) return from + match.index + match[0].length;
      if (Date.now() > deadline) throw new Error(`no ${pattern} within ${timeoutMs} ms; stdout:\n${this.stdout}\nstderr:\n${this.stderr}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  signal(name: NodeJS.Signals): void {
    this.child.kill(name);
  }
}

/** The scoreboard block of exercise `id`: its ✅/❌ line and the indented lines under it. */
export function blockOf(scoreboard: string, id: string): string {
  const lines = scoreboard.split('\n');
  const start = lines.findIndex((l) => new RegExp(`^(✅|❌) ${id} `).test(l));
  if (start < 0) return '';
  const end = lines.findIndex((l, i) => i > start && !l.startsWith('     '));
  return lines.slice(start, end < 0 ? undefined : end).join('\n');
}

/** The `--json` lines of a run, parsed (a line that is not JSON fails the test that reads it). */
export function jsonResults(stdout: string): Array<{
  id: string; notebook: string; passed: boolean; duration_ms: number; problem?: string; type_errors?: string[];
  tests: Array<{ name: string; passed: boolean; message?: string; hint?: string }>;
}> {
  return stdout.split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l));
}
