/**
 * Executes a workshop notebook in real Jupyter (nbclient, through Debian's Python) with the
 * `lightning-lab` tslab kernel, against a throwaway regtest node of its own and a temporary LNLAB_HOME —
 * what a learner's Jupyter does, with nothing shared between runs so they can go in parallel.
 */
import { execFile, execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROJECT_ROOT, startThrowawayNode } from '../../src/chain/index.js';
import { serializeNotebook } from '../../src/curriculum/notebook-builder.js';
import type { Notebook } from '../../src/curriculum/notebook-format.js';
import { registerKernel, jupyterPathWith } from '../../src/workshop/setup/kernel.js';

const RUNNER = join(PROJECT_ROOT, 'tests', 'notebooks', 'run_notebook.py');
/** Inside the repository (git-ignored): the kernel resolves `lightning-lab` from the nearest node_modules. */
const RUNS_DIR = join(PROJECT_ROOT, '.lnlab', 'notebook-runs');
/** A whole notebook, kernel start included, must finish within this. */
const RUN_TIMEOUT_MS = 300_000;

/** What one execution produced. */
export interface NotebookRun {
  /** The executed notebook: the cells' metadata as built, with outputs. */
  readonly notebook: Notebook;
  /** Per cell, the kernel's reply status (`ok`, `error`, `abort`), or null for Markdown and cells never run. */
  readonly statuses: readonly (string | null)[];
  /** Set when the run stopped early (timeout, dead kernel). */
  readonly error: string | null;
  readonly seconds: number;
}

/** A Python that can import nbclient: Debian's first (pyenv's `python3` on PATH usually cannot). */
export function nbclientPython(): string {
  for (const candidate of ['/usr/bin/python3', 'python3']) {
    try {
      execFileSync(candidate, ['-c', 'import nbclient, nbformat'], { stdio: 'ignore' });
      return candidate;
    } catch {
      // try the next one
    }
  }
  throw new Error('no Python with nbclient: install Jupyter (`apt-get install jupyter-nbconvert python3-nbclient`), as .ci/run does');
}

/** Runs `notebook` (saved as `<label>/<name>.ipynb`) top to bottom; never rejects for a failing cell. */
export async function executeNotebook(
  name: string,
  label: string,
  notebook: Notebook,
  options: { readonly extraEnv?: (node: { readonly pid: number }) => NodeJS.ProcessEnv } = {},
): Promise<NotebookRun> {
  const started = performance.now();
  const node = await startThrowawayNode();
  const home = mkdtempSync(join(tmpdir(), 'lnlab-nbrun-'));
  mkdirSync(RUNS_DIR, { recursive: true });
  const dir = mkdtempSync(join(RUNS_DIR, `${label}-`));
  try {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      LNLAB_HOME: home,
      LNLAB_RPC_URL: node.config.url,
      LNLAB_RPC_USER: node.config.username,
      LNLAB_RPC_PASSWORD: node.config.password,
      JUPYTER_RUNTIME_DIR: join(home, 'runtime'),
      ...options.extraEnv?.(node),
    };
    registerKernel(env);
    env.JUPYTER_PATH = jupyterPathWith(env);
    const source = join(dir, `${name}.ipynb`);
    const result = join(dir, `${name}.result.json`);
    writeFileSync(source, serializeNotebook(notebook));
    await new Promise<void>((resolve, reject) => {
      execFile(nbclientPython(), [RUNNER, source, result], { env, cwd: dir, timeout: RUN_TIMEOUT_MS, maxBuffer: 16 * 1024 * 1024 }, (err, _stdout, stderr) => {
        if (err) reject(new Error(`${name} (${label}): the runner failed: ${err.message}\n${stderr}`));
        else resolve();
      });
    });
    const parsed = JSON.parse(readFileSync(result, 'utf8')) as Omit<NotebookRun, 'seconds'>;
    return { ...parsed, seconds: Math.round((performance.now() - started) / 100) / 10 };
  } finally {
    await node.stop();
    rmSync(dir, { recursive: true, force: true });
    rmSync(home, { recursive: true, force: true });
  }
}

/** Runs `jobs` with at most `limit` at a time; each promise settles as its own job does. */
export function limitConcurrency<T>(jobs: readonly (() => Promise<T>)[], limit: number): Promise<T>[] {
  let active = 0;
  const waiting: (() => void)[] = [];
  const slot = () => new Promise<void>((resolve) => (active < limit ? (active++, resolve()) : waiting.push(() => (active++, resolve()))));
  const release = () => {
    active--;
    waiting.shift()?.();
  };
  return jobs.map(async (job) => {
    await slot();
    try {
      return await job();
    } finally {
      release();
    }
  });
}
