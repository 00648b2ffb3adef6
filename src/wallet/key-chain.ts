/**
 * The wallet's keys: P2WPKH keys derived from the node's `KeysManager` (`walletSecret(index)`), plus any
 * key imported later (a channel's payment basepoint, so `to_remote` outputs paid to it are ours too).
 * Knows, for any output script, whether it is ours and which secret signs for it.
 */
import { payments } from 'bitcoinjs-lib';
import type { KeysManager } from '../ln/keys-manager.js';
import { publicKeyFromSecret } from '../ln/keys.js';
import { p2wpkhScriptPubKey } from '../ln/scripts.js';

/** One key of the wallet and the scripts it needs. */
export interface WalletKey {
  readonly secretKey: Uint8Array;
  readonly publicKey: Uint8Array;
  /** `OP_0 <hash160(pubkey)>`: where coins for this key are sent. */
  readonly scriptPubKey: Uint8Array;
  /** BIP 143's scriptCode for a P2WPKH input: the P2PKH script of the same key. */
  readonly scriptCode: Uint8Array;
}

function scriptKey(script: Uint8Array): string {
  return Buffer.from(script).toString('hex');
}

export class WalletKeyChain {
  readonly #keysManager: KeysManager;
  readonly #byScript = new Map<string, WalletKey>();
  #nextIndex = 0;

  constructor(keysManager: KeysManager) {
    this.#keysManager = keysManager;
  }

  /** A fresh key (the next derivation index): never reuse a script for two payments. */
  next(): WalletKey {
    return this.#add(this.#keysManager.walletSecret(this.#nextIndex++));
  }

  /** Adds a key derived elsewhere (e.g. a channel's payment basepoint secret); returns its P2WPKH script. */
  import(secretKey: Uint8Array): WalletKey {
    return this.#add(secretKey);
  }

  /** The key whose P2WPKH script is `script`, or `undefined` when the script is not ours. */
  keyFor(script: Uint8Array): WalletKey | undefined {
    return this.#byScript.get(scriptKey(script));
  }

  #add(secretKey: Uint8Array): WalletKey {
    const publicKey = publicKeyFromSecret(secretKey, 'wallet key');
    const scriptPubKey = p2wpkhScriptPubKey(publicKey);
    const existing = this.#byScript.get(scriptKey(scriptPubKey));
    if (existing) return existing;
    const key: WalletKey = Object.freeze({
      secretKey: Uint8Array.from(secretKey),
      publicKey,
      scriptPubKey,
      scriptCode: payments.p2pkh({ pubkey: publicKey }).output!,
    });
    this.#byScript.set(scriptKey(scriptPubKey), key);
    return key;
  }
}
