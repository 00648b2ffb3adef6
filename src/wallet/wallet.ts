/**
 * `OnChainWallet`: the node's plain-bitcoin wallet. It holds P2WPKH keys from the `KeysManager`, learns
 * its coins from the blocks it is shown (`blockConnected`), picks coins for a transaction, adds change,
 * takes the fee from the `FeeEstimator`, and signs. The ChannelManager funds channels from it, and closes
 * and claims pay back into it.
 *
 * Coins spent by a transaction the wallet built are locked at once (so two channels never pick the same
 * coin) and forgotten when the spend confirms; `release` unlocks them if that transaction is abandoned.
 * No reorg handling: the workshop's regtest chain only grows.
 */
import type { Block, Transaction } from 'bitcoinjs-lib';
import type { ConfirmationTarget, FeeEstimator } from '../chain/interfaces.js';
import type { KeysManager } from '../ln/keys-manager.js';
import { dustThresholdSat } from '../ln/fees.js';
import { signWitnessInput } from '../ln/sign.js';
import type { OutPoint } from '../ln/types.js';
import { selectCoins, unsignedTransaction, type TxOutputSpec } from './coin-selection.js';
import { InvalidOutputError } from './errors.js';
import { WalletKeyChain, type WalletKey } from './key-chain.js';

/** One confirmed coin of the wallet. */
export interface WalletUtxo {
  readonly outpoint: OutPoint;
  readonly amountSat: bigint;
  readonly scriptPubKey: Uint8Array;
  /** The block height it confirmed at. */
  readonly height: number;
}

/** A signed transaction the wallet built, not yet broadcast. Its inputs are locked until `release`. */
export interface FundedTransaction {
  readonly tx: Transaction;
  readonly feeSat: bigint;
  /** Zero when there is no change output. */
  readonly changeSat: bigint;
  readonly spent: readonly OutPoint[];
}

function outpointKey(outpoint: OutPoint): string {
  return `${outpoint.txid}:${outpoint.vout}`;
}

function spentOutpoint(tx: Transaction, input: number): OutPoint {
  const vin = tx.ins[input]!;
  return { txid: Buffer.from(vin.hash).reverse().toString('hex'), vout: vin.index };
}

export class OnChainWallet {
  readonly #keys: WalletKeyChain;
  readonly #feeEstimator: FeeEstimator;
  readonly #utxos = new Map<string, WalletUtxo>();
  readonly #locked = new Set<string>();
  /** Height of the last block connected; blocks at or below it are repeats and are ignored. */
  #height = -1;

  constructor(keysManager: KeysManager, feeEstimator: FeeEstimator) {
    this.#keys = new WalletKeyChain(keysManager);
    this.#feeEstimator = feeEstimator;
  }

  /** A fresh P2WPKH script of ours, to receive coins (faucet payments, closes, claims). */
  receiveScript(): Uint8Array {
    return this.#keys.next().scriptPubKey;
  }

  /** Makes the wallet track and spend coins paid to `secretKey`'s P2WPKH script; returns that script. */
  importKey(secretKey: Uint8Array): Uint8Array {
    return this.#keys.import(secretKey).scriptPubKey;
  }

  /** Whether coins paid to `scriptPubKey` are ours. */
  isMine(scriptPubKey: Uint8Array): boolean {
    return this.#keys.keyFor(scriptPubKey) !== undefined;
  }

  /** Height of the last block the wallet has seen, or -1 before any. */
  get height(): number {
    return this.#height;
  }

  /**
   * Learns from one block, in chain order: forgets coins its transactions spend and adds outputs paying
   * our scripts. A block at or below the last height seen is ignored, so a repeat changes nothing.
   */
  blockConnected(block: Block, height: number): void {
    if (height <= this.#height) return;
    this.#height = height;
    for (const tx of block.transactions ?? []) {
      for (let input = 0; input < tx.ins.length; input++) {
        const key = outpointKey(spentOutpoint(tx, input));
        this.#utxos.delete(key);
        this.#locked.delete(key);
      }
      const txid = tx.getId();
      tx.outs.forEach((output, vout) => {
        if (!this.isMine(output.script)) return;
        const utxo: WalletUtxo = Object.freeze({ outpoint: { txid, vout }, amountSat: output.value, scriptPubKey: output.script, height });
        this.#utxos.set(outpointKey(utxo.outpoint), utxo);
      });
    }
  }

  /** Every confirmed coin not yet spent in the chain (locked ones included). */
  utxos(): readonly WalletUtxo[] {
    return [...this.#utxos.values()];
  }

  /** Sum of the confirmed coins not yet spent in the chain, in satoshis. */
  confirmedBalanceSat(): bigint {
    return this.utxos().reduce((sum, utxo) => sum + utxo.amountSat, 0n);
  }

  /** Confirmed coins not locked by a transaction we built: what `fundTransaction` may spend. */
  spendableBalanceSat(): bigint {
    return this.#spendable().reduce((sum, utxo) => sum + utxo.amountSat, 0n);
  }

  /**
   * Builds and signs a transaction paying `outputs` from confirmed, unlocked coins, with change back to a
   * fresh script of ours, at the estimator's feerate for `target`. Locks the coins it spends. Throws
   * `InsufficientFundsError` (nothing locked) when the coins do not cover outputs plus fee.
   */
  async fundTransaction(outputs: readonly TxOutputSpec[], target: ConfirmationTarget = 'NonAnchorChannelFee'): Promise<FundedTransaction> {
    outputs.forEach((output, i) => {
      const dustSat = dustThresholdSat(output.scriptPubKey);
      if (output.amountSat < dustSat) {
        throw new InvalidOutputError(`fundTransaction outputs[${i}]`, `at least ${dustSat} sat (the dust threshold)`, `${output.amountSat} sat`);
      }
    });
    const feeratePerKw = await this.#feeEstimator.getEstSatPer1000Weight(target);
    const changeKey = this.#keys.next();
    const selection = selectCoins(this.#spendable(), outputs, changeKey.scriptPubKey, feeratePerKw);
    const tx = unsignedTransaction(selection, outputs, changeKey.scriptPubKey);
    const signed = tx.clone();
    selection.inputs.forEach((coin, inputIndex) => {
      const key = this.#keys.keyFor(coin.scriptPubKey)!;
      signed.setWitness(inputIndex, this.#witness(tx, inputIndex, coin, key));
    });
    for (const coin of selection.inputs) this.#locked.add(outpointKey(coin.outpoint));
    return Object.freeze({
      tx: signed,
      feeSat: selection.feeSat,
      changeSat: selection.changeSat,
      spent: selection.inputs.map((coin) => coin.outpoint),
    });
  }

  /** Unlocks the coins of a transaction that will never be broadcast (e.g. a channel open that failed). */
  release(funded: Pick<FundedTransaction, 'spent'>): void {
    for (const outpoint of funded.spent) this.#locked.delete(outpointKey(outpoint));
  }

  #spendable(): WalletUtxo[] {
    return this.utxos().filter((utxo) => !this.#locked.has(outpointKey(utxo.outpoint)));
  }

  /** `<signature> <pubkey>`, signing BIP 143's digest with the P2PKH scriptCode of the key. */
  #witness(tx: Transaction, inputIndex: number, coin: WalletUtxo, key: WalletKey): Uint8Array[] {
    const signature = signWitnessInput(tx, { inputIndex, witnessScript: key.scriptCode, amountSat: coin.amountSat }, key.secretKey);
    return [signature, key.publicKey];
  }
}
