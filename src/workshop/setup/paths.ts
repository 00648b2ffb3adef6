/**
 * Where the workshop keeps its local state, and how lnlab finds programs. Everything lnlab writes lives
 * under one folder (`$LNLAB_HOME`, default `<repo>/.lnlab`, git-ignored) so a learner's global set-up —
 * their Jupyter kernels, config, Python — is never touched.
 */
import { lnlabHome } from '../../util/paths.js';
import { accessSync, constants, realpathSync, statSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { PROJECT_ROOT } from '../../chain/regtest/launcher.js';

export { lnlabHome };

/** The project-local Jupyter data folder; `JUPYTER_PATH` points here so Jupyter finds our kernel. */
export function jupyterDataDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(lnlabHome(env), 'jupyter');
}

/** Where JupyterLab goes when lnlab installs it for the learner (`lnlab start` offers to). */
export function venvDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(lnlabHome(env), 'venv');
}

/** The workshop's notebooks, the folder Jupyter opens on. */
export const NOTEBOOKS_DIR = join(PROJECT_ROOT, 'notebooks');

/**
 * The absolute path of an executable called `name` in the folders of `env.PATH`, or `undefined`.
 * Reads `env.PATH` (not the PATH lnlab itself was started with) so checks can be run against another
 * PATH, as `lnlab doctor`'s tests do.
 */
export function findExecutable(name: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  for (const folder of (env.PATH ?? '').split(delimiter)) {
    if (!folder) continue;
    const candidate = join(folder, name);
    if (isExecutableFile(candidate)) return candidate;
  }
  return undefined;
}

/** Whether `path` is a file this process may execute. */
export function isExecutableFile(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The folder holding the real file behind `path` (following symlinks), or `undefined` if it is gone. */
export function realFolder(path: string): string | undefined {
  try {
    return dirname(realpathSync(path));
  } catch {
    return undefined;
  }
}
