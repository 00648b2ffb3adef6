/**
 * `lnlab doctor`'s checks: everything `lnlab start` needs, each answered with ok / warn / fail and, when
 * not ok, the command that fixes it. Each check is independent and never throws, so one problem does not
 * hide the others.
 */
import { solutionsPresent } from '../../curriculum/references.js';
import { existsSync, mkdirSync, rmSync, statfsSync, accessSync, constants, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { dependencyState } from '../../../scripts/ensure-deps.js';
import { BitcoindClient } from '../../chain/bitcoind-client.js';
import { rpcConfigFromEnv, rpcPort } from '../../chain/config.js';
import { NodeUnreachableError, SEE_CORE_LOG, WrongChainError } from '../../chain/errors.js';
import { PROJECT_ROOT } from '../../chain/regtest/launcher.js';
import { findJupyter, flavourName } from './jupyter.js';
import { jupyterInstallCommands } from './jupyter-install.js';
import { kernelState, selfLinkPresent, TSLAB_SCRIPT, TSX_LOADER } from './kernel.js';
import { MIN_NODE_VERSION, isAtLeast, nodeVersion } from './node-version.js';
import { lnlabHome, NOTEBOOKS_DIR } from './paths.js';
import { DEFAULT_JUPYTER_PORT, isPortFree } from './ports.js';
import { readWorkshop, type WorkshopState } from './workshop-state.js';

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
  const installed = dependencyState(PROJECT_ROOT);
  if (installed.state === 'missing' || installed.state === 'stale') {
    return { name, status: 'warn', detail: `node_modules does not match package-lock.json: ${installed.reason}`, fix: '`npm start` reinstalls them first (or run `npm ci`)' };
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

function installFix(commands: readonly string[]): string {
  return `install it with ${commands.length > 1 ? 'one of' : 'this'}:\n${commands.map((command) => `     ${command}`).join('\n')}`;
}

function checkJupyter(env: NodeJS.ProcessEnv): CheckResult {
  const jupyter = findJupyter(env);
  return jupyter
    ? { name: 'Jupyter', status: 'ok', detail: `${flavourName(jupyter.flavour)} at ${jupyter.executable}` }
    : {
        name: 'Jupyter',
        status: 'fail',
        detail: 'not found: neither `jupyter-lab` nor `jupyter-notebook` is on your PATH',
        fix: installFix(jupyterInstallCommands(env)),
      };
}

/** Whether the embedded node would be started by `npm start` at this URL: only on this machine. */
function isLocalUrl(url: string): boolean {
  const host = new URL(url).hostname;
  return host === '127.0.0.1' || host === 'localhost';
}

/** The node check; also says whether a node answered, which the port check needs. */
async function checkRegtestNode(env: NodeJS.ProcessEnv): Promise<CheckResult & { answered: boolean }> {
  const name = 'regtest node';
  const config = rpcConfigFromEnv(env);
  const client = new BitcoindClient(config, { timeoutMs: NODE_CHECK_TIMEOUT_MS });
  try {
    const readiness = await client.probe();
    if (readiness.state === 'warming-up') {
      return {
        name,
        status: 'warn',
        detail: `the node at ${config.url} is still starting (${readiness.activity})`,
        fix: `\`npm start\` waits for it; ${SEE_CORE_LOG}`,
        answered: true,
      };
    }
    const backend = await client.getBackend();
    return { name, status: 'ok', detail: `${backend} on regtest at ${config.url}, height ${readiness.info.blocks}`, answered: true };
  } catch (err) {
    if (err instanceof WrongChainError) {
      return {
        name,
        status: 'fail',
        detail: `the node at ${config.url} is on chain "${err.chain}", not regtest; the workshop refuses it`,
        fix: `stop that node or point LNLAB_RPC_URL elsewhere; ${START_FIXES}`,
        answered: true,
      };
    }
    if (err instanceof NodeUnreachableError) {
      // Before the first `npm start` nothing answers yet, and that is fine when npm start can start it.
      return isLocalUrl(config.url)
        ? { name, status: 'warn', detail: `no regtest node answers at ${config.url} yet`, fix: START_FIXES, answered: false }
        : {
            name,
            status: 'fail',
            detail: `no regtest node answers at ${config.url}, and the embedded node only runs on this machine`,
            fix: `start the node at that address, or unset LNLAB_RPC_URL to use the embedded node`,
            answered: false,
          };
    }
    return { name, status: 'fail', detail: `the node at ${config.url} failed: ${(err as Error).message}`, fix: START_FIXES, answered: false };
  }
}

/** Is the workshop running in this folder (`npm start`'s record, checked for life)? */
function checkWorkshop(workshop: WorkshopState): CheckResult {
  const name = 'workshop';
  switch (workshop.state) {
    case 'none':
      return { name, status: 'ok', detail: 'not running; `npm start` starts it' };
    case 'running':
      return { name, status: 'ok', detail: `running (pid ${workshop.record.owner.pid}): open ${workshop.record.jupyter!.url}` };
    case 'starting':
      return { name, status: 'ok', detail: `starting (pid ${workshop.record.owner.pid}); its terminal prints the URL in a moment` };
    case 'unresponsive':
      return {
        name,
        status: 'fail',
        detail: `running (pid ${workshop.record.owner.pid}), but its Jupyter does not answer at ${workshop.record.jupyter?.baseUrl}`,
        fix: `stop it with Ctrl-C in its terminal (or \`kill ${workshop.record.owner.pid}\`), then run \`npm start\``,
      };
    case 'stale':
      return {
        name,
        status: 'warn',
        detail: `not running; a previous \`npm start\` (pid ${workshop.record.owner.pid}) did not stop cleanly`,
        fix: '`npm start` clears what it left and starts afresh',
      };
  }
}

async function checkPorts(env: NodeJS.ProcessEnv, nodeAnswered: boolean, workshop: WorkshopState): Promise<CheckResult> {
  const notes: string[] = [];
  let status: CheckStatus = 'ok';
  let fix: string | undefined;
  const ours = workshop.state === 'running' || workshop.state === 'unresponsive' ? workshop.record.jupyter?.port : undefined;
  if (ours !== undefined) notes.push(`${ours} is the workshop's Jupyter`);
  if (ours === DEFAULT_JUPYTER_PORT) {
    // Taken by this very workshop: nothing to warn about.
  } else if (await isPortFree(DEFAULT_JUPYTER_PORT)) notes.push(`${DEFAULT_JUPYTER_PORT} free for Jupyter`);
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

/** Whether this copy holds the reference solutions: an instructor's hand-out copy does not, on purpose. */
function checkSolutions(): CheckResult {
  return solutionsPresent()
    ? { name: 'solutions', status: 'ok', detail: 'solutions/ is here: `solution(id)` shows the reference once your check passes' }
    : { name: 'solutions', status: 'ok', detail: 'no solutions/ in this copy (an answer-free hand-out): checks and grading work; `solution(id)` says the answers are not here' };
}

export interface DoctorReport {
  readonly results: readonly CheckResult[];
  /** Whether the workshop runs in this folder, for the doctor's last line. */
  readonly workshop: WorkshopState;
}

/** Runs every check, in the order a learner would fix them. */
export async function runDoctor(env: NodeJS.ProcessEnv = process.env): Promise<DoctorReport> {
  const [node, workshop] = await Promise.all([checkRegtestNode(env), readWorkshop(env)]);
  const { answered, ...nodeResult } = node;
  const results = [
    checkNode(env),
    checkDependencies(),
    checkKernel(env),
    checkJupyter(env),
    nodeResult,
    checkWorkshop(workshop),
    await checkPorts(env, answered, workshop),
    checkWritable(env),
    checkDisk(env),
    checkSolutions(),
  ];
  return { results, workshop };
}
