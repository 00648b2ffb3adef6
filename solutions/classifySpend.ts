/** Reference solution of ⚡️ deep dive `classifySpend` (notebook 01). */
import type { Transaction } from 'bitcoinjs-lib';
import { secretIndexForCommitment, type ChannelMonitor, type ClassifiedSpend } from '../src/index.js';

/**
 * What a spend of the funding output is. A commitment carries the marker 0x20 in its locktime's top byte
 * and 0x80 in its input's sequence; the 48-bit obscured commitment number is split between them (upper
 * half in the sequence, lower half in the locktime) and XORed with the channel's obscuring factor.
 */
export function classifySpend(this: ChannelMonitor, tx: Transaction): ClassifiedSpend {
  const sequence = tx.ins[0]!.sequence; // (given)
  // no commitment markers: the two sides agreed to close (BOLT 3 "Closing Transaction" sets neither)
  if (sequence >>> 24 !== 0x80 || tx.locktime >>> 24 !== 0x20) return { kind: 'CooperativeClose' };
  // the obscured number: sequence's lower 24 bits above locktime's lower 24 bits, then un-XOR it
  const obscured = (BigInt(sequence & 0xffffff) << 24n) | BigInt(tx.locktime & 0xffffff);
  const commitmentNumber = obscured ^ this.obscuringFactor;
  // ours first: both sides count commitments from 0, so our own old commitment has a number Bob revoked too
  if (this.isHolderCommitment(tx, commitmentNumber)) return { kind: 'HolderCommitment', commitmentNumber };
  // theirs: revoked if they revealed its secret, else their current commitment
  const perCommitmentSecret = this.commitmentSecrets.getSecret(secretIndexForCommitment(commitmentNumber));
  if (perCommitmentSecret) return { kind: 'RevokedCommitment', commitmentNumber, perCommitmentSecret };
  return { kind: 'CounterpartyCommitment', commitmentNumber };
}
