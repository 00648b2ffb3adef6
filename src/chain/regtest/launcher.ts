/**
 * Starts, finds and stops the embedded regtest node (`embedded-node-main.ts`, bcoin in a child process).
 *
 * Two kinds of node come out of here:
 * - the learner's node, started by `lnlab regtest start`: detached (it outlives the command), chain data
 *   in `.lnlab/regtest/chain`, found again later through `.lnlab/regtest/node.json`;
 * - a throwaway node for a test or a notebook check: in memory, on a free port, ended with its parent.
 */
import { PROJECT_ROOT, lnlabHome } from '../../util/paths.js';
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BitcoindClient } from '../bitcoind-client.js';
import { DEFAULT_RPC_PASSWORD, DEFAULT_RPC_USER, rpcConfigFromEnv, rpcPort, rpcWarmupTimeoutMs, type RpcConfig } from '../config.js';
import { NodeUnreachableError, SEE_CORE_LOG } from '../errors.js';
import { WorkshopError } from '../../errors.js';

export { PROJECT_ROOT };
const NODE_MAIN = join(PROJECT_ROOT, 'src', 'chain', 'regtest', 'embedded-node-main.ts');

/** A node that takes longer than this to answer RPC after spawning has failed (it takes ~1 s). */
const START_TIMEOUT_MS = 30_000;
/** SIGTERM gives bcoin time to flush its database; past this, SIGKILL. */
const STOP_TIMEOUT_MS = 10_000;
/** Polling a node that is starting: often enough to go on within a moment of it being ready. */
const READY_POLL_MS = 100;
/**
 * Docker publishes a container's port before the program inside listens: for a moment after
 * `docker compose up -d`, 127.0.0.1:18443 accepts connections and drops them. Bitcoin Core opens its
 * RPC port within seconds of starting, so a port that is taken but silent this long is something else.
 */
const SILENT_PORT_WAIT_MS = 15_000;

/** Where the learner's node keeps its state: `$LNLAB_HOME` or `<repo>/.lnlab`, then `regtest/`. */
export function regtestStateDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(lnlabHome(env), 'regtest');
}

export class NodeStartError extends WorkshopError {
  constructor(message: string, fix: string) {
    super('NODE_START_FAILED', message, fix);
  }
}

/** A running embedded node. */
export interface RunningNode {
  readonly pid: number;
  readonly config: RpcConfig;
  readonly logFile: string | undefined;
}

interface StartOptions {
  readonly port: number;
  readonly password: string;
  /** Chain data folder; in memory when absent. */
  readonly datadir?: string;
  /** Keep running after the parent exits (the learner's node). Otherwise it dies with its parent. */
  readonly detached: boolean;
  readonly logFile?: string;
}

function spawnNode(options: StartOptions): ChildProcess {
  const args = ['--import', 'tsx', NODE_MAIN, '--port', String(options.port), '--password', options.password];
  if (options.datadir) args.push('--datadir', options.datadir);
  else args.push('--memory');
  if (!options.detached) args.push('--exit-with-parent');
  const out = options.logFile ? openSync(options.logFile, 'a') : 'ignore';
  // cwd is the repository so that `--import tsx` resolves from its node_modules.
  const child = spawn(process.execPath, args, {
    cwd: PROJECT_ROOT,
    detached: options.detached,
    stdio: options.detached ? ['ignore', out, out] : ['ignore', out, out, 'ipc'],
  });
  if (typeof out === 'number') closeSync(out);
  if (options.detached) child.unref();
  else {
    // The IPC channel is only there so the child notices when we die; it must not keep us alive.
    child.unref();
    child.channel?.unref();
  }
  return child;
}

/** Polls the node until it answers as a regtest node, the child exits, or the timeout passes. */
async function waitUntilAnswering(child: ChildProcess, config: RpcConfig, logFile?: string): Promise<void> {
  const client = new BitcoindClient(config, { timeoutMs: 2_000 });
  let exited: number | null | undefined;
  child.once('exit', (code) => {
    exited = code;
  });
  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    if (exited !== undefined) {
      const tail = logFile && existsSync(logFile) ? readFileSync(logFile, 'utf8').slice(-800) : '';
      throw new NodeStartError(
        `the embedded regtest node exited (code ${exited}) before answering on ${config.url}${tail ? `:\n${tail}` : ''}`,
        'run `npx lnlab regtest reset` if the chain data is damaged, or `npx lnlab doctor` to check the set-up',
      );
    }
    try {
      // A node of ours never warms up the way Core does, but "still starting" is "not yet" all the same.
      if ((await client.probe()).state === 'ready') return;
    } catch (err) {
      if (!(err instanceof NodeUnreachableError)) throw err;
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new NodeStartError(
        `the embedded regtest node did not answer on ${config.url} within ${START_TIMEOUT_MS / 1000} s`,
        'look at the node log for the cause, then try `npx lnlab regtest start` again',
      );
    }
    await new Promise((resolve) => setTimeout(resolve, READY_POLL_MS));
  }
}

