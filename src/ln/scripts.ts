/**
 * The witness scripts of BOLT 3, byte for byte, and the P2WSH / P2WPKH output scripts that commit to
 * them. Numbers are pushed minimally (bitcoinjs `script.number` plus `compile`), as consensus-minimal
 * encodings are what the other implementations produce and what the spec's vectors contain.
 * @see BOLT 3 "Commitment Transaction Outputs"
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { ripemd160 } from '@noble/hashes/legacy.js';
import { opcodes, payments, script as bscript } from 'bitcoinjs-lib';
import { assertBytes, assertIntRange, compareBytes } from './bytes.js';
import { assertPublicKey } from './keys.js';
import { DEFAULT_CHANNEL_TYPE, MAX_CLTV_EXPIRY, MAX_TO_SELF_DELAY, PAYMENT_HASH_BYTES, PAYMENT_PREIMAGE_BYTES, type ChannelType } from './types.js';

/** Both funding keys must sign: a 2-of-2 multisig. */
const FUNDING_REQUIRED_SIGNATURES = 2;
/** Blocks an anchor waits before anyone may sweep it, so it cannot be stolen while still useful for CPFP (BOLT 3 "`to_local_anchor` and `to_remote_anchor` Output (option_anchors)"). */
const ANCHOR_CSV_BLOCKS = 16;
/** With anchors, non-revocation spends of `to_remote` and HTLC outputs wait one block (CPFP carve-out, BOLT 3 "`to_remote` Output"). */
const ANCHORS_SPEND_CSV_BLOCKS = 1;

/**
 * `HASH160(data)` = RIPEMD160(SHA256(data)), the 20-byte hash P2WPKH and HTLC scripts commit to.
 * @see BOLT 3 "Offered HTLC Outputs"
 */
export function hash160(data: Uint8Array): Uint8Array {
  return ripemd160(sha256(data));
}

/**
 * The funding output's witness script, `2 <pubkey1> <pubkey2> 2 OP_CHECKMULTISIG`, with `pubkey1` the
 * lexicographically lesser compressed key, so both sides build the same script without agreeing on roles.
 * @see BOLT 3 "Funding Transaction Output"
 */
export function fundingScript(fundingPubkeyA: Uint8Array, fundingPubkeyB: Uint8Array): Uint8Array {
  const [first, second] = sortPublicKeys(
    assertPublicKey(fundingPubkeyA, 'fundingScript fundingPubkeyA'),
    assertPublicKey(fundingPubkeyB, 'fundingScript fundingPubkeyB'),
  );
  return bscript.compile([
    bscript.number.encode(FUNDING_REQUIRED_SIGNATURES),
    first,
    second,
    bscript.number.encode(FUNDING_REQUIRED_SIGNATURES),
    opcodes.OP_CHECKMULTISIG,
  ]);
}

/**
 * The two keys in BOLT 3 order: lexicographically lesser first.
 * @see BOLT 3 "Funding Transaction Output"
 */
export function sortPublicKeys(a: Uint8Array, b: Uint8Array): readonly [Uint8Array, Uint8Array] {
  return compareBytes(a, b) <= 0 ? [a, b] : [b, a];
}

/**
 * `to_local`: the owner's balance, spendable by the owner after `toSelfDelay` blocks (OP_CSV), or at once
 * by the counterparty with the revocation key if this commitment was revoked. Also the output script of
 * HTLC-success and HTLC-timeout transactions.
 * @see BOLT 3 "`to_local` Output"
 */
export function toLocalScript(revocationPubkey: Uint8Array, toSelfDelay: number, localDelayedPubkey: Uint8Array): Uint8Array {
  assertPublicKey(revocationPubkey, 'toLocalScript revocationPubkey');
  assertPublicKey(localDelayedPubkey, 'toLocalScript localDelayedPubkey');
  assertIntRange(toSelfDelay, 0, MAX_TO_SELF_DELAY, 'toLocalScript toSelfDelay');
  return bscript.compile([
    opcodes.OP_IF,
    revocationPubkey,
    opcodes.OP_ELSE,
    bscript.number.encode(toSelfDelay),
    opcodes.OP_CHECKSEQUENCEVERIFY,
    opcodes.OP_DROP,
    localDelayedPubkey,
    opcodes.OP_ENDIF,
    opcodes.OP_CHECKSIG,
  ]);
}

/**
 * The anchors-channel `to_remote` witness script, `<remotepubkey> OP_CHECKSIGVERIFY 1 OP_CSV`: the
 * one-block delay keeps the counterparty from chaining unconfirmed spends onto our commitment.
 * @see BOLT 3 "`to_remote` Output"
 */
