/**
 * The regtest chain the ChannelManager checks run on, and the wallets they start with.
 *
 * Where the chain comes from: in a grading child, the node its parent gave it (`checkContext().chain`) —
 * `lnlab grade --class` checks a whole class on ONE node, two learners at a time, so nothing here assumes
 * it is alone on the chain (another child mines, spends faucet coins, confirms our transactions early). In
 * a process that may start processes (a test, a notebook kernel), a throwaway node, started on first use
 * and stopped once no check has used it for a few seconds.
 *
 * Wallets are funded in batches: ONE faucet transaction pays every wallet a run of the checks needs, and
 * ONE block confirms it, so a whole run of an exercise's checks costs a couple of blocks, not one per check.
 */
import type { Block } from 'bitcoinjs-lib';
import { Faucet } from '../../chain/regtest/faucet.js';
import { startThrowawayNode } from '../../chain/regtest/launcher.js';
import { KeysManager } from '../../ln/keys-manager.js';
import { OnChainWallet } from '../../wallet/wallet.js';
import { checkContext, checkRandomBytes } from '../check/context.js';
import { TargetedFeeEstimator } from './manager-doubles.js';
import { BitcoindClient } from '../../chain/bitcoind-client.js';
import type { RpcConfig } from '../../chain/config.js';
import { HttpRpcTransport } from '../../chain/http-rpc-transport.js';

/** A client over Node's `http`: `bitcoin-core` cannot be loaded in a grading child. */
const httpRpcClient = (config: RpcConfig) => new BitcoindClient(config, { transport: new HttpRpcTransport(config) });

/** A throwaway node no check has used for this long is stopped; the next check starts another (about a second). */
const IDLE_STOP_MS = 5_000;

/** The node the checks use: its client and a faucet of this process. */
export interface CheckChain {
  readonly client: BitcoindClient;
  readonly faucet: Faucet;
}

interface Held {
  /** `context:<url>` or `throwaway`: a new context (a new job in the same process) gets a new chain. */
  readonly source: string;
  readonly chain: Promise<CheckChain>;
  readonly stop?: () => Promise<void>;
  readonly banks: Map<WalletPlan, WalletBank>;
}

let held: Held | undefined;
let users = 0;
let idleTimer: NodeJS.Timeout | undefined;

function hold(): Held {
  const context = checkContext().chain;
  const source = context ? `context:${context.url}` : 'throwaway';
  if (held?.source === source) return held;
  if (held?.stop) void held.stop().catch(() => undefined);
  if (context) {
    const client = httpRpcClient(context);
    held = { source, chain: Faucet.create(client).then((faucet) => ({ client, faucet })), banks: new Map() };
  } else {
    const node = startThrowawayNode();
    const chain = node.then(async ({ config }) => {
      const client = httpRpcClient(config);
      return { client, faucet: await Faucet.create(client) };
    });
    held = { source, chain, stop: () => node.then((running) => running.stop()), banks: new Map() };
  }
  const mine = held;
  // A chain that failed to come up is forgotten, so the next check tries again.
  mine.chain.catch(() => {
    if (held === mine) held = undefined;
  });
  return mine;
}

/** Stops an idle throwaway node. */
function stopWhenIdle(): void {
  if (users > 0 || !held?.stop) return;
  const stopping = held;
  held = undefined;
  void stopping.stop!().catch(() => undefined);
}

/**
 * Runs `body` with the checks' chain, holding it while `body` runs (an in-process throwaway node stops
 * only when no check has held it for `IDLE_STOP_MS`).
 */
export async function withCheckChain<T>(body: (chain: CheckChain, bank: (plan: WalletPlan) => WalletBank) => Promise<T>): Promise<T> {
  users++;
  clearTimeout(idleTimer);
  const mine = hold();
  try {
    const chain = await mine.chain;
    const bank = (plan: WalletPlan) => {
      let found = mine.banks.get(plan);
      if (!found) mine.banks.set(plan, (found = new WalletBank(chain, plan)));
      return found;
    };
    return await body(chain, bank);
  } finally {
    users--;
    if (users === 0 && mine.stop) {
      idleTimer = setTimeout(stopWhenIdle, IDLE_STOP_MS);
      idleTimer.unref();
    }
  }
}

/** Which wallets a run of the checks needs: by name, the coins (in sat) each starts with. */
export type WalletPlan = Readonly<Record<string, readonly bigint[]>>;

/** A wallet whose coins are confirmed, its keys, and the fee estimator it was built with. */
export interface FundedWallet {
  readonly keysManager: KeysManager;
  readonly wallet: OnChainWallet;
  readonly feeEstimator: TargetedFeeEstimator;
  /** What its coins add up to. */
  readonly fundedSat: bigint;
  /** The block that confirmed its coins. */
  readonly fundingHeight: number;
}

/** Wallets for every name of a plan, funded a batch at a time: one transaction, one block per batch. */
export class WalletBank {
  readonly #ready = new Map<string, FundedWallet[]>();
  #batch: Promise<void> | undefined;

  constructor(private readonly chain: CheckChain, private readonly plan: WalletPlan) {}

  /** A funded wallet for `name`, used by nobody else; funds a new batch of the whole plan when none is left. */
  async take(name: string): Promise<FundedWallet> {
    if (!this.plan[name]) throw new RangeError(`WalletBank.take: expected one of ${Object.keys(this.plan).join(', ')}, got ${name}`);
    for (;;) {
      const wallet = this.#ready.get(name)?.shift();
      if (wallet) return wallet;
      this.#batch ??= this.#fundBatch().finally(() => {
        this.#batch = undefined;
      });
      await this.#batch;
    }
  }

  async #fundBatch(): Promise<void> {
    const { client, faucet } = this.chain;
    const wallets = Object.entries(this.plan).map(([name, coins]) => {
      const keysManager = new KeysManager(checkRandomBytes());
      const feeEstimator = new TargetedFeeEstimator();
      return { name, coins, keysManager, feeEstimator, wallet: new OnChainWallet(keysManager, feeEstimator) };
    });
    const payments = wallets.flatMap(({ wallet, coins }) => coins.map((amountSat) => ({ outputScript: wallet.receiveScript(), amountSat })));
    const { height: before } = await client.getBestBlock();
    const { txid } = (await faucet.fundMany(payments))[0]!;
    await faucet.mine(1);
    const { block, height } = await blockWith(this.chain, txid, before + 1);
    for (const { name, coins, keysManager, feeEstimator, wallet } of wallets) {
      wallet.blockConnected(block, height);
      const fundedSat = coins.reduce((sum, coin) => sum + coin, 0n);
      const list = this.#ready.get(name) ?? [];
      list.push({ keysManager, wallet, feeEstimator, fundedSat, fundingHeight: height });
      this.#ready.set(name, list);
    }
  }
}

/**
 * The block at or above `fromHeight` that holds `txid`. Usually the block just mined — but on a shared node
 * another process may have mined it into an earlier one.
 */
export async function blockWith(chain: CheckChain, txid: string, fromHeight: number): Promise<{ block: Block; height: number }> {
  const { height: tip } = await chain.client.getBestBlock();
  for (let height = fromHeight; height <= tip; height++) {
    const block = await chain.client.getBlock(await chain.client.getBlockHash(height));
    if (block.transactions?.some((tx) => tx.getId() === txid)) return { block, height };
  }
  throw new Error(`check setup: transaction ${txid} is in no block from ${fromHeight} to ${tip}`);
}
