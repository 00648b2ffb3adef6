/**
 * A Bitcoin Core that is still starting answers JSON-RPC error -28 ("Loading block index…"): the client,
 * the launcher, `lnlab regtest` and `lnlab doctor` treat that as "wait", say what Core is doing, and only
 * after a time limit fail with a typed error that says how to read Core's log.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BitcoindClient, NodeWarmingUpError, PROJECT_ROOT, rpcWarmupTimeoutMs, ConfigError, DEFAULT_RPC_WARMUP_TIMEOUT_MS } from '../../src/internal.js';
import { runLnlab } from '../helpers/cli.js';
import { CORE_WARMUP, startWarmingRpc, type WarmingRpc } from './warming-rpc.js';

const CREDENTIALS = { username: 'lnlab', password: 'lnlab' };

let home: string;
let fake: WarmingRpc | undefined;

beforeAll(() => {
  home = mkdtempSync(join(tmpdir(), 'lnlab-warmup-'));
});

afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

afterAll(() => {
  rmSync(home, { recursive: true, force: true });
});

describe('BitcoindClient and a node that is still starting', () => {
  it('waits through -28, saying each thing Core reports once and in order, then works', async () => {
    // As Core does, each phase answers several polls; each is said once, when it begins.
    const phases = [CORE_WARMUP[0], CORE_WARMUP[0], CORE_WARMUP[1], CORE_WARMUP[2]];
    fake = await startWarmingRpc({ warmup: phases });
    const said: string[] = [];
    const client = new BitcoindClient({ url: fake.url, ...CREDENTIALS }, { onWarmup: (activity) => said.push(activity) });
    const best = await client.getBestBlock();
    expect(best.height).toBe(0);
    expect(said).toEqual([...CORE_WARMUP]);
    // Each warm-up answer was one request, then one for the regtest check and one for the call itself.
    expect(fake.requests).toEqual([...phases.map(() => 'getblockchaininfo'), 'getblockchaininfo', 'getblockchaininfo']);
    expect(await client.getBackend()).toBe('bitcoin-core');
  });

  it('probe() answers at once: warming up, and what Core is doing', async () => {
    fake = await startWarmingRpc({ warmup: 'forever' });
    const client = new BitcoindClient({ url: fake.url, ...CREDENTIALS });
    expect(await client.probe()).toEqual({ state: 'warming-up', activity: CORE_WARMUP[0] });
    expect(fake.requests).toHaveLength(1);
  });

  it('gives up after the time limit with NodeWarmingUpError naming Core\'s log', async () => {
    fake = await startWarmingRpc({ warmup: 'forever' });
    const client = new BitcoindClient({ url: fake.url, ...CREDENTIALS }, { warmupTimeoutMs: 600, onWarmup: () => undefined });
    const began = Date.now();
    const error = await client.ensureRegtest().then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(error).toBeInstanceOf(NodeWarmingUpError);
    expect(Date.now() - began).toBeGreaterThanOrEqual(600);
    const warming = error as NodeWarmingUpError;
    expect(warming.activity).toBe(CORE_WARMUP[0]);
    expect(warming.message).toContain(`the regtest node at ${fake.url} is still starting`);
    expect(warming.fix).toContain('docker compose logs --tail 50 bitcoind');
    // Several polls, with pauses between them, not one and not a busy loop.
    expect(fake.requests.length).toBeGreaterThan(2);
    expect(fake.requests.length).toBeLessThan(20);
  });

  it('names a docker compose service that exists', () => {
    const compose = readFileSync(join(PROJECT_ROOT, 'docker-compose.yml'), 'utf8');
    const service = new NodeWarmingUpError('http://x', 'y', 0).fix!.match(/docker compose logs --tail \d+ (\S+?)`/)![1]!;
    expect(compose).toMatch(new RegExp(`^  ${service}:$`, 'm'));
  });

  it('reads the time limit from LNLAB_RPC_WARMUP_TIMEOUT_S, and refuses a bad one', () => {
    expect(rpcWarmupTimeoutMs({})).toBe(DEFAULT_RPC_WARMUP_TIMEOUT_MS);
    expect(rpcWarmupTimeoutMs({ LNLAB_RPC_WARMUP_TIMEOUT_S: '2.5' })).toBe(2_500);
    expect(() => rpcWarmupTimeoutMs({ LNLAB_RPC_WARMUP_TIMEOUT_S: 'soon' })).toThrow(ConfigError);
    expect(() => rpcWarmupTimeoutMs({ LNLAB_RPC_WARMUP_TIMEOUT_S: '0' })).toThrow(/expected a number of seconds above 0, got "0"/);
  });
});

describe('lnlab and a Bitcoin Core that is still starting', () => {
  it('`regtest status` says it is starting and what it does, exit 3, without waiting', async () => {
    fake = await startWarmingRpc({ warmup: 'forever' });
    const status = await runLnlab(['regtest', 'status'], { LNLAB_HOME: home, LNLAB_RPC_URL: fake.url });
    expect(status.code).toBe(3);
    expect(status.stdout).toContain(`a regtest node answers at ${fake.url} but is still starting (${CORE_WARMUP[0]})`);
    expect(fake.requests).toHaveLength(1);
  });

  it('`regtest mine` waits for it, printing what it does, then mines', async () => {
    fake = await startWarmingRpc();
    // The fake cannot mine: the call after the wait is answered "method not found", which shows the
    // wait ended and the real call was made.
    const mined = await runLnlab(['regtest', 'mine', '1'], { LNLAB_HOME: home, LNLAB_RPC_URL: fake.url });
    for (const activity of CORE_WARMUP) expect(mined.stdout).toContain(`⏳ the regtest node is still starting: ${activity}`);
    expect(fake.requests).toContain('generatetoaddress');
    expect(mined.stderr).toContain('Method not found');
  });

  it('`regtest mine` gives up after LNLAB_RPC_WARMUP_TIMEOUT_S and says how to read Core\'s log', async () => {
    fake = await startWarmingRpc({ warmup: 'forever' });
    const mined = await runLnlab(['regtest', 'mine', '1'], { LNLAB_HOME: home, LNLAB_RPC_URL: fake.url, LNLAB_RPC_WARMUP_TIMEOUT_S: '1' });
    expect(mined.code).toBe(1);
    expect(mined.stderr).toContain(`the regtest node at ${fake.url} is still starting after 1 s: expected it to be ready, got "${CORE_WARMUP[0]}"`);
    expect(mined.stderr).toContain('docker compose logs --tail 50 bitcoind');
  });

  it('`regtest start` waits for a port docker opened before Core listens, then for Core to warm up', async () => {
    fake = await startWarmingRpc({ drops: 3 });
    const started = await runLnlab(['regtest', 'start'], { LNLAB_HOME: home, LNLAB_RPC_URL: fake.url });
    expect(started.code, started.stderr).toBe(0);
    expect(fake.dropped()).toBe(3);
    expect(started.stdout).toContain('is open but nothing answers JSON-RPC there yet');
    expect(started.stdout).not.toContain('starting the embedded regtest node');
    for (const activity of CORE_WARMUP) expect(started.stdout).toContain(activity);
    expect(started.stdout).toContain(`a regtest node (bitcoin-core) answers at ${fake.url}, height 0; it was not started by lnlab (already running)`);
  });

  it('`doctor` warns (⚠️, exit 0) that Core is starting, and how to watch it', async () => {
    fake = await startWarmingRpc({ warmup: 'forever' });
    const doctor = await runLnlab(['doctor'], { LNLAB_HOME: home, LNLAB_RPC_URL: fake.url });
    const line = doctor.stdout.split('\n').find((text) => text.includes(' regtest node: '));
    expect(line).toBe(`⚠️  regtest node: the node at ${fake.url} is still starting (${CORE_WARMUP[0]})`);
    expect(doctor.stdout).toContain('docker compose logs --tail 50 bitcoind');
    expect(doctor.code, doctor.stdout).toBe(0);
  });
});