export function toRemoteAnchorsScript(remotePubkey: Uint8Array): Uint8Array {
  assertPublicKey(remotePubkey, 'toRemoteAnchorsScript remotePubkey');
  return bscript.compile([
    remotePubkey,
    opcodes.OP_CHECKSIGVERIFY,
    bscript.number.encode(ANCHORS_SPEND_CSV_BLOCKS),
    opcodes.OP_CHECKSEQUENCEVERIFY,
  ]);
}

/**
 * The `to_remote` output script: P2WPKH to `remotepubkey` (with `option_static_remotekey`, the remote
 * `payment_basepoint` itself), or P2WSH of `toRemoteAnchorsScript` with anchors.
 * @see BOLT 3 "`to_remote` Output"
 */
export function toRemoteScriptPubKey(remotePubkey: Uint8Array, channelType: ChannelType = DEFAULT_CHANNEL_TYPE): Uint8Array {
  return channelType === 'anchors_zero_fee_htlc_tx'
    ? p2wshScriptPubKey(toRemoteAnchorsScript(remotePubkey))
    : p2wpkhScriptPubKey(remotePubkey);
}

/**
 * An anchor output's witness script: spendable by its funding key at once (to CPFP the commitment), or
 * by anyone after 16 blocks so the UTXO set does not keep dust forever.
 * @see BOLT 3 "`to_local_anchor` and `to_remote_anchor` Output (option_anchors)"
 */
export function anchorScript(fundingPubkey: Uint8Array): Uint8Array {
  assertPublicKey(fundingPubkey, 'anchorScript fundingPubkey');
  return bscript.compile([
    fundingPubkey,
    opcodes.OP_CHECKSIG,
    opcodes.OP_IFDUP,
    opcodes.OP_NOTIF,
    bscript.number.encode(ANCHOR_CSV_BLOCKS),
    opcodes.OP_CHECKSEQUENCEVERIFY,
    opcodes.OP_ENDIF,
  ]);
}

/**
 * The keys and hash an HTLC output's witness script commits to, from the commitment owner's side.
 * @see BOLT 3 "Offered HTLC Outputs"
 */
export interface HtlcScriptKeys {
  readonly revocationPubkey: Uint8Array;
  /** BOLT 3's `local_htlcpubkey`: the commitment owner's HTLC key for this commitment. */
  readonly localHtlcPubkey: Uint8Array;
  /** BOLT 3's `remote_htlcpubkey`: the counterparty's HTLC key for this commitment. */
  readonly remoteHtlcPubkey: Uint8Array;
  readonly paymentHash: Uint8Array;
}

/**
 * An offered HTLC (owner pays the counterparty): revocation key at once; the counterparty with the
 * preimage; or both HTLC keys, via the owner's HTLC-timeout transaction after `cltv_expiry`.
 * @see BOLT 3 "Offered HTLC Outputs"
 */
export function offeredHtlcScript(keys: HtlcScriptKeys, channelType: ChannelType = DEFAULT_CHANNEL_TYPE): Uint8Array {
  const { revocationHash, remoteHtlcPubkey, localHtlcPubkey, paymentHashRipemd } = htlcScriptParts(keys, 'offeredHtlcScript');
  return bscript.compile([
    ...revocationBranchOpen(revocationHash),
    remoteHtlcPubkey,
    ...preimageSizeCheck(),
    opcodes.OP_NOTIF,
    opcodes.OP_DROP,
    ...twoOfTwoTail(localHtlcPubkey),
    opcodes.OP_ELSE,
    opcodes.OP_HASH160,
    paymentHashRipemd,
    opcodes.OP_EQUALVERIFY,
    opcodes.OP_CHECKSIG,
    opcodes.OP_ENDIF,
    ...anchorsDelay(channelType),
    opcodes.OP_ENDIF,
  ]);
}

/**
 * A received HTLC (counterparty pays the owner): revocation key at once; the owner with the preimage
 * via its HTLC-success transaction (both HTLC keys); or the counterparty alone after `cltvExpiry`.
 * @see BOLT 3 "Received HTLC Outputs"
 */
