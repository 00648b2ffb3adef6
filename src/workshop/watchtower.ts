/**
 * A watchtower: a ChainMonitor in a process of its own, loaded from a copy of a node's FileStore, that
 * keeps up with the chain and punishes any revoked commitment — even while the node itself is down.
 * Notebook 06 starts one with `spawnWatchtower` and talks to it through the JSON lines it prints.
 *
 * It runs the reference ChainMonitor (a separate process cannot see a notebook's cells). It follows the
 * best chain by height and ignores reorganisations: enough for regtest, where only we mine.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ChainMonitor } from '../node/chain-monitor.js';
import { referenceNode } from '../curriculum/references.js';
import type { BitcoindClient } from '../chain/bitcoind-client.js';
import { PROJECT_ROOT } from '../chain/regtest/launcher.js';
import { FileStore } from '../persist/file-store.js';
import { KVStoreMonitorPersister, WholeMonitorPersist } from '../persist/monitor-persister.js';
import { TSX_LOADER } from './setup/kernel.js';

/** The script `spawnWatchtower` runs: `node <it> <store folder>`. */
export const WATCHTOWER_SCRIPT = join(PROJECT_ROOT, 'src', 'workshop', 'watchtower-main.ts');
/** How often the tower asks the node for a new tip; regtest blocks come when we mine them. */
export const WATCHTOWER_POLL_MS = 200;

/** What the tower reports, one JSON object per line on stdout. */
export type WatchtowerEvent =
  | { readonly kind: 'ready'; readonly channels: number; readonly height: number; readonly caughtUpBlocks: number }
  | { readonly kind: 'block'; readonly height: number }
  | { readonly kind: 'justice'; readonly height: number; readonly channel: string; readonly revokedTxid: string; readonly justiceTxid: string }
  | { readonly kind: 'error'; readonly message: string };

/** Every claim txid of every monitor, by `<monitor key> <claimed outpoint>`. */
function claimsOf(chainMonitor: ChainMonitor): Map<string, string> {
  const claims = new Map<string, string>();
  for (const [key, monitor] of chainMonitor.monitors) for (const [outpoint, txid] of monitor.claims) claims.set(`${key} ${outpoint}`, txid);
  return claims;
}

/**
 * Loads every monitor in the FileStore at `storeDir`, catches up to the tip, then connects each new block
 * until `signal` aborts, reporting through `report`. Resolves when stopped.
 */
export async function runWatchtower(storeDir: string, client: BitcoindClient, report: (event: WatchtowerEvent) => void, signal: AbortSignal): Promise<void> {
  const persister = new WholeMonitorPersist(new KVStoreMonitorPersister(await FileStore.open(storeDir)));
  const { ChainMonitor } = await referenceNode();
  const chainMonitor = await ChainMonitor.load(persister, client, client);
  let known = claimsOf(chainMonitor);
  const reportNewClaims = (height: number) => {
    const now = claimsOf(chainMonitor);
    for (const [where, justiceTxid] of now) {
      if (known.has(where)) continue;
      const [key] = where.split(' ');
      const closure = chainMonitor.monitors.get(key!)?.closure;
      if (closure?.kind === 'RevokedCommitment') report({ kind: 'justice', height, channel: key!, revokedTxid: closure.txid, justiceTxid });
    }
    known = now;
  };
  const caughtUpBlocks = await chainMonitor.syncToTip(client);
  let height = (await client.getBestBlock()).height;
  reportNewClaims(height);
  report({ kind: 'ready', channels: chainMonitor.monitors.size, height, caughtUpBlocks });
  while (!signal.aborted) {
    const tip = (await client.getBestBlock()).height;
    for (; height < tip; ) {
      height += 1;
      const block = await client.getBlock(await client.getBlockHash(height));
      await chainMonitor.transactionsConfirmed(block, block.transactions ?? [], height);
      report({ kind: 'block', height });
      reportNewClaims(height);
    }
    await new Promise((resolve) => setTimeout(resolve, WATCHTOWER_POLL_MS));
  }
}

/** A watchtower child process, and what it has reported so far. */
export class WatchtowerProcess {
  readonly events: WatchtowerEvent[] = [];
  private readonly child: ChildProcess;
  private readonly waiters = new Set<() => void>();
  private exited = false;

  constructor(child: ChildProcess) {
    this.child = child;
    let partial = '';
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      const lines = (partial + chunk).split('\n');
      partial = lines.pop()!;
      for (const line of lines.filter((l) => l.trim())) {
        try {
          this.events.push(JSON.parse(line) as WatchtowerEvent);
        } catch {
          this.events.push({ kind: 'error', message: line });
        }
      }
      for (const wake of this.waiters) wake();
    });
    child.on('exit', () => {
      this.exited = true;
      for (const wake of this.waiters) wake();
    });
  }

  /** The process id (the notebook stops exactly this process). */
  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Resolves with the first event `matches` accepts; rejects if the tower exits or `timeoutMs` passes first. */
  waitFor(matches: (event: WatchtowerEvent) => boolean, timeoutMs = 20_000): Promise<WatchtowerEvent> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => finish(new Error(`watchtower: no matching event within ${timeoutMs} ms; it said ${JSON.stringify(this.events)}`)), timeoutMs);
      const finish = (result: WatchtowerEvent | Error) => {
        clearTimeout(timer);
        this.waiters.delete(check);
        if (result instanceof Error) reject(result);
        else resolve(result);
      };
      const check = () => {
        const found = this.events.find(matches);
        if (found) finish(found);
        else if (this.exited) finish(new Error(`watchtower exited; it said ${JSON.stringify(this.events)}`));
      };
      this.waiters.add(check);
      check();
    });
  }

  /** Stops the tower (SIGTERM) and resolves once it has exited. */
  async stop(): Promise<void> {
    if (this.exited) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.kill('SIGTERM');
    await exited;
  }
}

/**
 * Starts a watchtower over the FileStore at `storeDir` in a new Node process, connected to the node of
 * `LNLAB_RPC_URL` (the same as the notebook's). Stop it with `stop()`.
 */
export function spawnWatchtower(storeDir: string, env: NodeJS.ProcessEnv = process.env): WatchtowerProcess {
  const child = spawn(process.execPath, [WATCHTOWER_SCRIPT, storeDir], {
    env: { ...env, NODE_OPTIONS: `--import ${pathToFileURL(TSX_LOADER).href}` },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new WatchtowerProcess(child);
}
