/** A throwaway P2WPKH key and its signing, for chain tests that need a real signature. */
import * as secp from '@noble/secp256k1';
import { Transaction, payments, script as bscript } from 'bitcoinjs-lib';

export interface TestKey {
  readonly secretKey: Uint8Array;
  readonly publicKey: Uint8Array;
  readonly outputScript: Uint8Array;
}

export function newTestKey(): TestKey {
  const secretKey = secp.utils.randomSecretKey();
  const publicKey = secp.getPublicKey(secretKey, true);
  return { secretKey, publicKey, outputScript: payments.p2wpkh({ pubkey: publicKey }).output! };
}

/** Signs input `index` (spending `amountSat` locked to `key`) with SIGHASH_ALL and sets its witness. */
export async function signP2wpkhInput(tx: Transaction, index: number, key: TestKey, amountSat: bigint): Promise<void> {
  const scriptCode = payments.p2pkh({ pubkey: key.publicKey }).output!;
  const sighash = tx.hashForWitnessV0(index, scriptCode, amountSat, Transaction.SIGHASH_ALL);
  // noble returns the 64-byte compact form with a low S; bitcoinjs DER-encodes it and appends the sighash type.
  const compact = await secp.signAsync(sighash, key.secretKey, { prehash: false });
  const signature = bscript.signature.encode(compact, Transaction.SIGHASH_ALL);
  tx.setWitness(index, [signature, key.publicKey]);
}

/** A version-2 transaction spending one outpoint to one output. */
export function spendTx(txid: string, vout: number, outputScript: Uint8Array, amountSat: bigint, sequence?: number): Transaction {
  const tx = new Transaction();
  tx.version = 2;
  tx.addInput(Buffer.from(txid, 'hex').reverse(), vout, sequence);
  tx.addOutput(outputScript, amountSat);
  return tx;
}
