/**
 * A regtest faucet that needs no wallet and no keys.
 *
 * Blocks are mined to a pay-to-witness-script-hash of the one-opcode script `OP_TRUE`: anyone can spend
 * such an output by revealing the script, which is exactly right on a throwaway regtest chain and means
 * the faucet works the same against bcoin and Bitcoin Core (neither needs a wallet). Coinbase outputs
 * mature after 100 blocks, so the faucet mines 101 blocks before its first payment.
 */
import { DUST_LIMIT_SAT } from '../../ln/fees.js';
import { Transaction, payments, opcodes } from 'bitcoinjs-lib';
import type { BitcoindClient } from '../bitcoind-client.js';
import { WorkshopError } from '../../errors.js';

/** The witness script `OP_TRUE`: spent by revealing it, no signature. */
export const FAUCET_WITNESS_SCRIPT = Uint8Array.of(opcodes.OP_TRUE!);
/** P2WSH(OP_TRUE): where `lnlab regtest mine` and the faucet send block rewards. */
export const FAUCET_OUTPUT_SCRIPT: Uint8Array = payments.p2wsh({ redeem: { output: FAUCET_WITNESS_SCRIPT } }).output!;

/** Consensus rule: a coinbase output can be spent once it has 100 confirmations. */
const COINBASE_MATURITY = 100;
/** A faucet payment has one input and two outputs: well under 200 vbytes, so 2,000 sat is 10 sat/vB. */
const FAUCET_FEE_SAT = 2_000n;

export interface FundedOutput {
  readonly txid: string;
  readonly vout: number;
  readonly amountSat: bigint;
  readonly outputScript: Uint8Array;
  /** The funding transaction (already broadcast, not yet confirmed unless you mine). */
  readonly tx: Transaction;
}

interface Coin {
  readonly txid: string;
  readonly vout: number;
  readonly amountSat: bigint;
}

export class FaucetEmptyError extends WorkshopError {
  constructor(wantedSat: bigint) {
    super('FAUCET_EMPTY', `faucet: no mature coin holds ${wantedSat} sat`, 'mine more blocks (`npx lnlab regtest mine 101`) and try again');
  }
}

export class Faucet {
  private readonly client: BitcoindClient;
  /** Coins we know are ours and unspent: change outputs first, then coinbases found by scanning. */
  private readonly coins: Coin[] = [];
  /** Next block height whose coinbase we have not looked at yet. */
  private nextHeightToScan = 1;

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
    if (amountSat <= 0n) throw new RangeError(`faucet.fund: expected a positive amount, got ${amountSat} sat`);
    const coin = await this.takeCoin(amountSat + FAUCET_FEE_SAT);
    const tx = new Transaction();
    tx.version = 2;
    tx.addInput(Buffer.from(coin.txid, 'hex').reverse(), coin.vout);
    tx.addOutput(outputScript, amountSat);
    const changeSat = coin.amountSat - amountSat - FAUCET_FEE_SAT;
    if (changeSat >= DUST_LIMIT_SAT) tx.addOutput(FAUCET_OUTPUT_SCRIPT, changeSat);
    tx.setWitness(0, [FAUCET_WITNESS_SCRIPT]);
    await this.client.broadcastTransactions(tx);
    const txid = tx.getId();
    if (changeSat >= DUST_LIMIT_SAT) this.coins.push({ txid, vout: 1, amountSat: changeSat });
    return Object.freeze({ txid, vout: 0, amountSat, outputScript, tx });
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
      // Another faucet on the same chain (a second test, a notebook) may have spent it already.
      if (paysFaucet && output.value > 0n && (await this.client.isUnspent(txid, vout))) {
        this.coins.push({ txid, vout, amountSat: output.value });
      }
    }
    return true;
  }
}
