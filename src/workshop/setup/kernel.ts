/**
 * The workshop's Jupyter kernel: tslab (TypeScript) with tsx loaded, so a notebook cell can
 * `import { BitcoindClient } from 'lightning-lab'` and run the repository's TypeScript source directly.
 *
 * lnlab writes the kernelspec itself instead of running `tslab install`: that needs a Python with
 * `jupyter_client`, and the `python3` first on a learner's PATH (pyenv, conda…) often is not the one their
 * Jupyter runs on. The file is what `tslab install --prefix` writes, plus an `env`. It goes into the
 * project-local Jupyter folder (`jupyterDataDir()`), never into the learner's own Jupyter set-up.
 */
import { existsSync, lstatSync, mkdirSync, readFileSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { rpcConfigFromEnv } from '../../chain/config.js';
import { PROJECT_ROOT } from '../../chain/regtest/launcher.js';
import { jupyterDataDir } from './paths.js';

/** The kernel's name; notebooks say `"kernelspec": {"name": "lightning-lab", …}`. */
export const KERNEL_NAME = 'lightning-lab';
export const KERNEL_DISPLAY_NAME = 'TypeScript (Lightning Lab)';

/** tslab's launcher script (the workshop kernel starts tslab itself, through `KERNEL_SCRIPT`). */
export const TSLAB_SCRIPT = join(PROJECT_ROOT, 'node_modules', 'tslab', 'bin', 'tslab');
/** The workshop kernel: tslab with cell recording and friendlier errors (`src/kernel/kernel-main.ts`). */
export const KERNEL_SCRIPT = join(PROJECT_ROOT, 'src', 'kernel', 'kernel-main.ts');
/** tsx's loader: with it, `import … from 'lightning-lab'` loads `src/index.ts` without a build step. */
export const TSX_LOADER = join(PROJECT_ROOT, 'node_modules', 'tsx', 'dist', 'loader.mjs');
/** `node_modules/lightning-lab`, the package's link to itself (made by `scripts/link-self.js`). */
export const SELF_LINK = join(PROJECT_ROOT, 'node_modules', 'lightning-lab');
/** What the self-link points at: the package that holds the `node_modules` folder. */
const SELF_LINK_TARGET = '..';

/** A Jupyter kernelspec (`kernel.json`), as Jupyter reads it. */
export interface KernelSpec {
  readonly argv: readonly string[];
  readonly display_name: string;
  readonly language: string;
  readonly env: Readonly<Record<string, string>>;
}

/** `<jupyter data dir>/kernels/lightning-lab/kernel.json`. */
export function kernelSpecFile(env: NodeJS.ProcessEnv = process.env): string {
  return join(jupyterDataDir(env), 'kernels', KERNEL_NAME, 'kernel.json');
}

/**
 * The kernelspec for this checkout and this Node: absolute paths (Jupyter starts kernels with its own
 * PATH and cwd), and the RPC settings of `env` so notebook code reaches the same node lnlab uses.
 */
export function kernelSpec(env: NodeJS.ProcessEnv = process.env, nodePath = process.execPath): KernelSpec {
  const rpc = rpcConfigFromEnv(env);
  const kernelEnv: Record<string, string> = {
    // A file URL: no spaces to quote inside NODE_OPTIONS, whatever the checkout's path.
    NODE_OPTIONS: `--import ${pathToFileURL(TSX_LOADER).href}`,
    LNLAB_RPC_URL: rpc.url,
    LNLAB_RPC_USER: rpc.username,
    LNLAB_RPC_PASSWORD: rpc.password,
  };
  if (env.LNLAB_HOME) kernelEnv.LNLAB_HOME = env.LNLAB_HOME;
  // A notebook's first call waits for a Bitcoin Core that is still starting as long as lnlab would.
  if (env.LNLAB_RPC_WARMUP_TIMEOUT_S) kernelEnv.LNLAB_RPC_WARMUP_TIMEOUT_S = env.LNLAB_RPC_WARMUP_TIMEOUT_S;
  return {
    argv: [nodePath, KERNEL_SCRIPT, '{connection_file}'],
    display_name: KERNEL_DISPLAY_NAME,
    language: 'typescript',
    env: kernelEnv,
  };
}

/**
 * Writes the kernelspec (always: it is cheap, and rewriting it follows a moved checkout or a new Node).
 * Returns the Jupyter data folder to put on `JUPYTER_PATH`.
 */
export function registerKernel(env: NodeJS.ProcessEnv = process.env): string {
  const file = kernelSpecFile(env);
  mkdirSync(join(file, '..'), { recursive: true });
  writeFileSync(file, `${JSON.stringify(kernelSpec(env), null, 2)}\n`);
  return jupyterDataDir(env);
}

/** `JUPYTER_PATH` with the project's Jupyter folder first, keeping whatever the learner had. */
export function jupyterPathWith(env: NodeJS.ProcessEnv = process.env): string {
  const ours = jupyterDataDir(env);
  return env.JUPYTER_PATH ? `${ours}${delimiter}${env.JUPYTER_PATH}` : ours;
}

/** Whether `node_modules/lightning-lab` links back to this package. */
export function selfLinkPresent(): boolean {
  try {
    return lstatSync(SELF_LINK).isSymbolicLink() && readlinkSync(SELF_LINK) === SELF_LINK_TARGET;
  } catch {
    return false;
  }
}

/**
 * Re-creates `node_modules/lightning-lab -> ..` when it is missing (`npm install <pkg>` prunes it), as
 * `scripts/link-self.js` does after `npm ci`. Returns whether it had to.
 */
export function ensureSelfLink(): boolean {
  if (selfLinkPresent()) return false;
  rmSync(SELF_LINK, { recursive: true, force: true });
  symlinkSync(SELF_LINK_TARGET, SELF_LINK, 'junction');
  return true;
}

export type KernelState =
  | { readonly state: 'registered'; readonly file: string }
  | { readonly state: 'missing'; readonly file: string }
  | { readonly state: 'stale'; readonly file: string; readonly reason: string };

/** Is the kernel registered, and does its kernelspec still point at things that exist? */
export function kernelState(env: NodeJS.ProcessEnv = process.env): KernelState {
  const file = kernelSpecFile(env);
  if (!existsSync(file)) return { state: 'missing', file };
  let spec: KernelSpec;
  try {
    spec = JSON.parse(readFileSync(file, 'utf8')) as KernelSpec;
  } catch {
    return { state: 'stale', file, reason: 'its kernel.json is not valid JSON' };
  }
  const [node, script] = spec.argv ?? [];
  if (!node || !existsSync(node)) return { state: 'stale', file, reason: `it runs ${node ?? 'no program'}, which does not exist` };
  if (!script || !existsSync(script)) return { state: 'stale', file, reason: `its kernel script (${script ?? 'none'}) does not exist` };
  return { state: 'registered', file };
}
