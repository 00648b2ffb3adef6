/**
 * When Jupyter is missing: say exactly how to install it, and — where pip can reach its package index —
 * offer to install JupyterLab into a virtualenv inside the workshop folder (`.lnlab/venv`), which touches
 * nothing outside the repository. The offer is a question, so it is only made to a person at a terminal:
 * in CI or any script lnlab never waits for an answer.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createInterface } from 'node:readline/promises';
import { join } from 'node:path';
import { findExecutable, venvDir } from './paths.js';

/** The ways to install Jupyter when nothing on this machine says which fits: one command each. */
export const INSTALL_JUPYTER_COMMANDS: readonly string[] = [
  'pipx install jupyterlab            # or: pip install jupyterlab',
  'sudo apt-get install jupyter-notebook   # Debian/Ubuntu',
  'conda install -c conda-forge jupyterlab',
];

/**
 * Debian's Jupyter: the three packages the workshop uses (the notebook server, and nbconvert and
 * nbclient for running notebooks from the command line), as the README lists them.
 */
const APT_PACKAGES = 'jupyter-notebook jupyter-nbconvert python3-nbclient';

/**
 * The commands that install Jupyter on this machine, best first, judged by the installers found on
 * `env.PATH`: apt-get (Debian/Ubuntu), Homebrew, pipx, conda, else pip. The generic list when none
 * is found. `asRoot` drops the `sudo` a root shell does not need.
 */
export function jupyterInstallCommands(env: NodeJS.ProcessEnv = process.env, asRoot = process.getuid?.() === 0): readonly string[] {
  const has = (name: string) => findExecutable(name, env) !== undefined;
  const commands: string[] = [];
  if (has('apt-get')) commands.push(`${asRoot ? '' : 'sudo '}apt-get install ${APT_PACKAGES}   # Debian/Ubuntu packages`);
  if (has('brew')) commands.push('brew install jupyterlab');
  if (has('pipx')) commands.push('pipx install jupyterlab');
  if (has('conda')) commands.push('conda install -c conda-forge jupyterlab');
  // Debian and Ubuntu refuse `pip install` outside a virtualenv (PEP 668): pip only where apt is not.
  const py = python(env);
  if (commands.length === 0 && py) commands.push(`${py.endsWith('python') ? 'python' : 'python3'} -m pip install --user jupyterlab`);
  return commands.length > 0 ? commands : INSTALL_JUPYTER_COMMANDS;
}

/** The message for a machine without Jupyter: what is missing and the commands that fix it here. */
export function missingJupyterHelp(env: NodeJS.ProcessEnv = process.env): string {
  const commands = jupyterInstallCommands(env);
  return [
    'Jupyter is not installed: neither `jupyter-lab` nor `jupyter-notebook` is on your PATH.',
    `Install it with ${commands.length > 1 ? 'one of these' : 'this'}, then run \`npm start\` again:`,
    ...commands.map((command) => `    ${command}`),
  ].join('\n');
}

/** pip's own network timeout for the reachability check: an offline machine fails at once anyway. */
const PIP_CHECK_TIMEOUT_S = 3;
/** The whole check, including Python's start-up, must not hold the learner up longer than this. */
const PIP_CHECK_DEADLINE_MS = 10_000;

/** A Python 3 with pip and venv on `env.PATH`, or `undefined`. */
function python(env: NodeJS.ProcessEnv): string | undefined {
  return findExecutable('python3', env) ?? findExecutable('python', env);
}

/** Whether `python -m pip` can see JupyterLab on its configured index (PyPI, a mirror, wheels…). */
export function pipCanReachIndex(env: NodeJS.ProcessEnv = process.env): boolean {
  const py = python(env);
  if (!py) return false;
  const check = spawnSync(
    py,
    ['-m', 'pip', 'index', 'versions', 'jupyterlab', '--timeout', String(PIP_CHECK_TIMEOUT_S), '--retries', '0', '--disable-pip-version-check'],
    { env, stdio: 'ignore', timeout: PIP_CHECK_DEADLINE_MS },
  );
  return check.status === 0;
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<boolean> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { env, stdio: 'inherit' });
    child.once('error', () => resolve(false));
    child.once('exit', (code) => resolve(code === 0));
  });
}

/**
 * Asks (at a terminal only) whether to install JupyterLab into `.lnlab/venv`, and does so if the
 * answer is yes. Resolves with whether JupyterLab is now installed there. Never asks when stdin or
 * stdout is not a terminal, or when pip cannot reach its index (the install would only fail).
 */
export async function offerVenvInstall(
  env: NodeJS.ProcessEnv = process.env,
  log: (line: string) => void = console.log,
): Promise<boolean> {
  if (!process.stdin.isTTY || !process.stdout.isTTY) return false;
  const py = python(env);
  if (!py || !pipCanReachIndex(env)) return false;
  const target = venvDir(env);
  const prompt = createInterface({ input: process.stdin, output: process.stdout });
  const answer = (await prompt.question(`Install JupyterLab just for this workshop, into ${target}? [Y/n] `)).trim().toLowerCase();
  prompt.close();
  if (answer !== '' && answer !== 'y' && answer !== 'yes') return false;
  log(`ℹ️  creating a virtualenv in ${target}…`);
  if (!(await run(py, ['-m', 'venv', target], env))) {
    log(`❌ could not create a virtualenv with ${py}; on Debian/Ubuntu install it with \`sudo apt-get install python3-venv\``);
    return false;
  }
  log('ℹ️  installing JupyterLab (a minute or two)…');
  return run(join(target, 'bin', 'python'), ['-m', 'pip', 'install', '--disable-pip-version-check', 'jupyterlab'], env);
}
