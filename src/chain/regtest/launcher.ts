/**
 * Starts, finds and stops the embedded regtest node (`embedded-node-main.ts`, bcoin in a child process).
 *
 * Two kinds of node come out of here:
 * - the learner's node, started by `lnlab regtest start`: detached (it outlives the command), chain data
 *   in `.lnlab/regtest/chain`, found again later through `.lnlab/regtest/node.json`;
 * - a throwaway node for a test or a notebook check: in memory, on a free port, ended with its parent.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BitcoindClient } from '../bitcoind-client.js';
import { DEFAULT_RPC_PASSWORD, DEFAULT_RPC_USER, rpcConfigFromEnv, rpcPort, type RpcConfig } from '../config.js';
import { NodeUnreachableError } from '../errors.js';
import { WorkshopError } from '../../errors.js';

/** The repository root: three folders up from `src/chain/regtest/`. */
export const PROJECT_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const NODE_MAIN = join(dirname(fileURLToPath(import.meta.url)), 'embedded-node-main.ts');

/** A node that takes longer than this to answer RPC after spawning has failed (it takes ~1 s). */
const START_TIMEOUT_MS = 30_000;
/** SIGTERM gives bcoin time to flush its database; past this, SIGKILL. */
const STOP_TIMEOUT_MS = 10_000;

/** Where the learner's node keeps its state: `$LNLAB_HOME` or `<repo>/.lnlab`, then `regtest/`. */
export function regtestStateDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(env.LNLAB_HOME || join(PROJECT_ROOT, '.lnlab'), 'regtest');
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
      await client.ensureRegtest();
      return;
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
    await new Promise((resolve) => setTimeout(resolve, 100));
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
  | { readonly state: 'stopped'; readonly url: string };

/** Is the learner's node running, and is some other regtest node (docker's Core) answering instead? */
export async function regtestStatus(config: RpcConfig = rpcConfigFromEnv(), stateDir = regtestStateDir()): Promise<RegtestStatus> {
  const record = readRecord(stateDir);
  const client = new BitcoindClient(config, { timeoutMs: 2_000 });
  let height: number;
  try {
    height = (await client.getBestBlock()).height;
  } catch (err) {
    if (err instanceof NodeUnreachableError) return { state: 'stopped', url: config.url };
    throw err;
  }
  if (record && record.url === config.url && isProcessAlive(record.pid)) {
    return { state: 'embedded', pid: record.pid, url: config.url, height };
  }
  return { state: 'external', url: config.url, height, backend: await client.getBackend() };
}

/**
 * Starts the learner's embedded node unless a regtest node already answers at the configured address
 * (then it is used as is: starting twice gives one node). Resolves once RPC answers.
 */
export async function startRegtest(
  config: RpcConfig = rpcConfigFromEnv(),
  stateDir = regtestStateDir(),
): Promise<RegtestStatus & { started: boolean }> {
  const before = await regtestStatus(config, stateDir);
  if (before.state !== 'stopped') return { ...before, started: false };

  const host = new URL(config.url).hostname;
  if (host !== '127.0.0.1' && host !== 'localhost') {
    throw new NodeStartError(
      `LNLAB_RPC_URL points at ${config.url}; the embedded node only listens on 127.0.0.1`,
      'unset LNLAB_RPC_URL to use the embedded node, or start the node at that address yourself',
    );
  }
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
  const after = await regtestStatus(config, stateDir);
  return { ...after, started: true };
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
