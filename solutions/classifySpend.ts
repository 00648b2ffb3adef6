/** Reference solution of ⚡️ deep dive `classifySpend` (notebook 01). */
import type { Transaction } from 'bitcoinjs-lib';
import { secretIndexForCommitment, type ChannelMonitor, type ClassifiedSpend } from '../src/index.js';

/**
 * What a spend of the funding output is. A commitment carries a marker byte in the top of its locktime and
 * of its input's sequence; the 48-bit commitment number, XORed with the channel's obscuring factor, is
 * split between the two fields' lower 24 bits (BOLT 3 "Commitment Transaction" says which half goes where).
 */
export function classifySpend(this: ChannelMonitor, tx: Transaction): ClassifiedSpend {
  const sequence = tx.ins[0]!.sequence; // (given)
  // no commitment markers (0x80 atop the sequence, 0x20 atop the locktime): the two sides agreed to close
  if (sequence >>> 24 !== 0x80 || tx.locktime >>> 24 !== 0x20) return { kind: 'CooperativeClose' };
  // put the obscured number's two halves back together, then undo the XOR
  const obscured = (BigInt(sequence & 0xffffff) << 24n) | BigInt(tx.locktime & 0xffffff);
  const commitmentNumber = obscured ^ this.obscuringFactor;
  // ours first: both sides count commitments from 0, so our own old commitment has a number Bob revoked too
  if (this.isHolderCommitment(tx, commitmentNumber)) return { kind: 'HolderCommitment', commitmentNumber };
  // theirs: revoked if they revealed its secret, else their current commitment
  const perCommitmentSecret = this.commitmentSecrets.getSecret(secretIndexForCommitment(commitmentNumber));
  if (perCommitmentSecret) return { kind: 'RevokedCommitment', commitmentNumber, perCommitmentSecret };
  return { kind: 'CounterpartyCommitment', commitmentNumber };
}
