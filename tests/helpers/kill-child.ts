/**
 * The crash harness shared by the crash-safety tests. The child speaks a two-line protocol on stdout:
 * `READY <n>` once it has loaded the state it resumes from, then `COMPLETED <n>` after each update that
 * its storage reported durable. We kill it with SIGKILL at a random moment and hand back what it printed.
 */
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { expect } from 'vitest';

const REPO_ROOT = resolve(import.meta.dirname, '../..');
/** The TypeScript loader children run under (`node --import tsx`). */
const TSX_LOADER = 'tsx';
/** Kill somewhere in the first this-many ms after READY: tens of updates, so kills land in every step of one. */
export const MAX_KILL_DELAY_MS = 40;

export interface KilledRun {
  /** The state the child said it resumed from. */
  readonly ready: number;
  /** The last update it reported Completed (or `ready` if none). */
  readonly lastCompleted: number;
}

/** Runs `script root` until READY, kills it at a random moment, and checks it counted up by one. */
export async function runAndKill(script: string, root: string): Promise<KilledRun> {
  const child = spawn(process.execPath, [...(/\.m?js$/.test(script) ? [] : ['--import', TSX_LOADER]), script, root], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] }); // a prebuilt .js/.mjs child needs no loader
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
  const closed = new Promise<number | null>((done) => child.on('close', (code) => done(code)));
  let readyLine: RegExpExecArray | null;
  try {
    readyLine = await new Promise<void>((done, fail) => {
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        if (stdout.includes('\n')) done();
      });
      void closed.then((code) => fail(new Error(`${script} exited (${code}) before READY:\n${stderr}`)));
    }).then(() => /^READY (\d+)\n/.exec(stdout));
    await new Promise((done) => setTimeout(done, Math.random() * MAX_KILL_DELAY_MS));
  } finally {
    child.kill('SIGKILL'); // the crash under test, and also: never leave a child running if the test fails
  }
  await closed; // 'close' fires after stdout is drained, so every line the child printed is in `stdout`
  expect(readyLine, `first line should be READY <n>, got ${JSON.stringify(stdout)}`).not.toBeNull();
  expect(stderr).toBe('');
  // Only newline-terminated lines count (a pipe write of a short line is atomic, so there is no partial one).
  const completed = [...stdout.matchAll(/^COMPLETED (\d+)\n/gm)].map((m) => Number(m[1]));
  const readyN = Number(readyLine![1]);
  completed.forEach((n, i) => expect(n).toBe(readyN + i + 1)); // the child counts up by one
  return { ready: readyN, lastCompleted: completed.at(-1) ?? readyN };
}

/** What one kill left behind, as the test's `inspect` judged it. */
export interface KillOutcome<Extra> extends KilledRun {
  /** The state found on disk after the kill. */
  readonly onDisk: number;
  readonly extra: Extra;
}

export interface KillRepeatedlyOptions<Extra> {
  readonly script: string;
  /** Independent children side by side, each in its own folder (start-up dominates; two keep two cores busy). */
  readonly lanes: number;
  readonly killsPerLane: number;
  readonly newRoot: () => Promise<string>;
  /** Reads the state after a kill, asserts the test's rule about it, and reports what is on disk. */
  readonly inspect: (root: string, run: KilledRun) => Promise<{ onDisk: number; extra: Extra }>;
}

/**
 * Kills the child `lanes × killsPerLane` times. Each restart must resume from exactly the state the previous
 * inspection found. Rejects with the first lane's failure, after letting the other lanes finish their child.
 */
export async function killRepeatedly<Extra>(options: KillRepeatedlyOptions<Extra>): Promise<KillOutcome<Extra>[]> {
  const lane = async (): Promise<KillOutcome<Extra>[]> => {
    const root = await options.newRoot();
    const outcomes: KillOutcome<Extra>[] = [];
    let onDisk = 0;
    for (let i = 0; i < options.killsPerLane; i++) {
      const run = await runAndKill(options.script, root);
      expect(run.ready).toBe(onDisk); // the next child resumed from exactly what we verified
      const found = await options.inspect(root, run);
      onDisk = found.onDisk;
      outcomes.push({ ...run, onDisk, extra: found.extra });
    }
    return outcomes;
  };
  // allSettled: if one lane fails, let the other finish its current child before temp dirs are removed.
  const settled = await Promise.allSettled(Array.from({ length: options.lanes }, lane));
  const failed = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
  const outcomes = settled.flatMap((r) => (r.status === 'fulfilled' ? r.value : []));
  expect(outcomes.length).toBe(options.lanes * options.killsPerLane);
  return outcomes;
}
