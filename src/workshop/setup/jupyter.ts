/**
 * Finding and running Jupyter for the workshop: JupyterLab when installed, else the classic Notebook
 * (Debian's `jupyter-notebook` 6.4 and pip's JupyterLab 4 both work). The server runs on loopback, on a
 * port lnlab chose (`--port-retries=0`, so the URL lnlab prints is the one Jupyter serves), in a process
 * group of its own so that lnlab alone decides when it stops, and with the project's Jupyter folder on
 * `JUPYTER_PATH` so the `lightning-lab` kernel is found without touching the learner's Jupyter set-up.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, statSync, writeSync } from 'node:fs';
import { basename, join } from 'node:path';
import { WorkshopError } from '../../errors.js';
import { jupyterPathWith } from './kernel.js';
import { findExecutable, isExecutableFile, jupyterDataDir, NOTEBOOKS_DIR, realFolder, venvDir } from './paths.js';
import { JUPYTER_HOST } from './ports.js';
import { descendants, endProcesses, processId, type ProcessId } from './processes.js';

/** Jupyter Notebook 6 takes 1–3 s to answer, JupyterLab 4 a little more; a cold disk can be slow. */
const READY_TIMEOUT_MS = 60_000;
const READY_POLL_MS = 100;

export type JupyterFlavour = 'lab' | 'notebook';

export interface JupyterInstall {
  readonly flavour: JupyterFlavour;
  /** `jupyter-lab` or `jupyter-notebook`: what `jupyter lab` / `jupyter notebook` would run. */
  readonly executable: string;
}

/** The learner-facing name of a flavour. */
export function flavourName(flavour: JupyterFlavour): string {
  return flavour === 'lab' ? 'JupyterLab' : 'Jupyter Notebook';
}

/**
 * The Jupyter to run: JupyterLab from lnlab's own virtualenv, then JupyterLab on `env.PATH` (or next to
 * the `jupyter` command), then the Notebook on `env.PATH`. `undefined` when there is none.
 */
export function findJupyter(env: NodeJS.ProcessEnv = process.env): JupyterInstall | undefined {
  const venvLab = join(venvDir(env), 'bin', 'jupyter-lab');
  if (isExecutableFile(venvLab)) return { flavour: 'lab', executable: venvLab };
  const jupyterFolder = (() => {
    const jupyter = findExecutable('jupyter', env);
    return jupyter ? realFolder(jupyter) : undefined;
  })();
  const sibling = (name: string) => (jupyterFolder && isExecutableFile(join(jupyterFolder, name)) ? join(jupyterFolder, name) : undefined);
  const lab = findExecutable('jupyter-lab', env) ?? sibling('jupyter-lab');
  if (lab) return { flavour: 'lab', executable: lab };
  const notebook = findExecutable('jupyter-notebook', env) ?? sibling('jupyter-notebook');
  if (notebook) return { flavour: 'notebook', executable: notebook };
  return undefined;
}

/** The notebook to open first: `00-*.ipynb` if there is one, else the first notebook by name. */
export function firstNotebook(dir = NOTEBOOKS_DIR): string | undefined {
  const notebooks = existsSync(dir) ? readdirSync(dir).filter((name) => name.endsWith('.ipynb')).sort() : [];
  return notebooks.find((name) => name.startsWith('00-')) ?? notebooks[0];
}

/** The URL a browser opens: the notebook itself when there is one, logged in with the token. */
export function jupyterUrl(flavour: JupyterFlavour, port: number, token: string, notebook?: string): string {
  const base = `http://${JUPYTER_HOST}:${port}`;
  const page = flavour === 'lab' ? (notebook ? `lab/tree/${encodeURIComponent(notebook)}` : 'lab') : notebook ? `notebooks/${encodeURIComponent(notebook)}` : 'tree';
  return `${base}/${page}?token=${token}`;
}

export class JupyterStartError extends WorkshopError {
  constructor(message: string, fix: string) {
    super('JUPYTER_START_FAILED', message, fix);
  }
}

export interface JupyterOptions {
  readonly install: JupyterInstall;
  readonly port: number;
  /** Let Jupyter open the learner's browser on the first notebook. */
  readonly openBrowser: boolean;
  /** The environment for Jupyter and its kernels (RPC settings included). */
  readonly env?: NodeJS.ProcessEnv;
  readonly notebooksDir?: string;
}

/** A running Jupyter server started by `launchJupyter`. */
export interface JupyterServer {
  readonly pid: number;
  readonly flavour: JupyterFlavour;
  readonly port: number;
  readonly token: string;
  /** `http://127.0.0.1:<port>`, for API calls. */
  readonly baseUrl: string;
  /** The URL to give the learner (first notebook, with token). */
  readonly url: string;
  /** Jupyter's own log (its stdout and stderr), appended to by every run. */
  readonly logFile: string;
  /** Where this run's part of `logFile` begins (its size before this run). */
  readonly logOffset: number;
  /** Settles when the server process exits, with its exit code (null after a signal). */
  readonly exited: Promise<number | null>;
  /**
   * Stops the server and every process it started (kernels included), SIGTERM first so Jupyter shuts
   * its kernels down cleanly. Resolves with the processes still running afterwards: should be none.
   */
  stop(): Promise<ProcessId[]>;
}

/** How much of a log to show after a failure: enough for a Python traceback, short enough to read. */
const LOG_TAIL_CHARS = 1_500;

