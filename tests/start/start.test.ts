/**
 * The README's first command on a fresh clone: `npm start -- --no-browser` in a copy of the repository
 * with no node_modules at all. It installs the locked dependencies (`npm ci`, from npm's cache: the one
 * full install of the suite), then Jupyter comes up, serves the `lightning-lab` kernel, a notebook cell in
 * that kernel imports 'lightning-lab' and reads the live regtest chain (so the packages whose install
 * scripts allowScripts governs work), `npx lnlab doctor` reports the workshop running, a second
 * `npm start` prints the running URL without installing or starting anything, and Ctrl-C leaves no
 * Jupyter, kernel or node process behind.
 */
import { sweepOrphanJobDirs } from '../../src/grade/sandbox/spawn.js';
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BitcoindClient, FAUCET_OUTPUT_SCRIPT, findFreePort } from '../../src/internal.js';
import { KernelConnection, startKernel } from './kernel-client.js';
import { copyRepo, type RepoCopy } from './repo-copy.js';
import { RunningCommand } from './running-command.js';

/** Jupyter's default port: held busy during the test (when free) so lnlab must pick another one. */
const DEFAULT_JUPYTER_PORT = 8888;
const URL_PATTERN = /http:\/\/127\.0\.0\.1:(\d+)\/\S*\?token=([0-9a-f]+)/;
/**
 * On an idle 2-core machine: node ~1 s, Jupyter ~2 s, and the first cell (tslab type-checks the whole
 * 'lightning-lab' package) ~5 s. Measured up to 4–6× that while other test suites load the machine.
 */
const START_TIMEOUT_MS = 45_000;
/** `npm ci` of the workshop from npm's cache: ~16 s on an idle 2-core machine, several times that under load. */
const INSTALL_TIMEOUT_MS = 240_000;
const FIRST_CELL_TIMEOUT_MS = 60_000;

let copy: RepoCopy;
let rpcUrl: string;
let npmStart: RunningCommand;
let blocker: Server | undefined;
/** The notebook lnlab should open first. */
let firstNotebook: string;

/** The learner's environment, plus npm's cache preferred (CI's own `npm test` has just filled it). */
function startEnv(): NodeJS.ProcessEnv {
  // As from a learner's terminal: none of the npm_* variables the `npm test` running us has set.
  const terminal = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('npm_')));
  return { ...terminal, LNLAB_HOME: copy.home, LNLAB_RPC_URL: rpcUrl, npm_config_prefer_offline: 'true', npm_config_audit: 'false', npm_config_fund: 'false' };
}

/** A minimal notebook for the workshop kernel, used only when the repository has none yet. */
const PLACEHOLDER_NOTEBOOK = {
  cells: [],
  metadata: { kernelspec: { name: 'lightning-lab', display_name: 'TypeScript (Lightning Lab)', language: 'typescript' } },
  nbformat: 4,
  nbformat_minor: 5,
};

/** The pids of processes whose command line mentions `text` (as `pgrep -f` sees them). */
function pgrep(text: string): number[] {
  try {
    return execFileSync('pgrep', ['-f', '--', text], { encoding: 'utf8' }).trim().split('\n').filter(Boolean).map(Number);
  } catch {
    return []; // pgrep exits 1 when nothing matches
  }
}

/**
 * Whether `pid` is a running process. A zombie is not: it has exited and only waits for its parent (or,
 * once orphaned, for init, which in some containers never comes) to collect its exit status.
 */
