/**
 * A regtest faucet that needs no wallet and no keys.
 *
 * Blocks are mined to a pay-to-witness-script-hash of the one-opcode script `OP_TRUE`: anyone can spend
 * such an output by revealing the script, which is exactly right on a throwaway regtest chain and means
 * the faucet works the same against bcoin and Bitcoin Core (neither needs a wallet). Coinbase outputs
 * mature after 100 blocks, so the faucet mines 101 blocks before its first payment.
 *
 * **Several faucets on one node** (two grading processes checking two learners at once, a notebook next to
 * a test): every faucet finds the same coinbases, and bcoin's `gettxout` still calls an output unspent when
 * only a mempool transaction spends it, so two faucets can pick the same coin. The node then refuses the
 * second spend as a double spend; the faucet drops that coin (someone else has it) and pays from the next
 * one, in a fixed order (its own change first, then coinbases by height), so the outcome depends only on
 * which broadcast reached the node first. Payments of one faucet run one at a time.
 */
import { DUST_LIMIT_SAT } from '../../ln/fees.js';
import { Transaction, payments, opcodes } from 'bitcoinjs-lib';
import type { BitcoindClient } from '../bitcoind-client.js';
import { BroadcastRejectedError } from '../errors.js';
import { WorkshopError } from '../../errors.js';

/** The witness script `OP_TRUE`: spent by revealing it, no signature. */
export const FAUCET_WITNESS_SCRIPT = Uint8Array.of(opcodes.OP_TRUE!);
/** P2WSH(OP_TRUE): where `lnlab regtest mine` and the faucet send block rewards. */
export const FAUCET_OUTPUT_SCRIPT: Uint8Array = payments.p2wsh({ redeem: { output: FAUCET_WITNESS_SCRIPT } }).output!;

/** Consensus rule: a coinbase output can be spent once it has 100 confirmations. */
const COINBASE_MATURITY = 100;
/** 10 sat/vbyte: ten times the relay floor of both backends, so a faucet payment is never refused for its fee. */
const FAUCET_FEERATE_SAT_PER_VBYTE = 10n;
/** Payments per faucet transaction: far more than a check needs, few enough to stay a standard-sized transaction. */
export const MAX_FAUCET_OUTPUTS = 100;

/**
 * How the node words "an input of this transaction is already spent", per backend: bcoin's mempool says
 * `bad-txns-inputs-spent` (spent in the mempool); the embedded node and Core say
 * `bad-txns-inputs-missingorspent` (spent in a block); Core says `txn-mempool-conflict`, or refuses a
 * replacement that does not pay more (`insufficient fee, rejecting replacement`) under full RBF.
 */
const SPENT_INPUT_REASONS = ['inputs-spent', 'missingorspent', 'mempool-conflict', 'rejecting replacement'];

/** Whether the node refused a transaction because another one already spends its input. */
export function isSpentInputRejection(err: unknown): boolean {
  return err instanceof BroadcastRejectedError && SPENT_INPUT_REASONS.some((reason) => err.reason.includes(reason));
}

export interface FundedOutput {
  readonly txid: string;
  readonly vout: number;
  readonly amountSat: bigint;
  readonly outputScript: Uint8Array;
  /** The funding transaction (already broadcast, not yet confirmed unless you mine). */
  readonly tx: Transaction;
}

/** One payment of a `fundMany` transaction. */
export interface FaucetPayment {
  readonly outputScript: Uint8Array;
  readonly amountSat: bigint;
}

interface Coin {
  readonly txid: string;
  readonly vout: number;
  readonly amountSat: bigint;
}

export class FaucetEmptyError extends WorkshopError {
  constructor(wantedSat: bigint) {
    super('FAUCET_EMPTY', `faucet: expected a mature coin holding ${wantedSat} sat, got none`, 'mine more blocks (`npx lnlab regtest mine 101`) and try again');
  }
}

export class Faucet {
  private readonly client: BitcoindClient;
  /** Coins we know are ours and unspent: change outputs first, then coinbases found by scanning. */
  private readonly coins: Coin[] = [];
  /** Next block height whose coinbase we have not looked at yet. */
  private nextHeightToScan = 1;
  /** The tail of this faucet's payments: each waits for the one before (they share `coins`). */
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(client: BitcoindClient) {
    this.client = client;
  }

  /** A faucet on this node; mines the first 101 blocks when the chain is younger than that. */
  static async create(client: BitcoindClient): Promise<Faucet> {
    const faucet = new Faucet(client);
    const { height } = await client.getBestBlock();
    if (height <= COINBASE_MATURITY) await faucet.mine(COINBASE_MATURITY + 1 - height);
    return faucet;
  }

  /** Mines `count` blocks to the faucet's script (their rewards refill it). */
  mine(count = 1): Promise<string[]> {
    return this.client.mineBlocks(count, FAUCET_OUTPUT_SCRIPT);
  }

  /** Pays `amountSat` to `outputScript` and broadcasts it; mine a block to confirm it. */
  async fund(outputScript: Uint8Array, amountSat: bigint): Promise<FundedOutput> {
    const [funded] = await this.fundMany([{ outputScript, amountSat }]);
    return funded!;
  }

