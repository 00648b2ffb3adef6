import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BitcoindClient, findFreePort, isProcessAlive } from '../../src/internal.js';
import { runLnlab } from '../helpers/cli.js';

let home: string;
let env: NodeJS.ProcessEnv;
let url: string;

beforeAll(async () => {
  home = mkdtempSync(join(tmpdir(), 'lnlab-cli-'));
  url = `http://127.0.0.1:${await findFreePort()}`;
  env = { LNLAB_HOME: home, LNLAB_RPC_URL: url };
});

afterAll(async () => {
  await runLnlab(['regtest', 'stop'], env);
  rmSync(home, { recursive: true, force: true });
});

function recordedPid(): number {
  return (JSON.parse(readFileSync(join(home, 'regtest', 'node.json'), 'utf8')) as { pid: number }).pid;
}

describe('lnlab regtest', () => {
  it('start prints the RPC URL and leaves a regtest node answering', async () => {
    const started = await runLnlab(['regtest', 'start'], env);
    expect(started.code, started.stderr).toBe(0);
    expect(started.stdout).toContain(`RPC URL: ${url}`);
    const client = await BitcoindClient.connect({ url, username: 'lnlab', password: 'lnlab' });
    expect((await client.getBlockchainInfo()).chain).toBe('regtest');
  });

  it('start twice gives one node', async () => {
    const pid = recordedPid();
    const again = await runLnlab(['regtest', 'start'], env);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('already running');
    expect(recordedPid()).toBe(pid);
    expect(isProcessAlive(pid)).toBe(true);
  });

  it('mine N and status report the height', async () => {
    const mined = await runLnlab(['regtest', 'mine', '4'], env);
    expect(mined.code, mined.stderr).toBe(0);
    expect(mined.stdout).toContain('height is now 4');
    const status = await runLnlab(['regtest', 'status'], env);
    expect(status.stdout).toMatch(/embedded regtest node running \(pid \d+\).*height 4/);
  });

  it('keeps the chain across stop and start, and reset deletes it', async () => {
    const pid = recordedPid();
    const stopped = await runLnlab(['regtest', 'stop'], env);
    expect(stopped.stdout).toContain(`stopped the embedded regtest node (pid ${pid})`);
    expect(isProcessAlive(pid)).toBe(false);
    const status = await runLnlab(['regtest', 'status'], env);
    expect(status.code).toBe(3);
    expect(status.stdout).toContain('no regtest node answers');

    await runLnlab(['regtest', 'start'], env);
    const client = new BitcoindClient({ url, username: 'lnlab', password: 'lnlab' });
    expect((await client.getBestBlock()).height).toBe(4);

    const secondPid = recordedPid();
    const reset = await runLnlab(['regtest', 'reset'], env);
    expect(reset.code).toBe(0);
    expect(isProcessAlive(secondPid)).toBe(false);
    await runLnlab(['regtest', 'start'], env);
    expect((await client.getBestBlock()).height).toBe(0);
  });

  it('stop leaves no node process behind', async () => {
    const pid = recordedPid();
    await runLnlab(['regtest', 'stop'], env);
    expect(isProcessAlive(pid)).toBe(false);
  });

  it('answers a bad command with the usage and exit code 2', async () => {
    const bad = await runLnlab(['regtest', 'mine', 'lots'], env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('expected a number of blocks');
    expect(bad.stderr).toContain('lnlab regtest mine [N]');
  });

  it('mine without a node says how to start one', async () => {
    const mined = await runLnlab(['regtest', 'mine', '1'], env);
    expect(mined.code).toBe(1);
    expect(mined.stderr).toContain('lnlab regtest start');
    expect(mined.stderr).toContain('docker compose up');
  });
});
