/**
 * Deterministic keys from one 32-byte seed: the node key, and per channel the five basepoint secrets and
 * the per-commitment seed. Everything is HKDF-SHA256 (RFC 5869) with a distinct label per key, so no key
 * reveals another and a restored seed recreates every channel's keys. No BIP 32 paths: nothing here needs
 * public derivation, and labels make the domain separation explicit.
 *
 * This is the workshop's own scheme (BOLT 3 does not specify one); LDK's `KeysManager` plays the same role.
 * @see BOLT 3 "Key Derivation"
 */
import { hkdf } from '@noble/hashes/hkdf.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { utf8ToBytes } from '@noble/hashes/utils.js';
import { assertBytes, assertIntRange, bigIntToBytesBE } from './bytes.js';
import { publicKeyFromSecret, SECRET_KEY_BYTES } from './keys.js';
import { perCommitmentPoint, perCommitmentSecret, secretIndexForCommitment } from './secrets.js';
import type { ChannelPublicKeys } from './types.js';

/**
 * The seed is 256 bits, like every secret it derives.
 * @see BOLT 3 "Key Derivation"
 */
export const KEYS_MANAGER_SEED_BYTES = 32;
/** HKDF salt: names this scheme and its version, so a future change cannot collide with today's keys. */
const HKDF_SALT = utf8ToBytes('lightning-lab/keys-manager/v1');
/** Channel key ids are encoded as 8 bytes (u64), room for any counter a node will use. */
const CHANNEL_KEY_ID_BYTES = 8;
/** Channel key ids are JavaScript safe integers, so they round-trip through JSON. */
const MAX_CHANNEL_KEY_ID = Number.MAX_SAFE_INTEGER;

/** One label per derived key: the domain separation between them. */
const LABELS = Object.freeze({
  node: 'node',
  funding: 'channel/funding',
  revocation: 'channel/revocation_basepoint',
  payment: 'channel/payment_basepoint',
  delayedPayment: 'channel/delayed_payment_basepoint',
  htlc: 'channel/htlc_basepoint',
  commitmentSeed: 'channel/commitment_seed',
  wallet: 'wallet/p2wpkh',
});

/**
 * The six secrets of one channel.
 * @see BOLT 3 "Key Derivation"
 */
export interface ChannelSecrets {
  readonly fundingSecret: Uint8Array;
  readonly revocationBasepointSecret: Uint8Array;
  readonly paymentBasepointSecret: Uint8Array;
  readonly delayedPaymentBasepointSecret: Uint8Array;
  readonly htlcBasepointSecret: Uint8Array;
  readonly commitmentSeed: Uint8Array;
}

/**
 * One channel's secrets and public keys. Holds secrets: never log or send it.
 * @see BOLT 3 "Key Derivation"
 */
export class ChannelKeys implements ChannelSecrets {
  readonly channelKeyId: number;
  readonly fundingSecret: Uint8Array;
  readonly revocationBasepointSecret: Uint8Array;
  readonly paymentBasepointSecret: Uint8Array;
  readonly delayedPaymentBasepointSecret: Uint8Array;
  readonly htlcBasepointSecret: Uint8Array;
  /** Seed of this channel's per-commitment secrets (BOLT 3 "Per-commitment Secret Requirements"). */
  readonly commitmentSeed: Uint8Array;
  /** The public half, sent to the peer in `open_channel` / `accept_channel`. */
  readonly pubkeys: ChannelPublicKeys;

  /** Wraps existing secrets (e.g. restored ones); `KeysManager.channelKeys` is the usual source. */
  constructor(channelKeyId: number, secrets: ChannelSecrets) {
    this.channelKeyId = channelKeyId;
    this.fundingSecret = Uint8Array.from(secrets.fundingSecret);
    this.revocationBasepointSecret = Uint8Array.from(secrets.revocationBasepointSecret);
    this.paymentBasepointSecret = Uint8Array.from(secrets.paymentBasepointSecret);
    this.delayedPaymentBasepointSecret = Uint8Array.from(secrets.delayedPaymentBasepointSecret);
    this.htlcBasepointSecret = Uint8Array.from(secrets.htlcBasepointSecret);
    this.commitmentSeed = assertBytes(Uint8Array.from(secrets.commitmentSeed), SECRET_KEY_BYTES, 'ChannelKeys commitmentSeed');
    this.pubkeys = Object.freeze({
      fundingPubkey: publicKeyFromSecret(this.fundingSecret),
      revocationBasepoint: publicKeyFromSecret(this.revocationBasepointSecret),
      paymentBasepoint: publicKeyFromSecret(this.paymentBasepointSecret),
      delayedPaymentBasepoint: publicKeyFromSecret(this.delayedPaymentBasepointSecret),
      htlcBasepoint: publicKeyFromSecret(this.htlcBasepointSecret),
    });
    Object.freeze(this);
  }

