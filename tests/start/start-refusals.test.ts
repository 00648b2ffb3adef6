/**
 * `lnlab start` refuses cleanly, fast and without leaving anything running when it cannot work: no
 * Jupyter (it names the install commands and, with no terminal to ask, does not wait for an answer), a
 * node on another chain, an old Node, a bad option.
 */
import { chmodSync, existsSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findFreePort } from '../../src/internal.js';
import { runLnlab } from '../helpers/cli.js';
import { startFakeRpc, type FakeRpc } from '../helpers/fake-rpc.js';
import { pathWithoutJupyter } from './path-without-jupyter.js';

let home: string;
let env: NodeJS.ProcessEnv;
let mainnet: FakeRpc;
let noJupyter: { path: string; remove(): void };

beforeAll(async () => {
  home = mkdtempSync(join(tmpdir(), 'lnlab-refuse-'));
  env = { LNLAB_HOME: home, LNLAB_RPC_URL: `http://127.0.0.1:${await findFreePort()}` };
  mainnet = await startFakeRpc({ getblockchaininfo: { chain: 'main', blocks: 900_000, bestblockhash: '00'.repeat(32) } });
  noJupyter = pathWithoutJupyter();
});

afterAll(async () => {
  await mainnet.close();
  noJupyter.remove();
  rmSync(home, { recursive: true, force: true });
});

describe('lnlab start refuses', () => {
  it('without Jupyter: says how to install it, and starts nothing', async () => {
    const began = Date.now();
    const result = await runLnlab(['start', '--no-browser'], { ...env, PATH: noJupyter.path });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('Jupyter is not installed');
    for (const command of ['pipx install jupyterlab', 'pip install jupyterlab', 'sudo apt-get install jupyter-notebook', 'conda install -c conda-forge jupyterlab']) {
      expect(result.stderr).toContain(command);
    }
    expect(result.stdout).not.toContain('Install JupyterLab just for this workshop');
    expect(Date.now() - began).toBeLessThan(10_000);
    expect(existsSync(join(home, 'regtest', 'node.json'))).toBe(false);
  });

  it('without Jupyter on a Debian-like machine: says the one command that installs it here, exit 1', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'lnlab-debian-path-'));
    try {
      symlinkSync(process.execPath, join(folder, 'node'));
      writeFileSync(join(folder, 'apt-get'), '#!/bin/sh\nexit 1\n');
      chmodSync(join(folder, 'apt-get'), 0o755);
      const result = await runLnlab(['start', '--no-browser'], { ...env, PATH: folder });
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/Install it with this, then run `npm start` again:\n +(sudo )?apt-get install jupyter-notebook jupyter-nbconvert python3-nbclient/);
      expect(result.stderr).not.toContain('conda');
      expect(existsSync(join(home, 'workshop.json'))).toBe(false);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('a node on another chain, before starting Jupyter', async () => {
    const result = await runLnlab(['start', '--no-browser'], { ...env, LNLAB_RPC_URL: mainnet.url });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`the node at ${mainnet.url} is on chain "main", expected "regtest"`);
    expect(existsSync(join(home, 'jupyter', 'server.log'))).toBe(false);
  });

  it('an old Node.js', async () => {
    const result = await runLnlab(['start'], { ...env, LNLAB_SIMULATE_NODE_VERSION: '18.0.0' });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('this is Node.js 18.0.0; the workshop needs 20.19.0 or newer');
  });

  it('an unknown option, with the usage', async () => {
    const result = await runLnlab(['start', '--port', 'eighty'], env);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--port expects a port number');
    expect(result.stderr).toContain('lnlab start [--no-browser] [--port N]');
  });
});