/** A TCP port nobody listens on right now, chosen by the OS. */
export function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Whether nothing listens on `port` at `host` right now (checked by listening on it for a moment). */
export function isPortFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/** Whether a process with this pid exists (signal 0 checks without sending anything). */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Sends SIGTERM, waits for the process to go, then SIGKILL if it lingers. */
export async function terminateProcess(pid: number, timeoutMs = STOP_TIMEOUT_MS): Promise<void> {
  if (!isProcessAlive(pid)) return;
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + timeoutMs;
  while (isProcessAlive(pid)) {
    if (Date.now() > deadline) {
      process.kill(pid, 'SIGKILL');
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * A throwaway node for one test file or one notebook check: in memory, on a free port, stopped by
 * `stop()` and in any case when this process exits.
 */
export async function startThrowawayNode(): Promise<RunningNode & { stop(): Promise<void> }> {
  const port = await findFreePort();
  const config: RpcConfig = Object.freeze({
    url: `http://127.0.0.1:${port}`,
    username: DEFAULT_RPC_USER,
    password: DEFAULT_RPC_PASSWORD,
  });
  const child = spawnNode({ port, password: config.password, detached: false });
  await waitUntilAnswering(child, config);
  const pid = child.pid!;
  return {
    pid,
    config,
    logFile: undefined,
    stop: () => terminateProcess(pid),
  };
}

/** What `node.json` in the state folder remembers about the learner's node. */
interface NodeRecord {
  readonly pid: number;
  readonly url: string;
}

function recordFile(stateDir: string): string {
  return join(stateDir, 'node.json');
}

function readRecord(stateDir: string): NodeRecord | undefined {
  try {
    const record = JSON.parse(readFileSync(recordFile(stateDir), 'utf8')) as NodeRecord;
    return Number.isInteger(record.pid) && typeof record.url === 'string' ? record : undefined;
  } catch {
    return undefined;
  }
}

export type RegtestStatus =
  | { readonly state: 'embedded'; readonly pid: number; readonly url: string; readonly height: number }
  | { readonly state: 'external'; readonly url: string; readonly height: number; readonly backend: string }
  /** A node answers but is still starting (Bitcoin Core's error -28); `activity` is what it says it does. */
  | { readonly state: 'starting'; readonly url: string; readonly activity: string }
  | { readonly state: 'stopped'; readonly url: string };

/** A status check must answer at once: a node slower than this to reply counts as not answering. */
const STATUS_TIMEOUT_MS = 2_000;

/**
 * Is the learner's node running, is some other regtest node (docker's Core) answering instead, or is
 * one still starting? Answers at once: it never waits for a starting node.
 */
export async function regtestStatus(config: RpcConfig = rpcConfigFromEnv(), stateDir = regtestStateDir()): Promise<RegtestStatus> {
  const record = readRecord(stateDir);
  const client = new BitcoindClient(config, { timeoutMs: STATUS_TIMEOUT_MS });
  let height: number;
  try {
    const readiness = await client.probe();
    if (readiness.state === 'warming-up') return { state: 'starting', url: config.url, activity: readiness.activity };
    height = readiness.info.blocks;
  } catch (err) {
    if (err instanceof NodeUnreachableError) return { state: 'stopped', url: config.url };
    throw err;
  }
  if (record && record.url === config.url && isProcessAlive(record.pid)) {
    return { state: 'embedded', pid: record.pid, url: config.url, height };
  }
  return { state: 'external', url: config.url, height, backend: await client.getBackend() };
}

export interface StartRegtestOptions {
  /** Told what a node that is still starting reports, each time it changes (see `BitcoindClient`). */
  readonly onWarmup?: (activity: string) => void;
  /** Told just before the embedded node is spawned (not when a node that is there is used). */
  readonly onSpawn?: () => void;
}

/** A node that is ready: what `startRegtest` resolves with. */
export type ReadyRegtestStatus = Extract<RegtestStatus, { state: 'embedded' | 'external' }> & { readonly started: boolean };


/**
 * Waits for a node whose port is taken but that does not answer yet (docker's port is published before
 * Core listens), then for it to finish starting. Throws `NodeStartError` if it never answers.
 */
async function waitForSilentPort(config: RpcConfig, options: StartRegtestOptions): Promise<void> {
  const client = new BitcoindClient(config, { timeoutMs: STATUS_TIMEOUT_MS, ...(options.onWarmup ? { onWarmup: options.onWarmup } : {}) });
  const waitMs = Math.min(SILENT_PORT_WAIT_MS, rpcWarmupTimeoutMs());
  const deadline = Date.now() + waitMs;
  options.onWarmup?.(`port ${rpcPort(config)} is open but nothing answers JSON-RPC there yet (Bitcoin Core in docker, booting?)`);
  for (;;) {
    try {
      await client.ensureRegtest();
      return;
    } catch (err) {
      if (!(err instanceof NodeUnreachableError)) throw err;
    }
    if (Date.now() > deadline) {
      throw new NodeStartError(
        `something holds port ${rpcPort(config)} but has not answered JSON-RPC at ${config.url} in ${waitMs / 1000} s, so the embedded node cannot start there`,
        `if it is Bitcoin Core in docker, ${SEE_CORE_LOG}; otherwise stop what listens on port ${rpcPort(config)}, or set LNLAB_RPC_URL to another port (e.g. http://127.0.0.1:18543)`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, READY_POLL_MS));
  }
}

/**
 * Starts the learner's embedded node unless a regtest node already answers at the configured address
 * (then it is used as is: starting twice gives one node). A node that is still starting (Bitcoin Core
 * answering -28, or docker's port open before Core listens) is waited for, not replaced. Resolves once
 * RPC answers and the node is ready.
 */
export async function startRegtest(
  config: RpcConfig = rpcConfigFromEnv(),
  stateDir = regtestStateDir(),
  options: StartRegtestOptions = {},
): Promise<ReadyRegtestStatus> {
  const before = await regtestStatus(config, stateDir);
  if (before.state === 'embedded' || before.state === 'external') return { ...before, started: false };

  const host = new URL(config.url).hostname;
  const local = host === '127.0.0.1' || host === 'localhost';
  if (before.state === 'starting' || (local && !(await isPortFree(rpcPort(config))))) {
    if (before.state === 'starting') {
      options.onWarmup?.(before.activity);
      await new BitcoindClient(config, { ...(options.onWarmup ? { onWarmup: options.onWarmup } : {}) }).ensureRegtest();
    } else {
      await waitForSilentPort(config, options);
    }
    return readyStatus(config, stateDir, false);
  }
  if (!local) {
    throw new NodeStartError(
      `LNLAB_RPC_URL points at ${config.url}; the embedded node only listens on 127.0.0.1`,
      'unset LNLAB_RPC_URL to use the embedded node, or start the node at that address yourself',
    );
  }
  options.onSpawn?.();
  mkdirSync(stateDir, { recursive: true });
  const logFile = join(stateDir, 'node.log');
  const child = spawnNode({
    port: rpcPort(config),
    password: config.password,
    datadir: join(stateDir, 'chain'),
    detached: true,
    logFile,
  });
  await waitUntilAnswering(child, config, logFile);
  writeFileSync(recordFile(stateDir), JSON.stringify({ pid: child.pid!, url: config.url } satisfies NodeRecord));
  return readyStatus(config, stateDir, true);
}

/** The status of a node that has just been seen ready; a node that vanished again is an error. */
async function readyStatus(config: RpcConfig, stateDir: string, started: boolean): Promise<ReadyRegtestStatus> {
  const status = await regtestStatus(config, stateDir);
  if (status.state === 'embedded' || status.state === 'external') return { ...status, started };
  throw new NodeStartError(`the regtest node at ${config.url} stopped answering just after it was ready`, 'run `npx lnlab doctor` to see what is wrong');
}

/** Stops the learner's embedded node; resolves with its pid, or `undefined` when none was running. */
export async function stopRegtest(stateDir = regtestStateDir()): Promise<number | undefined> {
  const record = readRecord(stateDir);
  rmSync(recordFile(stateDir), { force: true });
  if (!record || !isProcessAlive(record.pid)) return undefined;
  await terminateProcess(record.pid);
  return record.pid;
}

/** Stops the embedded node and deletes its chain: the next start begins at block 0. */
export async function resetRegtest(stateDir = regtestStateDir()): Promise<void> {
  await stopRegtest(stateDir);
  rmSync(join(stateDir, 'chain'), { recursive: true, force: true });
}
