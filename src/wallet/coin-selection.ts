/**
 * Coin selection: which of the wallet's coins pay for a transaction, and whether it gets a change output.
 * Largest coins first (few inputs, so a small fee), then a change output unless the change would be dust,
 * in which case it is left to the miner. Pure: no keys, no chain.
 */
import { Transaction } from 'bitcoinjs-lib';
import { dustThresholdSat, feeForWeightRoundedUpSat, type FeeratePerKw } from '../ln/fees.js';
import type { OutPoint } from '../ln/types.js';
import { outPointHash } from '../ln/types.js';
import { InsufficientFundsError } from './errors.js';

/** A coin the selector may spend. */
export interface SelectableCoin {
  readonly outpoint: OutPoint;
  readonly amountSat: bigint;
}

/** An output the transaction must create. */
export interface TxOutputSpec {
  readonly scriptPubKey: Uint8Array;
  readonly amountSat: bigint;
}

/** What the selector decided. */
export interface CoinSelection<C extends SelectableCoin> {
  readonly inputs: readonly C[];
  /** Zero when the change was dust and went to the fee. */
  readonly changeSat: bigint;
  readonly feeSat: bigint;
  /** The weight the fee was computed for (worst-case signatures). */
  readonly estimatedWeight: number;
}

/**
 * A P2WPKH input's witness, worst case: a 72-byte DER signature plus the sighash byte, and a 33-byte key.
 * Measuring with these in place makes the fee an upper bound the signed transaction can only undercut.
 */
const MAX_P2WPKH_SIGNATURE_BYTES = 73;
const COMPRESSED_PUBKEY_BYTES = 33;
/** Funding and wallet transactions are version 2 (BIP 68 semantics; nothing here uses a relative lock). */
export const WALLET_TX_VERSION = 2;
/** nSequence opting into replace-by-fee (BIP 125) with no relative lock, as Bitcoin Core's wallet does. */
export const WALLET_INPUT_SEQUENCE = 0xffff_fffd;

/** The weight of a transaction spending `inputCount` P2WPKH coins to `outputs`, with worst-case witnesses. */
export function estimateWeight(inputCount: number, outputs: readonly TxOutputSpec[]): number {
  const tx = new Transaction();
  tx.version = WALLET_TX_VERSION;
  for (let i = 0; i < inputCount; i++) tx.addInput(new Uint8Array(32), i, WALLET_INPUT_SEQUENCE);
  for (const output of outputs) tx.addOutput(output.scriptPubKey, output.amountSat);
  const witness = [new Uint8Array(MAX_P2WPKH_SIGNATURE_BYTES), new Uint8Array(COMPRESSED_PUBKEY_BYTES)];
  for (let i = 0; i < inputCount; i++) tx.setWitness(i, witness);
  return tx.weight();
}

/**
 * Picks coins (largest first) paying `outputs` at `feeratePerKw`, with change to `changeScript` unless it
 * would be dust. Throws `InsufficientFundsError` when all the coins together fall short.
 */
export function selectCoins<C extends SelectableCoin>(
  coins: readonly C[],
  outputs: readonly TxOutputSpec[],
  changeScript: Uint8Array,
  feeratePerKw: FeeratePerKw,
): CoinSelection<C> {
  const targetSat = outputs.reduce((sum, output) => sum + output.amountSat, 0n);
  const sorted = [...coins].sort((a, b) => (a.amountSat === b.amountSat ? 0 : a.amountSat > b.amountSat ? -1 : 1));
  const withChange = [...outputs, { scriptPubKey: changeScript, amountSat: 0n }];
  const changeDustSat = dustThresholdSat(changeScript);
  const chosen: C[] = [];
  let inputSat = 0n;
  for (const coin of sorted) {
    chosen.push(coin);
    inputSat += coin.amountSat;
    const weightWithChange = estimateWeight(chosen.length, withChange);
    const feeWithChange = feeForWeightRoundedUpSat(feeratePerKw, BigInt(weightWithChange));
    const changeSat = inputSat - targetSat - feeWithChange;
    if (changeSat >= changeDustSat) {
      return Object.freeze({ inputs: chosen, changeSat, feeSat: feeWithChange, estimatedWeight: weightWithChange });
    }
    const weightNoChange = estimateWeight(chosen.length, outputs);
    const feeNoChange = feeForWeightRoundedUpSat(feeratePerKw, BigInt(weightNoChange));
    if (inputSat >= targetSat + feeNoChange) {
      // The leftover is too small for an output of its own: it tops up the fee.
      return Object.freeze({ inputs: chosen, changeSat: 0n, feeSat: inputSat - targetSat, estimatedWeight: weightNoChange });
    }
  }
  const feeAllSat = feeForWeightRoundedUpSat(feeratePerKw, BigInt(estimateWeight(Math.max(coins.length, 1), outputs)));
  throw new InsufficientFundsError('selectCoins', targetSat + feeAllSat, inputSat);
}

/** The unsigned transaction for a selection: inputs in selection order, outputs, then change. */
export function unsignedTransaction(
  selection: CoinSelection<SelectableCoin>,
  outputs: readonly TxOutputSpec[],
  changeScript: Uint8Array,
): Transaction {
  const tx = new Transaction();
  tx.version = WALLET_TX_VERSION;
  for (const coin of selection.inputs) {
    tx.addInput(outPointHash(coin.outpoint, 'wallet input'), coin.outpoint.vout, WALLET_INPUT_SEQUENCE);
  }
  for (const output of outputs) tx.addOutput(output.scriptPubKey, output.amountSat);
  if (selection.changeSat > 0n) tx.addOutput(changeScript, selection.changeSat);
  return tx;
}
