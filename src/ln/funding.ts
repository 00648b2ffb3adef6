/**
 * The channel's funding output, a P2WSH 2-of-2, and the witness that spends it (commitment and closing
 * transactions both do). The witness starts with an empty item because OP_CHECKMULTISIG pops one extra
 * stack element (the historic off-by-one), and its signatures follow the script's key order.
 * @see BOLT 3 "Funding Transaction Output"
 */
import type { Transaction } from 'bitcoinjs-lib';
import { bytesToHex, compareBytes, equalBytes } from './bytes.js';
import { InvalidSignatureError } from './errors.js';
import { assertPublicKey } from './keys.js';
import { fundingScript, p2wshScriptPubKey } from './scripts.js';
import { signWitnessInput, verifyWitnessSignature } from './sign.js';

/**
 * The funding output both sides must find in the funding transaction.
 * @see BOLT 3 "Funding Transaction Output"
 */
export interface FundingOutput {
  readonly witnessScript: Uint8Array;
  readonly scriptPubKey: Uint8Array;
  readonly amountSat: bigint;
}

/**
 * The funding output for two funding pubkeys (either order) and the channel value.
 * @see BOLT 3 "Funding Transaction Output"
 */
export function fundingOutput(fundingPubkeyA: Uint8Array, fundingPubkeyB: Uint8Array, amountSat: bigint): FundingOutput {
  if (typeof amountSat !== 'bigint' || amountSat <= 0n) {
    throw new RangeError(`fundingOutput amountSat: expected a positive bigint, got ${String(amountSat)}`);
  }
  const witnessScript = fundingScript(fundingPubkeyA, fundingPubkeyB);
  return Object.freeze({ witnessScript, scriptPubKey: p2wshScriptPubKey(witnessScript), amountSat });
}

/**
 * What signing or finishing a spend of the funding output needs to know.
 * @see BOLT 3 "Funding Transaction Output"
 */
export interface FundingSpend {
  readonly tx: Transaction;
  /** Which input spends the funding output (0 for commitment and closing transactions). */
  readonly inputIndex: number;
  readonly funding: FundingOutput;
}

/**
 * Our signature (DER + SIGHASH_ALL) on a transaction spending the funding output.
 * @see BOLT 3 "Funding Transaction Output"
 */
export function signFundingSpend(spend: FundingSpend, fundingSecret: Uint8Array): Uint8Array {
  return signWitnessInput(spend.tx, fundingSigningSpec(spend), fundingSecret);
}

/**
 * True when `signature` is `fundingPubkey`'s valid SIGHASH_ALL signature on this funding spend.
 * @see BOLT 3 "Funding Transaction Output"
 */
export function verifyFundingSignature(spend: FundingSpend, signature: Uint8Array, fundingPubkey: Uint8Array): boolean {
  return verifyWitnessSignature(spend.tx, fundingSigningSpec(spend), signature, fundingPubkey);
}

/**
 * One funding key and its signature; `withFundingWitness` orders the pairs itself.
 * @see BOLT 3 "Funding Transaction Output"
 */
export interface FundingSignature {
  readonly fundingPubkey: Uint8Array;
  readonly signature: Uint8Array;
}

/**
 * A copy of `spend.tx` with the funding input's witness `0 <sig_for_pubkey1> <sig_for_pubkey2> <script>`.
 * Throws `InvalidSignatureError` if the keys are not the funding script's or a signature does not verify,
 * so a transaction that would be rejected by the network is never returned.
 * @see BOLT 3 "Commitment Transaction"
 */
export function withFundingWitness(spend: FundingSpend, a: FundingSignature, b: FundingSignature): Transaction {
  assertPublicKey(a.fundingPubkey, 'withFundingWitness a.fundingPubkey');
  assertPublicKey(b.fundingPubkey, 'withFundingWitness b.fundingPubkey');
  if (!equalBytes(fundingScript(a.fundingPubkey, b.fundingPubkey), spend.funding.witnessScript)) {
    throw new InvalidSignatureError(
      'withFundingWitness keys',
      'the two funding pubkeys of this channel',
      'keys whose 2-of-2 script differs from the funding output',
      'pass the holder and counterparty funding pubkeys from the channel parameters',
    );
  }
  const [first, second] = compareBytes(a.fundingPubkey, b.fundingPubkey) <= 0 ? [a, b] : [b, a];
  for (const entry of [first, second]) {
    if (!verifyFundingSignature(spend, entry.signature, entry.fundingPubkey)) {
      throw new InvalidSignatureError(
        'withFundingWitness',
        'a valid SIGHASH_ALL signature for this transaction',
        `an invalid one for funding key ${bytesToHex(entry.fundingPubkey)}`,
      );
    }
  }
  const signed = spend.tx.clone();
  // The leading empty item feeds OP_CHECKMULTISIG's extra pop (BIP 147 requires it to be empty).
  signed.setWitness(spend.inputIndex, [new Uint8Array(0), first.signature, second.signature, spend.funding.witnessScript]);
  return signed;
}

function fundingSigningSpec(spend: FundingSpend) {
  return { inputIndex: spend.inputIndex, witnessScript: spend.funding.witnessScript, amountSat: spend.funding.amountSat };
}