/** The end of a log from byte `fromOffset` on (this run's part), to show when something failed. */
export function logTail(file: string, chars = LOG_TAIL_CHARS, fromOffset = 0): string {
  try {
    return readFileSync(file).subarray(fromOffset).toString('utf8').slice(-chars).trim();
  } catch {
    return '';
  }
}

function fileSize(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}

async function answers(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
    return response.ok;
  } catch {
    return false;
  }
}

/** Starts Jupyter and resolves once it answers HTTP; rejects with the log's tail if it cannot start. */
export async function launchJupyter(options: JupyterOptions): Promise<JupyterServer> {
  const env = options.env ?? process.env;
  const notebooksDir = options.notebooksDir ?? NOTEBOOKS_DIR;
  const token = randomBytes(24).toString('hex');
  mkdirSync(jupyterDataDir(env), { recursive: true });
  mkdirSync(notebooksDir, { recursive: true });
  const logFile = join(jupyterDataDir(env), 'server.log');
  const notebook = firstNotebook(notebooksDir);

  const args = [
    '--no-browser',
    `--ip=${JUPYTER_HOST}`,
    `--port=${options.port}`,
    // Fail rather than drift to another port: the URL lnlab prints must be the one Jupyter serves.
    '--port-retries=0',
    `--notebook-dir=${notebooksDir}`,
  ];
  if (options.openBrowser) args.shift();
  // Containers and CI often run as root, which Jupyter refuses unless told it is deliberate.
  if (process.getuid?.() === 0) args.push('--allow-root');
  // Given a file, both Notebook 6 and JupyterLab 4 open it in the browser (`file_to_run`).
  if (notebook) args.push(join(notebooksDir, notebook));

  // Appended, never emptied: an earlier run's log (perhaps the one that explains a problem) is kept.
  // The tail shown after a failure starts at this run's header.
  const logOffset = fileSize(logFile);
  const out = openSync(logFile, 'a');
  writeSync(out, `${logOffset > 0 ? '\n' : ''}===== lnlab start (pid ${process.pid}) ${new Date().toISOString()}: ${flavourName(options.install.flavour)} on port ${options.port} =====\n`);
  const child = spawn(options.install.executable, args, {
    cwd: notebooksDir,
    // Its own process group: a Ctrl-C in the terminal reaches lnlab only (Jupyter would otherwise ask
    // "Shutdown this notebook server (y/[n])?"), and lnlab can signal Jupyter and its helpers at once.
    detached: true,
    // No terminal on stdin, so Jupyter never waits for keyboard input.
    stdio: ['ignore', out, out],
    env: {
      ...env,
      JUPYTER_PATH: jupyterPathWith(env),
      // Connection files of this server's kernels stay in the workshop folder, not the learner's own.
      JUPYTER_RUNTIME_DIR: join(jupyterDataDir(env), 'runtime'),
      // Both Notebook 6 and jupyter_server take the token from here, so lnlab knows the URL up front.
      JUPYTER_TOKEN: token,
      PYTHONUNBUFFERED: '1',
    },
  });
  closeSync(out);
  let spawnError: Error | undefined;
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => resolve(code));
    child.once('error', (err) => {
      spawnError = err;
      resolve(-1);
    });
  });
  let hasExited = false;
  void exited.then(() => (hasExited = true));

  const baseUrl = `http://${JUPYTER_HOST}:${options.port}`;
  const pid = child.pid;
  const server: JupyterServer = {
    pid: pid ?? -1,
    flavour: options.install.flavour,
    port: options.port,
    token,
    baseUrl,
    url: jupyterUrl(options.install.flavour, options.port, token, notebook),
    logFile,
    logOffset,
    exited,
    async stop() {
      if (pid === undefined) return [];
      const self = processId(pid);
      // Noted before signalling: once Jupyter is gone, its kernels are re-parented and untraceable.
      const family = [...(self ? [self] : []), ...descendants(pid)];
      const left = await endProcesses(family, pid);
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 1_000))]);
      return left;
    },
  };

  const deadline = Date.now() + READY_TIMEOUT_MS;
  const failure = (what: string) =>
    new JupyterStartError(
      `${flavourName(options.install.flavour)} (${basename(options.install.executable)}) ${what}` +
        (spawnError ? `: ${spawnError.message}` : `. Its log, ${logFile}, ends with:\n${logTail(logFile, LOG_TAIL_CHARS, logOffset)}`),
      'run `npx lnlab doctor` to check the set-up, or try another port with `npm start -- --port <number>`',
    );
  for (;;) {
    if (pid === undefined) await exited; // could not even be started: `spawnError` says why
    if (hasExited || pid === undefined) throw failure('stopped before it answered');
    // With our token: a 200 comes from this server, not from whatever else may hold the port.
    if (await answers(`${baseUrl}/api/kernelspecs?token=${token}`)) return server;
    if (Date.now() > deadline) {
      await server.stop();
      throw failure(`did not answer on ${baseUrl} within ${READY_TIMEOUT_MS / 1000} s`);
    }
    await new Promise((resolve) => setTimeout(resolve, READY_POLL_MS));
  }
}

/** The kernel names the running server offers (`GET /api/kernelspecs`). */
export async function listKernelSpecs(server: Pick<JupyterServer, 'baseUrl' | 'token'>): Promise<string[]> {
  const response = await fetch(`${server.baseUrl}/api/kernelspecs?token=${server.token}`, { signal: AbortSignal.timeout(5_000) });
  if (!response.ok) return [];
  const body = (await response.json()) as { kernelspecs?: Record<string, unknown> };
  return Object.keys(body.kernelspecs ?? {});
}