  /**
   * Our per-commitment secret for commitment `commitmentNumber` (index 2^48 - 1 - n). Reveal it only
   * in `revoke_and_ack`, when revoking that commitment.
   * @see BOLT 3 "Per-commitment Secret Requirements"
   */
  perCommitmentSecret(commitmentNumber: bigint): Uint8Array {
    return perCommitmentSecret(this.commitmentSeed, secretIndexForCommitment(commitmentNumber));
  }

  /**
   * Our per-commitment point for commitment `commitmentNumber`, safe to share ahead of time.
   * @see BOLT 3 "Per-commitment Secret Requirements"
   */
  perCommitmentPoint(commitmentNumber: bigint): Uint8Array {
    return perCommitmentPoint(this.perCommitmentSecret(commitmentNumber));
  }
}

/**
 * Derives all of a node's Lightning keys from one seed. The same seed and channel key id always give
 * the same keys; different ids give unrelated keys.
 * @see BOLT 3 "Key Derivation"
 */
export class KeysManager {
  readonly #seed: Uint8Array;
  /** The node's secret key (its identity in BOLT 7 gossip and BOLT 8 transport). */
  readonly nodeSecret: Uint8Array;
  /** The node id: `nodeSecret`'s compressed public key. */
  readonly nodeId: Uint8Array;

  constructor(seed: Uint8Array) {
    assertBytes(seed, KEYS_MANAGER_SEED_BYTES, 'KeysManager seed');
    this.#seed = Uint8Array.from(seed);
    this.nodeSecret = this.#derive(LABELS.node, new Uint8Array(0));
    this.nodeId = publicKeyFromSecret(this.nodeSecret);
    Object.freeze(this);
  }

  /** The keys of the channel numbered `channelKeyId` (a counter the caller persists with the channel). */
  channelKeys(channelKeyId: number): ChannelKeys {
    assertIntRange(channelKeyId, 0, MAX_CHANNEL_KEY_ID, 'KeysManager.channelKeys channelKeyId');
    const idBytes = bigIntToBytesBE(BigInt(channelKeyId), CHANNEL_KEY_ID_BYTES);
    return new ChannelKeys(channelKeyId, {
      fundingSecret: this.#derive(LABELS.funding, idBytes),
      revocationBasepointSecret: this.#derive(LABELS.revocation, idBytes),
      paymentBasepointSecret: this.#derive(LABELS.payment, idBytes),
      delayedPaymentBasepointSecret: this.#derive(LABELS.delayedPayment, idBytes),
      htlcBasepointSecret: this.#derive(LABELS.htlc, idBytes),
      commitmentSeed: this.#derive(LABELS.commitmentSeed, idBytes),
    });
  }

  /**
   * The secret of on-chain wallet key number `index` (a P2WPKH key: where funding inputs, change,
   * closing outputs and claims live). Its own label, so no wallet key is ever a channel key.
   */
  walletSecret(index: number): Uint8Array {
    assertIntRange(index, 0, MAX_CHANNEL_KEY_ID, 'KeysManager.walletSecret index');
    return this.#derive(LABELS.wallet, bigIntToBytesBE(BigInt(index), CHANNEL_KEY_ID_BYTES));
  }

  /**
   * HKDF(seed, salt, info = label || 0x00 || context). The zero byte keeps "label" + "context" from ever
   * reading as a different label. A result that is not a valid scalar (probability about 2^-128) is
   * hashed again, so every seed works.
   */
  #derive(label: string, context: Uint8Array): Uint8Array {
    const info = new Uint8Array([...utf8ToBytes(label), 0, ...context]);
    let candidate = hkdf(sha256, this.#seed, HKDF_SALT, info, SECRET_KEY_BYTES);
    while (!isValidSecret(candidate)) candidate = sha256(candidate);
    return candidate;
  }
}

function isValidSecret(candidate: Uint8Array): boolean {
  try {
    publicKeyFromSecret(candidate);
    return true;
  } catch {
    return false;
  }
}
