/**
 * `lnlab doctor`'s checks: everything `lnlab start` needs, each answered with ok / warn / fail and, when
 * not ok, the command that fixes it. Each check is independent and never throws, so one problem does not
 * hide the others.
 */
import { existsSync, mkdirSync, rmSync, statfsSync, accessSync, constants, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { BitcoindClient } from '../../chain/bitcoind-client.js';
import { rpcConfigFromEnv, rpcPort } from '../../chain/config.js';
import { NodeUnreachableError, WrongChainError } from '../../chain/errors.js';
import { PROJECT_ROOT } from '../../chain/regtest/launcher.js';
import { findJupyter, flavourName } from './jupyter.js';
import { INSTALL_JUPYTER_COMMANDS } from './jupyter-install.js';
import { kernelState, selfLinkPresent, TSLAB_SCRIPT, TSX_LOADER } from './kernel.js';
import { MIN_NODE_VERSION, isAtLeast, nodeVersion } from './node-version.js';
import { lnlabHome, NOTEBOOKS_DIR } from './paths.js';
import { DEFAULT_JUPYTER_PORT, isPortFree } from './ports.js';

/** Below this much free disk, warn: the embedded chain, Jupyter checkpoints and npm's cache all grow. */
export const LOW_DISK_BYTES = 1024 ** 3;
/** A doctor should answer quickly: a node that takes longer than this to reply counts as unreachable. */
const NODE_CHECK_TIMEOUT_MS = 3_000;

export type CheckStatus = 'ok' | 'warn' | 'fail';

export interface CheckResult {
  /** Short name of what was checked, e.g. "Jupyter". */
  readonly name: string;
  readonly status: CheckStatus;
  /** What was found, one line. */
  readonly detail: string;
  /** What to do about it (absent when ok). May span lines. */
  readonly fix?: string;
}

const START_FIXES = '`npm start` starts the embedded node; or run `npx lnlab regtest start`, or `docker compose up -d` for Bitcoin Core';

function checkNode(env: NodeJS.ProcessEnv): CheckResult {
  const version = nodeVersion(env);
  return isAtLeast(version)
    ? { name: 'Node.js', status: 'ok', detail: `${version} (needs ${MIN_NODE_VERSION} or newer)` }
    : {
        name: 'Node.js',
        status: 'fail',
        detail: `${version} is too old; the workshop needs ${MIN_NODE_VERSION} or newer`,
        fix: 'install a current Node.js LTS from https://nodejs.org (or `nvm install --lts`), then run `npm ci`',
      };
}

function checkDependencies(): CheckResult {
  const name = 'dependencies';
  if (!existsSync(join(PROJECT_ROOT, 'node_modules'))) {
    return { name, status: 'fail', detail: 'node_modules is missing: the dependencies are not installed', fix: 'run `npm ci`' };
  }
  const require = createRequire(join(PROJECT_ROOT, 'package.json'));
  const missing: string[] = [];
  if (!existsSync(TSLAB_SCRIPT)) missing.push('tslab');
  if (!existsSync(TSX_LOADER)) missing.push('tsx');
  try {
    require.resolve('bcoin');
  } catch {
    missing.push('bcoin');
  }
  if (missing.length > 0) {
    return { name, status: 'fail', detail: `${missing.join(', ')} cannot be found in node_modules`, fix: 'run `npm ci`' };
  }
  if (!selfLinkPresent()) {
    return {
      name,
      status: 'fail',
      detail: "node_modules/lightning-lab is missing, so notebooks cannot `import … from 'lightning-lab'`",
      fix: '`npm start` re-creates it; or run `node scripts/link-self.js`',
    };
  }
  return { name, status: 'ok', detail: 'installed (tslab, tsx, bcoin, and the lightning-lab self-link)' };
}

function checkKernel(env: NodeJS.ProcessEnv): CheckResult {
  const kernel = kernelState(env);
  switch (kernel.state) {
    case 'registered':
      return { name: 'kernel', status: 'ok', detail: `"lightning-lab" registered in ${kernel.file}` };
    case 'missing':
      return { name: 'kernel', status: 'warn', detail: 'the "lightning-lab" kernel is not registered yet', fix: '`npm start` registers it' };
    case 'stale':
      return { name: 'kernel', status: 'fail', detail: `the "lightning-lab" kernel is out of date: ${kernel.reason}`, fix: '`npm start` rewrites it' };
  }
}

function checkJupyter(env: NodeJS.ProcessEnv): CheckResult {
  const jupyter = findJupyter(env);
  return jupyter
    ? { name: 'Jupyter', status: 'ok', detail: `${flavourName(jupyter.flavour)} at ${jupyter.executable}` }
    : {
        name: 'Jupyter',
        status: 'fail',
        detail: 'not found: neither `jupyter-lab` nor `jupyter-notebook` is on your PATH',
        fix: `install it with one of:\n${INSTALL_JUPYTER_COMMANDS.map((command) => `     ${command}`).join('\n')}`,
      };
}

/** The node check; also says whether a node answered, which the port check needs. */
async function checkRegtestNode(env: NodeJS.ProcessEnv): Promise<CheckResult & { answered: boolean }> {
  const config = rpcConfigFromEnv(env);
  const client = new BitcoindClient(config, { timeoutMs: NODE_CHECK_TIMEOUT_MS });
  try {
    await client.ensureRegtest();
    const [backend, best] = await Promise.all([client.getBackend(), client.getBestBlock()]);
    return { name: 'regtest node', status: 'ok', detail: `${backend} on regtest at ${config.url}, height ${best.height}`, answered: true };
  } catch (err) {
    if (err instanceof WrongChainError) {
      return {
        name: 'regtest node',
        status: 'fail',
        detail: `the node at ${config.url} is on chain "${err.chain}", not regtest; the workshop refuses it`,
        fix: `stop that node or point LNLAB_RPC_URL elsewhere; ${START_FIXES}`,
        answered: true,
      };
    }
    const detail = err instanceof NodeUnreachableError ? `no regtest node answers at ${config.url}` : `the node at ${config.url} failed: ${(err as Error).message}`;
    return { name: 'regtest node', status: 'fail', detail, fix: START_FIXES, answered: false };
  }
}

async function checkPorts(env: NodeJS.ProcessEnv, nodeAnswered: boolean): Promise<CheckResult> {
  const notes: string[] = [];
  let status: CheckStatus = 'ok';
  let fix: string | undefined;
  if (await isPortFree(DEFAULT_JUPYTER_PORT)) notes.push(`${DEFAULT_JUPYTER_PORT} free for Jupyter`);
  else {
    status = 'warn';
    notes.push(`${DEFAULT_JUPYTER_PORT} is in use (another Jupyter?), so \`npm start\` will pick another free port`);
  }
  const config = rpcConfigFromEnv(env);
  const host = new URL(config.url).hostname;
  if (!nodeAnswered && (host === '127.0.0.1' || host === 'localhost')) {
    const port = rpcPort(config);
    if (await isPortFree(port)) notes.push(`${port} free for the embedded node`);
    else {
      status = 'fail';
      notes.push(`${port} is taken by something that is not a regtest node, so the embedded node cannot start`);
      fix = `stop what listens on port ${port}, or set LNLAB_RPC_URL to another port (e.g. http://127.0.0.1:18543)`;
    }
  }
  return { name: 'ports', status, detail: notes.join('; '), ...(fix ? { fix } : {}) };
}

function checkWritable(env: NodeJS.ProcessEnv): CheckResult {
  const home = lnlabHome(env);
  try {
    mkdirSync(home, { recursive: true });
    const probe = join(home, `.doctor-${process.pid}`);
    writeFileSync(probe, 'ok');
    rmSync(probe);
  } catch (err) {
    return {
      name: 'workspace',
      status: 'fail',
      detail: `cannot write to ${home} (${(err as NodeJS.ErrnoException).code ?? String(err)})`,
      fix: `make it writable (\`chmod u+w ${home}\`) or set LNLAB_HOME to a folder you can write to`,
    };
  }
  try {
    if (existsSync(NOTEBOOKS_DIR)) accessSync(NOTEBOOKS_DIR, constants.W_OK);
  } catch {
    return { name: 'workspace', status: 'fail', detail: `cannot write to ${NOTEBOOKS_DIR}: your notebook edits could not be saved`, fix: `run \`chmod -R u+w ${NOTEBOOKS_DIR}\`` };
  }
  return { name: 'workspace', status: 'ok', detail: `${home} and notebooks/ are writable` };
}

function checkDisk(env: NodeJS.ProcessEnv): CheckResult {
  let folder = lnlabHome(env);
  while (!existsSync(folder) && dirname(folder) !== folder) folder = dirname(folder);
  try {
    const stats = statfsSync(folder);
    const free = stats.bavail * stats.bsize;
    const gb = (free / 1024 ** 3).toFixed(1);
    return free < LOW_DISK_BYTES
      ? { name: 'disk', status: 'warn', detail: `only ${gb} GB free on the disk of ${folder}`, fix: 'free some space: the chain and Jupyter need room to grow' }
      : { name: 'disk', status: 'ok', detail: `${gb} GB free` };
  } catch (err) {
    return { name: 'disk', status: 'warn', detail: `could not measure free space (${(err as Error).message})` };
  }
}

/** Runs every check, in the order a learner would fix them. */
export async function runDoctor(env: NodeJS.ProcessEnv = process.env): Promise<CheckResult[]> {
  const node = await checkRegtestNode(env);
  const { answered, ...nodeResult } = node;
  return [
    checkNode(env),
    checkDependencies(),
    checkKernel(env),
    checkJupyter(env),
    nodeResult,
    await checkPorts(env, answered),
    checkWritable(env),
    checkDisk(env),
  ];
}
