/** Outpoints as map keys, and which outpoints a transaction spends. */
import type { Transaction } from 'bitcoinjs-lib';
import type { OutPoint } from '../ln/types.js';

/** `<txid>:<vout>`, the txid in display (reversed) hex: a stable string key for a `Map`. */
export function outpointKey(outpoint: OutPoint): string {
  return `${outpoint.txid}:${outpoint.vout}`;
}

/** The display-hex txid of the transaction an input spends from (inputs store it reversed). */
export function spentTxid(tx: Transaction, inputIndex: number): string {
  return Buffer.from(tx.ins[inputIndex]!.hash).reverse().toString('hex');
}

/** Every outpoint the transaction spends, in input order. */
export function spentOutpoints(tx: Transaction): OutPoint[] {
  return tx.ins.map((input, index) => ({ txid: spentTxid(tx, index), vout: input.index }));
}
