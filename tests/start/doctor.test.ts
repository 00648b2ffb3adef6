/**
 * `lnlab doctor`: all green on a set-up machine (node running, kernel registered, Jupyter installed);
 * exit 0 with ⚠️ for what `npm start` sees to itself (no node yet, kernel not registered, a workshop that
 * did not stop cleanly), so a freshly set-up clone passes; and a precise ❌ with its fix — and a failing
 * exit code — for each thing a learner's machine can lack. (That it reports a running workshop as
 * running is shown in start.test.ts, where one runs.)
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findFreePort, startThrowawayNode } from '../../src/internal.js';
import { registerKernel } from '../../src/workshop/setup/kernel.js';
import { runLnlab } from '../helpers/cli.js';
import { startFakeRpc, type FakeRpc } from '../helpers/fake-rpc.js';
import { pathWithoutJupyter } from './path-without-jupyter.js';
import { copyRepo } from './repo-copy.js';

let home: string;
let env: NodeJS.ProcessEnv;
let stopNode: () => Promise<void>;
let mainnet: FakeRpc;
let noJupyter: { path: string; remove(): void };

beforeAll(async () => {
  home = mkdtempSync(join(tmpdir(), 'lnlab-doctor-'));
  const node = await startThrowawayNode();
  stopNode = node.stop;
  env = { LNLAB_HOME: home, LNLAB_RPC_URL: node.config.url };
  registerKernel({ ...process.env, ...env });
  mainnet = await startFakeRpc({ getblockchaininfo: { chain: 'main', blocks: 900_000, bestblockhash: '00'.repeat(32) } });
  noJupyter = pathWithoutJupyter();
});

afterAll(async () => {
  await stopNode();
  await mainnet.close();
  noJupyter.remove();
  rmSync(home, { recursive: true, force: true });
});

/** The doctor's line for one check, e.g. `line(out, 'Jupyter')`. */
function line(stdout: string, check: string): string {
  return stdout.split('\n').find((text) => text.includes(` ${check}: `)) ?? `(no line for ${check})`;
}

