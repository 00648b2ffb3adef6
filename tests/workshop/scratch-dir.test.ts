/**
 * `scratchDir`: a notebook's stores live as long as its kernel. Each test runs a real child process
 * (`scratch-child.ts`, under `node --import tsx`) with a temporary directory of its own, and looks at that
 * directory after the child has ended.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { removeScratchDirs, scratchDir } from '../../src/workshop/scratch-dir.js';

const REPO_ROOT = resolve(import.meta.dirname, '../..');
const CHILD = join(import.meta.dirname, 'scratch-child.ts');
/** Two `node --import tsx` start-ups on a busy 2-core machine. */
const CHILD_TIMEOUT_MS = 30_000;

/** The `lnlab-*` folders in `tmp` (tsx keeps its compile cache there too, which is not ours). */
const scratchLeft = (tmp: string) => readdirSync(tmp).filter((name) => name.startsWith('lnlab-'));

const childTmpDirs: string[] = [];
afterEach(() => {
  for (const dir of childTmpDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

interface ChildRun {
  /** The child's temporary directory (its TMPDIR). */
  readonly tmp: string;
  /** What the child printed once its folders were made. */
  readonly report: { dirs: string[]; exitListenersAdded: number };
  /** What was in each folder while the child was still running. */
  readonly contentsWhileRunning: string[][];
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/** Runs the child in `mode`; sends it SIGTERM once it has reported (unless it ends on its own). */
async function runChild(mode: 'exit' | 'sigterm' | 'sigterm-default'): Promise<ChildRun> {
  const tmp = mkdtempSync(join(tmpdir(), 'scratch-test-'));
  childTmpDirs.push(tmp);
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, mode], { cwd: REPO_ROOT, env: { ...process.env, TMPDIR: tmp }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const ended = new Promise<[number | null, NodeJS.Signals | null]>((done) => child.on('close', (code, signal) => done([code, signal])));
  let contentsWhileRunning: string[][] = [];
  const reported = new Promise<ChildRun['report']>((done, fail) => {
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const newline = stdout.indexOf('\n');
      if (newline < 0) return;
      const report = JSON.parse(stdout.slice(0, newline)) as ChildRun['report'];
      // Look while the folders are certainly alive: a `sigterm` child waits for the signal.
      if (mode !== 'exit') contentsWhileRunning = report.dirs.map((dir) => readdirSync(dir));
      done(report);
    });
    void ended.then(([code, signal]) => fail(new Error(`the child (${mode}) ended (${code ?? signal}) before reporting:\n${stderr}`)));
  });
  try {
    const report = await reported;
    if (mode !== 'exit') child.kill('SIGTERM');
    const [code, signal] = await ended;
    return { tmp, report, contentsWhileRunning, code, signal };
  } finally {
    child.kill('SIGKILL'); // a no-op once it has ended
  }
}

describe('scratchDir', () => {
  it('makes a fresh lnlab-<label>- folder in the temporary directory each time', () => {
    const a = scratchDir('unit');
    const b = scratchDir('unit');
    try {
      expect(a).not.toEqual(b);
      for (const dir of [a, b]) {
        expect(dir.startsWith(join(tmpdir(), 'lnlab-unit-'))).toBe(true);
        expect(readdirSync(dir)).toEqual([]);
      }
    } finally {
      removeScratchDirs();
    }
    expect([a, b].filter((dir) => existsSync(dir))).toEqual([]);
  });

  it('removeScratchDirs removes every folder made so far, with its contents, and only those', () => {
    const other = mkdtempSync(join(tmpdir(), 'lnlab-not-scratch-'));
    try {
      const dirs = [scratchDir('unit-a'), scratchDir('unit-b')];
      writeFileSync(join(dirs[0]!, 'monitor'), 'bytes');
      rmSync(dirs[1]!, { recursive: true }); // already gone: no error
      removeScratchDirs();
      expect(dirs.filter((dir) => existsSync(dir))).toEqual([]);
      expect(existsSync(other)).toBe(true);
      removeScratchDirs(); // nothing left to remove: no error
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });

  it('removes every folder a process made when it exits, after one exit hook for all of them', async () => {
    const run = await runChild('exit');
    expect(run.code).toBe(0);
    expect(run.report.dirs).toHaveLength(2);
    expect(run.report.exitListenersAdded).toBe(1);
    expect(run.report.dirs.filter((dir) => existsSync(dir))).toEqual([]);
    expect(scratchLeft(run.tmp)).toEqual([]);
  }, CHILD_TIMEOUT_MS);

  it('removes them when a process that exits on SIGTERM, as the workshop kernel does, is sent SIGTERM while running', async () => {
    const run = await runChild('sigterm');
    expect(run.contentsWhileRunning).toEqual([['file-0'], ['file-1']]);
    expect([run.code, run.signal]).toEqual([0, null]);
    expect(run.report.dirs.filter((dir) => existsSync(dir))).toEqual([]);
    expect(scratchLeft(run.tmp)).toEqual([]);
  }, CHILD_TIMEOUT_MS);

  it("cannot remove them when SIGTERM is left to Node's default (why the kernel handles it)", async () => {
    const run = await runChild('sigterm-default');
    expect([run.code, run.signal]).toEqual([null, 'SIGTERM']);
    expect(scratchLeft(run.tmp)).toHaveLength(2);
    // Node's default for SIGTERM ends the process without 'exit' handlers: the folders stay behind.
    expect(run.report.dirs.map((dir) => readFileSync(join(dir, readdirSync(dir)[0]!), 'utf8'))).toEqual(['scratch', 'scratch']);
  }, CHILD_TIMEOUT_MS);
});