export function receivedHtlcScript(
  keys: HtlcScriptKeys,
  cltvExpiry: number,
  channelType: ChannelType = DEFAULT_CHANNEL_TYPE,
): Uint8Array {
  const { revocationHash, remoteHtlcPubkey, localHtlcPubkey, paymentHashRipemd } = htlcScriptParts(keys, 'receivedHtlcScript');
  assertIntRange(cltvExpiry, 0, MAX_CLTV_EXPIRY, 'receivedHtlcScript cltvExpiry');
  return bscript.compile([
    ...revocationBranchOpen(revocationHash),
    remoteHtlcPubkey,
    ...preimageSizeCheck(),
    opcodes.OP_IF,
    opcodes.OP_HASH160,
    paymentHashRipemd,
    opcodes.OP_EQUALVERIFY,
    ...twoOfTwoTail(localHtlcPubkey),
    opcodes.OP_ELSE,
    opcodes.OP_DROP,
    bscript.number.encode(cltvExpiry),
    opcodes.OP_CHECKLOCKTIMEVERIFY,
    opcodes.OP_DROP,
    opcodes.OP_CHECKSIG,
    opcodes.OP_ENDIF,
    ...anchorsDelay(channelType),
    opcodes.OP_ENDIF,
  ]);
}

/**
 * `OP_0 <SHA256(witnessScript)>`: the version-0 P2WSH output paying to `witnessScript`.
 * @see BOLT 3 "Use of Segwit"
 */
export function p2wshScriptPubKey(witnessScript: Uint8Array): Uint8Array {
  assertBytes(witnessScript, undefined, 'p2wshScriptPubKey witnessScript');
  return payments.p2wsh({ redeem: { output: witnessScript } }).output as Uint8Array;
}

/**
 * `OP_0 <HASH160(pubkey)>`: the version-0 P2WPKH output paying to `publicKey`.
 * @see BOLT 3 "Use of Segwit"
 */
export function p2wpkhScriptPubKey(publicKey: Uint8Array): Uint8Array {
  assertPublicKey(publicKey, 'p2wpkhScriptPubKey publicKey');
  return payments.p2wpkh({ pubkey: publicKey }).output as Uint8Array;
}

function htlcScriptParts(keys: HtlcScriptKeys, context: string) {
  assertPublicKey(keys.revocationPubkey, `${context} revocationPubkey`);
  assertPublicKey(keys.localHtlcPubkey, `${context} localHtlcPubkey`);
  assertPublicKey(keys.remoteHtlcPubkey, `${context} remoteHtlcPubkey`);
  assertBytes(keys.paymentHash, PAYMENT_HASH_BYTES, `${context} paymentHash`);
  return {
    revocationHash: hash160(keys.revocationPubkey),
    remoteHtlcPubkey: keys.remoteHtlcPubkey,
    localHtlcPubkey: keys.localHtlcPubkey,
    // The script hashes the preimage with OP_HASH160, so it must hold RIPEMD160(SHA256(preimage)).
    paymentHashRipemd: ripemd160(keys.paymentHash),
  };
}

/** `OP_DUP OP_HASH160 <RIPEMD160(SHA256(revocationpubkey))> OP_EQUAL OP_IF OP_CHECKSIG OP_ELSE` */
function revocationBranchOpen(revocationHash: Uint8Array) {
  return [opcodes.OP_DUP, opcodes.OP_HASH160, revocationHash, opcodes.OP_EQUAL, opcodes.OP_IF, opcodes.OP_CHECKSIG, opcodes.OP_ELSE];
}

/** `OP_SWAP OP_SIZE 32 OP_EQUAL`: is the top witness item preimage-sized? */
function preimageSizeCheck() {
  return [opcodes.OP_SWAP, opcodes.OP_SIZE, bscript.number.encode(PAYMENT_PREIMAGE_BYTES), opcodes.OP_EQUAL];
}

/** `2 OP_SWAP <local_htlcpubkey> 2 OP_CHECKMULTISIG`: both HTLC keys, for the second-stage transaction. */
function twoOfTwoTail(localHtlcPubkey: Uint8Array) {
  return [
    bscript.number.encode(FUNDING_REQUIRED_SIGNATURES),
    opcodes.OP_SWAP,
    localHtlcPubkey,
    bscript.number.encode(FUNDING_REQUIRED_SIGNATURES),
    opcodes.OP_CHECKMULTISIG,
  ];
}

/** With anchors, `1 OP_CSV OP_DROP` before the final OP_ENDIF; nothing otherwise. */
function anchorsDelay(channelType: ChannelType) {
  return channelType === 'anchors_zero_fee_htlc_tx'
    ? [bscript.number.encode(ANCHORS_SPEND_CSV_BLOCKS), opcodes.OP_CHECKSEQUENCEVERIFY, opcodes.OP_DROP]
    : [];
}