function running(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

beforeAll(async () => {
  copy = copyRepo({ nodeModules: 'none' });
  const notebooks = join(copy.root, 'notebooks');
  mkdirSync(notebooks, { recursive: true });
  let names = readdirSync(notebooks).filter((name) => name.endsWith('.ipynb')).sort();
  if (names.length === 0) {
    writeFileSync(join(notebooks, '00-start-test.ipynb'), JSON.stringify(PLACEHOLDER_NOTEBOOK));
    names = ['00-start-test.ipynb'];
  }
  firstNotebook = names.find((name) => name.startsWith('00-')) ?? names[0]!;
  rpcUrl = `http://127.0.0.1:${await findFreePort()}`;
  const holder = createServer();
  blocker = await new Promise<Server | undefined>((resolve) => {
    holder.once('error', () => resolve(undefined)); // already busy: fine, lnlab must avoid it either way
    holder.listen(DEFAULT_JUPYTER_PORT, '127.0.0.1', () => resolve(holder));
  });
  npmStart = new RunningCommand('npm', ['start', '--', '--no-browser'], { cwd: copy.root, env: startEnv() });
});

afterAll(async () => {
  // Only after a failure is anything left; then make sure the next run starts clean.
  const kill = (pid: number) => {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  };
  npmStart.kill();
  pgrep(copy.root).forEach(kill);
  // The kernel's grading child, killed with it, leaves its job folder; sweep it once they are gone.
  for (let i = 0; i < 50 && pgrep(copy.root).length > 0; i++) await new Promise((resolve) => setTimeout(resolve, 100));
  sweepOrphanJobDirs();
  blocker?.close();
  copy.remove();
});

describe('npm start -- --no-browser', () => {
  it('is the command the README gives for a machine without a browser', () => {
    expect(readFileSync(join(copy.root, 'README.md'), 'utf8')).toContain('npm start -- --no-browser');
  });

  let baseUrl: string;
  let token: string;
  const pids: Record<string, number> = {};

  it('installs the locked dependencies first: one line says so, then npm\'s own output, no warnings', async () => {
    await npmStart.waitFor(/registering the TypeScript kernel/, INSTALL_TIMEOUT_MS);
    expect(npmStart.output).toContain('ℹ️  the dependencies are not installed yet (no node_modules): installing the locked dependencies with `npm ci`');
    expect(npmStart.output).toMatch(/added \d+ packages/);
    // Every install script is reviewed in allowScripts: npm has nothing to warn about.
    expect(npmStart.output).not.toContain('allowScripts');
    expect(existsSync(join(copy.root, 'node_modules', '.package-lock.json'))).toBe(true);
  }, INSTALL_TIMEOUT_MS + 10_000);

  it('registers the kernel, starts the regtest node and Jupyter, and prints the URL', async () => {
    const [url, port, tokenText] = await npmStart.waitFor(URL_PATTERN, START_TIMEOUT_MS);
    expect(npmStart.output).toContain(`embedded node at ${rpcUrl}`);
    expect(Number(port)).not.toBe(DEFAULT_JUPYTER_PORT);
    baseUrl = `http://127.0.0.1:${port}`;
    token = tokenText!;
    // The printed URL opens the first notebook and its token is the server's: a wrong token would be
    // answered with a redirect to the login page, not a 200.
    expect(url).toContain(encodeURIComponent(firstNotebook));
    expect((await fetch(url!, { redirect: 'manual' })).status).toBe(200);
  });

  it('serves the lightning-lab kernel from the project-local Jupyter path', async () => {
    const response = await fetch(`${baseUrl}/api/kernelspecs?token=${token}`);
    const body = (await response.json()) as { kernelspecs: Record<string, { spec: { display_name: string } }> };
    expect(body.kernelspecs['lightning-lab']?.spec.display_name).toBe('TypeScript (Lightning Lab)');
  });

  it("runs a cell that imports 'lightning-lab' and reads the live chain's height", async () => {
    const client = await BitcoindClient.connect({ url: rpcUrl, username: 'lnlab', password: 'lnlab' });
    await client.mineBlocks(3, FAUCET_OUTPUT_SCRIPT);
    const { height } = await client.getBestBlock();
    expect(height).toBeGreaterThanOrEqual(3);

    const kernelId = await startKernel({ baseUrl, token }, 'lightning-lab');
    const kernel = await KernelConnection.open({ baseUrl, token }, kernelId);
    try {
      await kernel.ready(FIRST_CELL_TIMEOUT_MS);
      const cell = await kernel.execute(
        [
          "import { BitcoindClient } from 'lightning-lab';",
          'const client = await BitcoindClient.connect();',
          'console.log(`blocks=${(await client.getBestBlock()).height}`);',
        ].join('\n'),
        FIRST_CELL_TIMEOUT_MS,
      );
      const seen = `status ${cell.status}, error ${cell.error}, stdout ${JSON.stringify(cell.stdout)}, stderr ${JSON.stringify(cell.stderr)}`;
      expect(cell.error, seen).toBeUndefined();
      expect(cell.status, seen).toBe('ok');
      expect(cell.stdout.trim(), seen).toBe(`blocks=${height}`);
    } finally {
      kernel.close();
    }

    pids.jupyter = pgrep(`--notebook-dir=${copy.root}`)[0]!;
    pids.kernel = pgrep(join(copy.root, 'src', 'kernel', 'kernel-main.ts'))[0]!;
    pids.node = (JSON.parse(readFileSync(join(copy.home, 'regtest', 'node.json'), 'utf8')) as { pid: number }).pid;
    for (const [name, pid] of Object.entries(pids)) expect(running(pid), `${name} (pid ${pid}) runs`).toBe(true);
  }, 2 * FIRST_CELL_TIMEOUT_MS);

  it('`npx lnlab doctor`, as the README says, finds everything in order', async () => {
    const doctor = await new Promise<{ code: number | null; stdout: string }>((resolve) => {
      execFile('npx', ['lnlab', 'doctor'], { cwd: copy.root, env: { ...process.env, LNLAB_HOME: copy.home, LNLAB_RPC_URL: rpcUrl } }, (error, stdout) =>
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout }),
      );
    });
    expect(doctor.code, doctor.stdout).toBe(0);
    expect(doctor.stdout).toContain('✅ kernel: "lightning-lab" registered');
    expect(doctor.stdout).toContain(`✅ regtest node: bcoin on regtest at ${rpcUrl}`);
    expect(doctor.stdout).toContain(`✅ workshop: running (pid `);
    expect(doctor.stdout).toContain(`✅ the workshop is running: open ${baseUrl}/`);
    expect(doctor.stdout).not.toContain(`${new URL(baseUrl).port} free`);
    expect(doctor.stdout).not.toContain('❌');
  });

  it('a second `npm start` prints the running URL and exits 0, installing and starting nothing', async () => {
    const log = join(copy.home, 'jupyter', 'server.log');
    const logBefore = readFileSync(log, 'utf8');
    // npm ci would delete node_modules, and this file with it.
    writeFileSync(join(copy.root, 'node_modules', 'still-installed'), '');
    const again = await new Promise<{ code: number | null; stdout: string }>((resolve) => {
      execFile('npm', ['start', '--', '--no-browser'], { cwd: copy.root, env: startEnv() }, (error, stdout) =>
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout }),
      );
    });
    expect(again.code, again.stdout).toBe(0);
    expect(again.stdout).toContain('✅ the workshop is already running in this folder');
    expect(again.stdout).toContain(`${baseUrl}/`);
    expect(again.stdout).toContain(`token=${token}`);
    expect(again.stdout).not.toContain('npm ci');
    expect(existsSync(join(copy.root, 'node_modules', 'still-installed'))).toBe(true);
    // The first server's log is intact: as long as before, starting with what it held.
    expect(readFileSync(log, 'utf8').startsWith(logBefore)).toBe(true);
    expect(statSync(log).size).toBeGreaterThanOrEqual(logBefore.length);
    expect(pgrep(`--notebook-dir=${copy.root}`)).toEqual([pids.jupyter]);
  });

  it('stops Jupyter, its kernel and the node on Ctrl-C, leaving no process behind', async () => {
    await npmStart.interrupt();
    expect(npmStart.output).toContain('stopped Jupyter and its kernels and the regtest node');
    for (const [name, pid] of Object.entries(pids)) expect(running(pid), `${name} (pid ${pid}) is gone`).toBe(false);
    expect(pgrep(copy.root)).toEqual([]);
    expect(existsSync(join(copy.home, 'workshop.json'))).toBe(false);
  });
});
