/**
 * `lnlab doctor`: all green on a set-up machine (node running, kernel registered, Jupyter installed), and
 * a precise ❌ with its fix — and a failing exit code — for each thing a learner's machine can lack.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findFreePort, startThrowawayNode } from '../../src/internal.js';
import { registerKernel } from '../../src/workshop/setup/kernel.js';
import { runLnlab } from '../helpers/cli.js';
import { startFakeRpc, type FakeRpc } from '../helpers/fake-rpc.js';
import { pathWithoutJupyter } from './path-without-jupyter.js';

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
    for (const check of ['Node.js', 'dependencies', 'kernel', 'Jupyter', 'regtest node', 'workspace']) {
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

  it('says no node answers, and how to start one', async () => {
    const url = `http://127.0.0.1:${await findFreePort()}`;
    const result = await runLnlab(['doctor'], { ...env, LNLAB_RPC_URL: url });
    expect(result.code).toBe(1);
    expect(line(result.stdout, 'regtest node')).toBe(`❌ regtest node: no regtest node answers at ${url}`);
    expect(result.stdout).toContain('`npm start` starts the embedded node');
    // The port the embedded node would use is free, so that check passes.
    expect(line(result.stdout, 'ports')).toContain(`${new URL(url).port} free for the embedded node`);
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