describe('lnlab doctor', () => {
  it('passes every check on a set-up machine', async () => {
    const result = await runLnlab(['doctor'], env);
    expect(result.code, result.stdout).toBe(0);
    for (const check of ['Node.js', 'dependencies', 'kernel', 'Jupyter', 'regtest node', 'workshop', 'workspace']) {
      expect(line(result.stdout, check)).toMatch(/^✅/);
    }
    expect(line(result.stdout, 'regtest node')).toContain(`bcoin on regtest at ${env.LNLAB_RPC_URL}`);
    // Port 8888 may be busy on a learner's machine: that is a warning (lnlab picks another), never a failure.
    expect(result.stdout).not.toContain('❌');
  });

  it('names the missing Jupyter and the commands that install it', async () => {
    const result = await runLnlab(['doctor'], { ...env, PATH: noJupyter.path });
    expect(result.code).toBe(1);
    expect(line(result.stdout, 'Jupyter')).toBe('❌ Jupyter: not found: neither `jupyter-lab` nor `jupyter-notebook` is on your PATH');
    for (const command of ['pipx install jupyterlab', 'pip install jupyterlab', 'sudo apt-get install jupyter-notebook', 'conda install -c conda-forge jupyterlab']) {
      expect(result.stdout).toContain(command);
    }
    expect(line(result.stdout, 'regtest node')).toMatch(/^✅/);
  });

  it('before the first start: no node yet is ⚠️ (npm start starts it), and the exit code is 0', async () => {
    const url = `http://127.0.0.1:${await findFreePort()}`;
    const result = await runLnlab(['doctor'], { ...env, LNLAB_RPC_URL: url });
    expect(line(result.stdout, 'regtest node')).toBe(`⚠️  regtest node: no regtest node answers at ${url} yet`);
    expect(result.stdout).toContain('`npm start` starts the embedded node');
    // The port the embedded node would use is free, so that check passes.
    expect(line(result.stdout, 'ports')).toContain(`${new URL(url).port} free for the embedded node`);
    expect(result.code, result.stdout).toBe(0);
  });

  it('a node elsewhere that does not answer is ❌: npm start cannot start it there', async () => {
    const result = await runLnlab(['doctor'], { ...env, LNLAB_RPC_URL: 'http://lnlab-no-such-host.invalid:18443' });
    expect(line(result.stdout, 'regtest node')).toMatch(/^❌ regtest node: no regtest node answers at http:\/\/lnlab-no-such-host\.invalid:18443, and the embedded node only runs on this machine$/);
    expect(result.code).toBe(1);
  });

  it('a freshly set-up clone (installed, never started) exits 0', async () => {
    const copy = copyRepo();
    try {
      // What `npm ci` would have left: the packages (linked here) and its postinstall's self-link.
      execFileSync(process.execPath, ['scripts/link-self.js'], { cwd: copy.root });
      const url = `http://127.0.0.1:${await findFreePort()}`;
      const result = await runLnlab(['doctor'], { LNLAB_HOME: copy.home, LNLAB_RPC_URL: url }, copy.root);
      expect(result.code, result.stdout).toBe(0);
      expect(result.stdout).not.toContain('❌');
      expect(line(result.stdout, 'dependencies')).toMatch(/^✅/);
      expect(line(result.stdout, 'kernel')).toMatch(/^⚠️ {2}kernel: the "lightning-lab" kernel is not registered yet/);
      expect(line(result.stdout, 'regtest node')).toMatch(/^⚠️ /);
      expect(line(result.stdout, 'workshop')).toBe('✅ workshop: not running; `npm start` starts it');
      expect(result.stdout).toContain('✅ ready for the workshop: run `npm start`');
    } finally {
      copy.remove();
    }
  });

  it('a clone with nothing installed: ❌ dependencies and what to run, without installing anything', async () => {
    const copy = copyRepo({ nodeModules: 'none' });
    try {
      const result = await runLnlab(['doctor'], { LNLAB_HOME: copy.home }, copy.root);
      expect(result.code).toBe(1);
      expect(result.stdout).toBe('❌ dependencies: the dependencies are not installed yet (no node_modules)\n   → run `npm start` (it installs them first) or `npm ci`\n');
      expect(existsSync(join(copy.root, 'node_modules'))).toBe(false);
    } finally {
      copy.remove();
    }
  });

  it('a workshop that did not stop cleanly is ⚠️', async () => {
    const gone = spawnSync(process.execPath, ['-e', '0']).pid;
    const staleHome = mkdtempSync(join(tmpdir(), 'lnlab-doctor-stale-'));
    try {
      registerKernel({ ...process.env, ...env, LNLAB_HOME: staleHome });
      writeFileSync(join(staleHome, 'workshop.json'), JSON.stringify({ owner: { pid: gone, startTime: '1' }, startedAt: new Date().toISOString(), startedNode: false }));
      const result = await runLnlab(['doctor'], { ...env, LNLAB_HOME: staleHome });
      expect(line(result.stdout, 'workshop')).toBe(`⚠️  workshop: not running; a previous \`npm start\` (pid ${gone}) did not stop cleanly`);
      expect(result.stdout).toContain('`npm start` clears what it left');
      expect(result.code, result.stdout).toBe(0);
    } finally {
      rmSync(staleHome, { recursive: true, force: true });
    }
  });

  it('without Jupyter on a Debian-like machine: names the apt-get command, not a generic list', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'lnlab-debian-path-'));
    try {
      symlinkSync(process.execPath, join(folder, 'node'));
      // Only found, never run: the doctor judges by what is installed.
      writeFileSync(join(folder, 'apt-get'), '#!/bin/sh\nexit 1\n');
      chmodSync(join(folder, 'apt-get'), 0o755);
      const result = await runLnlab(['doctor'], { ...env, PATH: folder });
      expect(result.code).toBe(1);
      expect(result.stdout).toMatch(/install it with this:\n +(sudo )?apt-get install jupyter-notebook jupyter-nbconvert python3-nbclient/);
      expect(result.stdout).not.toContain('conda install');
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('refuses a node on another chain', async () => {
    const result = await runLnlab(['doctor'], { ...env, LNLAB_RPC_URL: mainnet.url });
    expect(result.code).toBe(1);
    expect(line(result.stdout, 'regtest node')).toBe(
      `❌ regtest node: the node at ${mainnet.url} is on chain "main", not regtest; the workshop refuses it`,
    );
  });

  it('flags a Node.js older than 20.19', async () => {
    const result = await runLnlab(['doctor'], { ...env, LNLAB_SIMULATE_NODE_VERSION: '18.0.0' });
    expect(result.code).toBe(1);
    expect(line(result.stdout, 'Node.js')).toBe('❌ Node.js: 18.0.0 is too old; the workshop needs 20.19.0 or newer');
    expect(result.stdout).toContain('https://nodejs.org');
  });
});
