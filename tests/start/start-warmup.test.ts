/**
 * `lnlab start` right after `docker compose up -d`: Bitcoin Core's port is published before Core listens,
 * then Core answers -28 while it loads. lnlab waits through both, saying what Core is doing, and then
 * serves Jupyter with the workshop kernel. The folder's `.lnlab` also holds the record of an earlier
 * `npm start` that was killed: it is cleared, not taken for a running workshop, and that run's Jupyter
 * log is kept (appended to, not emptied). A second start, asking for another port, prints the running
 * workshop's URL and exits 0.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findFreePort } from '../../src/internal.js';
import { runLnlab } from '../helpers/cli.js';
import { CORE_WARMUP, startWarmingRpc, type WarmingRpc } from '../chain/warming-rpc.js';
import { KernelConnection, startKernel } from './kernel-client.js';
import { copyRepo, type RepoCopy } from './repo-copy.js';
import { RunningCommand } from './running-command.js';

const URL_PATTERN = /http:\/\/127\.0\.0\.1:(\d+)\/\S*\?token=([0-9a-f]+)/;
/** Core's warm-up here takes about two seconds; Jupyter a few more on a loaded machine. */
const START_TIMEOUT_MS = 45_000;
/** The kernel's first cell type-checks the whole 'lightning-lab' package: ~5 s idle, far more under load. */
const FIRST_CELL_TIMEOUT_MS = 60_000;

/** What the killed run's Jupyter had logged: the clue to why it died, which must survive. */
const EARLIER_LOG = 'the earlier run: Traceback (most recent call last) …\n';

/** How many processes have `text` in their command line. */
function pgrepCount(text: string): number {
  const found = spawnSync('pgrep', ['-f', '--', text], { encoding: 'utf8' });
  return found.stdout.split('\n').filter(Boolean).length;
}

let copy: RepoCopy;
let core: WarmingRpc;
let start: RunningCommand;
let port: number;
let deadPid: number;

beforeAll(async () => {
  copy = copyRepo();
  core = await startWarmingRpc({ drops: 2 });
  port = await findFreePort();
  deadPid = spawnSync(process.execPath, ['-e', '0']).pid;
  mkdirSync(join(copy.home, 'jupyter'), { recursive: true });
  writeFileSync(join(copy.home, 'jupyter', 'server.log'), EARLIER_LOG);
  writeFileSync(join(copy.home, 'workshop.json'), JSON.stringify({ owner: { pid: deadPid, startTime: '1' }, startedAt: new Date().toISOString(), startedNode: false }));
  start = new RunningCommand(process.execPath, ['bin/lnlab.js', 'start', '--no-browser', '--port', String(port)], {
    cwd: copy.root,
    env: { ...process.env, LNLAB_HOME: copy.home, LNLAB_RPC_URL: core.url },
  });
});

afterAll(async () => {
  start.kill();
  await core.close();
  copy.remove();
});

describe('lnlab start with a Bitcoin Core that is still starting', () => {
  let url: string;

  it('clears the record a killed start left, waits for Core, saying what it does, then serves Jupyter', async () => {
    [url] = (await start.waitFor(URL_PATTERN, START_TIMEOUT_MS)) as unknown as [string];
    expect(start.output).toContain(`a previous \`npm start\` (pid ${deadPid}) did not stop cleanly; cleared what it left`);
    expect(start.output).toContain("re-created node_modules/lightning-lab");
    expect(start.output).toContain(`port ${new URL(core.url).port} is open but nothing answers JSON-RPC there yet`);
    for (const activity of CORE_WARMUP) expect(start.output).toContain(`⏳ the regtest node is still starting: ${activity}`);
    expect(start.output).toContain(`✅ regtest node: bitcoin-core (not started by lnlab) at ${core.url}, height 0`);
    expect(start.output).not.toContain('starting the embedded node');
    expect(core.dropped()).toBe(2);
    expect(url).toContain(`http://127.0.0.1:${port}/`);
    expect((await fetch(url, { redirect: 'manual' })).status).toBe(200);
    const log = readFileSync(join(copy.home, 'jupyter', 'server.log'), 'utf8');
    expect(log.startsWith(EARLIER_LOG)).toBe(true);
    expect(log).toMatch(new RegExp(`\\n===== lnlab start \\(pid \\d+\\) \\S+: Jupyter \\S+ on port ${port} =====\\n`));
  });

  it('serves the lightning-lab kernel', async () => {
    const token = url.match(URL_PATTERN)![2];
    const body = (await (await fetch(`http://127.0.0.1:${port}/api/kernelspecs?token=${token}`)).json()) as { kernelspecs: Record<string, unknown> };
    expect(Object.keys(body.kernelspecs)).toContain('lightning-lab');
  });

  it("a notebook's first call to a Core that is still starting waits, and says so in the cell's output", async () => {
    const token = url.match(URL_PATTERN)![2]!;
    const server = { baseUrl: `http://127.0.0.1:${port}`, token };
    const warming = await startWarmingRpc();
    const kernel = await KernelConnection.open(server, await startKernel(server, 'lightning-lab'));
    try {
      await kernel.ready(FIRST_CELL_TIMEOUT_MS);
      const cell = await kernel.execute(
        [
          "import { BitcoindClient } from 'lightning-lab';",
          `const client = new BitcoindClient({ url: '${warming.url}', username: 'lnlab', password: 'lnlab' });`,
          'console.log(`height=${(await client.getBestBlock()).height}`);',
        ].join('\n'),
        FIRST_CELL_TIMEOUT_MS,
      );
      const seen = `status ${cell.status}, error ${cell.error}, stdout ${JSON.stringify(cell.stdout)}, stderr ${JSON.stringify(cell.stderr)}`;
      expect(cell.status, seen).toBe('ok');
      for (const activity of CORE_WARMUP) expect(cell.stdout, seen).toContain(`⏳ the regtest node at ${warming.url} is still starting (${activity}); waiting…`);
      expect(cell.stdout.trim().split('\n').at(-1), seen).toBe('height=0');
    } finally {
      kernel.close();
      await warming.close();
    }
  }, 2 * FIRST_CELL_TIMEOUT_MS);

  it('a second start asking for another port prints the running URL and exits 0', async () => {
    const other = await findFreePort();
    const again = await runLnlab(['start', '--no-browser', '--port', String(other)], { LNLAB_HOME: copy.home, LNLAB_RPC_URL: core.url }, copy.root);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain('the workshop is already running in this folder');
    expect(again.stdout).toContain(url);
    expect(again.stdout).toContain(`it stays on port ${port}`);
    await expect(fetch(`http://127.0.0.1:${other}/api`)).rejects.toThrow();
  });

  it('Ctrl-C stops Jupyter and its kernel, leaves Core alone and removes the record', async () => {
    await start.interrupt();
    expect(start.output).toContain('✅ stopped Jupyter and its kernels\n');
    expect(pgrepCount(join(copy.root, 'node_modules', 'tslab'))).toBe(0);
    expect(existsSync(join(copy.home, 'workshop.json'))).toBe(false);
    const info = await fetch(core.url, { method: 'POST', body: JSON.stringify({ method: 'getblockchaininfo', params: [], id: 1 }) });
    expect(info.status).toBe(200);
  });
});