  /**
   * Pays every one of `payments` in ONE transaction (output `i` is payment `i`) and broadcasts it: funding
   * many wallets costs one transaction and, once mined, one block.
   */
  async fundMany(payments: readonly FaucetPayment[]): Promise<FundedOutput[]> {
    if (payments.length === 0 || payments.length > MAX_FAUCET_OUTPUTS) {
      throw new RangeError(`faucet.fundMany: expected 1 to ${MAX_FAUCET_OUTPUTS} payments, got ${payments.length}`);
    }
    payments.forEach(({ amountSat }, i) => {
      if (typeof amountSat !== 'bigint' || amountSat <= 0n) throw new RangeError(`faucet.fundMany: payments[${i}] expected a positive amount in sat, got ${amountSat}`);
    });
    // Queued before the first `await`, so payments run in the order they were asked for.
    const run = this.queue.then(() => this.payNow(payments));
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Pays from the next coin that covers it; a coin another spender took first is dropped for the next one. */
  private async payNow(payments: readonly FaucetPayment[]): Promise<FundedOutput[]> {
    const totalSat = payments.reduce((sum, p) => sum + p.amountSat, 0n);
    for (;;) {
      // The fee with a change output is the most the payment can cost.
      const coin = await this.takeCoin(totalSat + feeSat(payments, true));
      const { tx, changeSat } = buildPayment(coin, payments);
      try {
        await this.client.broadcastTransactions(tx);
      } catch (err) {
        if (isSpentInputRejection(err)) continue; // another faucet spent it: it is not ours any more
        this.coins.unshift(coin);
        throw err;
      }
      const txid = tx.getId();
      if (changeSat > 0n) this.coins.unshift({ txid, vout: payments.length, amountSat: changeSat });
      return payments.map(({ outputScript, amountSat }, vout) => Object.freeze({ txid, vout, amountSat, outputScript, tx }));
    }
  }

  private async takeCoin(minimumSat: bigint): Promise<Coin> {
    for (;;) {
      const index = this.coins.findIndex((coin) => coin.amountSat >= minimumSat);
      if (index >= 0) return this.coins.splice(index, 1)[0]!;
      if (!(await this.scanOneCoinbase())) throw new FaucetEmptyError(minimumSat);
    }
  }

  /** Looks at the next mature coinbase; keeps it when it pays the faucet and is unspent. */
  private async scanOneCoinbase(): Promise<boolean> {
    const { height } = await this.client.getBestBlock();
    if (this.nextHeightToScan > height - COINBASE_MATURITY) return false;
    const block = await this.client.getBlock(await this.client.getBlockHash(this.nextHeightToScan));
    this.nextHeightToScan += 1;
    const coinbase = block.transactions![0]!;
    const txid = coinbase.getId();
    for (const [vout, output] of coinbase.outs.entries()) {
      const paysFaucet = Buffer.compare(Buffer.from(output.script), Buffer.from(FAUCET_OUTPUT_SCRIPT)) === 0;
      // Another faucet on the same chain may have spent it in a block already (a mempool spend shows up
      // only when we broadcast: see `payNow`).
      if (paysFaucet && output.value > 0n && (await this.client.isUnspent(txid, vout))) {
        this.coins.push({ txid, vout, amountSat: output.value });
      }
    }
    return true;
  }
}

/** Version 2, so relative timelocks in spends of these outputs are enforced (BIP 68). */
const TX_VERSION = 2;

/** The transaction paying `payments` from `coin`, change (if above dust) last, and the change amount. */
function buildPayment(coin: Coin, payments: readonly FaucetPayment[]): { tx: Transaction; changeSat: bigint } {
  const totalSat = payments.reduce((sum, p) => sum + p.amountSat, 0n);
  const withChange = coin.amountSat - totalSat - feeSat(payments, true);
  const changeSat = withChange >= DUST_LIMIT_SAT ? withChange : 0n;
  const tx = new Transaction();
  tx.version = TX_VERSION;
  tx.addInput(Buffer.from(coin.txid, 'hex').reverse(), coin.vout);
  for (const { outputScript, amountSat } of payments) tx.addOutput(outputScript, amountSat);
  if (changeSat > 0n) tx.addOutput(FAUCET_OUTPUT_SCRIPT, changeSat);
  tx.setWitness(0, [FAUCET_WITNESS_SCRIPT]);
  return { tx, changeSat };
}

/** The fee of a faucet transaction paying `payments` (and change, if `withChange`), from its virtual size. */
function feeSat(payments: readonly FaucetPayment[], withChange: boolean): bigint {
  const tx = new Transaction();
  tx.version = TX_VERSION;
  tx.addInput(Buffer.alloc(32), 0);
  for (const { outputScript, amountSat } of payments) tx.addOutput(outputScript, amountSat);
  if (withChange) tx.addOutput(FAUCET_OUTPUT_SCRIPT, 0n);
  tx.setWitness(0, [FAUCET_WITNESS_SCRIPT]);
  return BigInt(tx.virtualSize()) * FAUCET_FEERATE_SAT_PER_VBYTE;
}
