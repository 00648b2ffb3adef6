/**
 * `lnlab start --port N` with a regtest node already running (as docker compose's Bitcoin Core would be):
 * it serves Jupyter on exactly port N, uses that node, and on Ctrl-C stops Jupyter but leaves the node it
 * did not start running.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BitcoindClient, findFreePort, isProcessAlive, PROJECT_ROOT, startThrowawayNode, type RunningNode } from '../../src/internal.js';
import { RunningCommand } from './running-command.js';

let home: string;
let node: RunningNode & { stop(): Promise<void> };
let start: RunningCommand;
let port: number;

beforeAll(async () => {
  home = mkdtempSync(join(tmpdir(), 'lnlab-existing-'));
  node = await startThrowawayNode();
  port = await findFreePort();
  start = new RunningCommand(process.execPath, ['bin/lnlab.js', 'start', '--no-browser', '--port', String(port)], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, LNLAB_HOME: home, LNLAB_RPC_URL: node.config.url },
  });
});

afterAll(async () => {
  start.kill();
  await node.stop();
  rmSync(home, { recursive: true, force: true });
});

describe('lnlab start with a node already running', () => {
  it('uses that node and serves Jupyter on the port asked for', async () => {
    const [url] = await start.waitFor(/http:\/\/127\.0\.0\.1:\d+\/\S*\?token=[0-9a-f]+/, 30_000);
    expect(url).toContain(`http://127.0.0.1:${port}/`);
    expect((await fetch(url!, { redirect: 'manual' })).status).toBe(200);
    expect(start.output).toContain(`regtest node: bcoin (not started by lnlab) at ${node.config.url}`);
    expect(start.output).not.toContain('starting the embedded node');
  });

  it('on Ctrl-C stops Jupyter but not the node', async () => {
    await start.interrupt();
    expect(start.output).toContain('✅ stopped Jupyter and its kernels\n');
    await expect(fetch(`http://127.0.0.1:${port}/api`)).rejects.toThrow();
    expect(isProcessAlive(node.pid)).toBe(true);
    await new BitcoindClient(node.config).ensureRegtest();
  });
});
