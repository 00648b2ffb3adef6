/**
 * Checks of ⚡️ deep dive `classifySpend`: Alice's recorded monitor (three payments: Bob revoked his
 * commitments #0–#2) is shown each kind of funding spend — Bob's revoked and current commitments, Alice's own
 * current and oldest ones, a cooperative close, and a commitment whose number needs both halves.
 * @see BOLT 3 "Commitment Transaction"; BOLT 5 "Unilateral Close Handling", "Revoked Transaction Close Handling"
 */
import { Transaction } from 'bitcoinjs-lib';
import type { ClassifiedSpend } from '../../monitor/channel-monitor-state.js';
import type { ChannelMonitor } from '../../node/channel-monitor.js';
import { demoChannelPair } from '../../workshop/demo-channel.js';
import { CheckFailure, expectEqual, show } from '../check/expect.js';
import type { ExerciseTest } from '../check/types.js';
import { RECORDED_PAYMENTS, recordedAliceMonitor, recordedCommitment } from './demo-monitor-fixture.js';
import { nodeWith } from './support.js';

export type ClassifySpend = (this: ChannelMonitor, tx: Transaction) => ClassifiedSpend;

/** Bob's current commitment after the recorded payments: one per payment came before it. */
const CURRENT_NUMBER = BigInt(RECORDED_PAYMENTS.count);
/** Low 24 bits: one half of the obscured number. */
const HALF = (1n << 24n) - 1n;
/**
 * A commitment number of 2^24 + 3 as the demo channel obscures it (recorded, not computed here): its
 * locktime and sequence, which a decoder that ignores either half reads wrong.
 */
const ABOVE_2_24 = Object.freeze({ commitmentNumber: (1n << 24n) + 3n, locktime: 0x200d21de, sequence: 0x8064b2f8 });

function aliceMonitor(impl: ClassifySpend): ChannelMonitor {
  const { ChannelMonitor: Monitor } = nodeWith('classifySpend', impl);
  return recordedAliceMonitor(Monitor);
}

/** What the learner answered, as a readable one-liner. */
function describe(spend: ClassifiedSpend | undefined): string {
  if (!spend || typeof spend !== 'object') return show(spend);
  return 'commitmentNumber' in spend ? `${spend.kind} #${show(spend.commitmentNumber)}` : spend.kind;
}

/** Fails unless `got` is `kind` with `commitmentNumber`, naming the likely decoding mistake. */
function expectSpend(monitor: ChannelMonitor, got: ClassifiedSpend, kind: ClassifiedSpend['kind'], commitmentNumber: bigint, what: string, wrongKindHint: string): void {
  const gotNumber = got && 'commitmentNumber' in got ? got.commitmentNumber : undefined;
  if (gotNumber !== undefined && gotNumber !== commitmentNumber) {
    const factor = monitor.obscuringFactor;
    const swap = (x: bigint) => ((x & HALF) << 24n) | (x >> 24n);
    const typeHint = typeof gotNumber !== 'bigint' ? 'a commitment number is a `bigint` (48 bits do not fit a 32-bit bitwise operation)' : undefined;
    const hint = typeHint ??
      ((gotNumber ^ factor) === commitmentNumber ? 'that is the obscured number: XOR it with `this.obscuringFactor` to get the commitment number'
        : swap(gotNumber ^ factor) === (commitmentNumber ^ factor) ? "the two halves are swapped: the sequence carries the obscured number's UPPER 24 bits, the locktime its lower 24"
          : gotNumber === (commitmentNumber & HALF) ? "only the lower 24 bits came through: the number is 48 bits, and the sequence carries its upper half"
          : 'read BOLT 3 "Commitment Transaction" again: which 24 bits of the obscured number the sequence carries and which the locktime, under their marker bytes; then XOR with `this.obscuringFactor`');
    throw new CheckFailure(`${what}: its commitment number`, show(commitmentNumber), show(gotNumber), hint);
  }
  if (!got || got.kind !== kind || gotNumber === undefined) {
    throw new CheckFailure(what, `${kind} #${commitmentNumber}`, describe(got), wrongKindHint);
  }
}

/** A closing transaction: spends the funding output with neither commitment marker (BOLT 3 "Closing Transaction"). */
function cooperativeClose(monitor: ChannelMonitor): Transaction {
  const tx = new Transaction();
  tx.version = 2;
  tx.locktime = 0;
  tx.addInput(Buffer.from(monitor.fundingOutpoint.txid, 'hex').reverse(), monitor.fundingOutpoint.vout, 0xffffffff);
  tx.addOutput(Uint8Array.from(monitor.destinationScript), 600_000n);
  return tx;
}

export const tests: ExerciseTest<ClassifySpend>[] = [
  {
    name: "Bob's revoked commitments: RevokedCommitment, with the secret he revealed",
    async run(impl) {
      const monitor = aliceMonitor(impl);
      const bob = demoChannelPair().keys.bob;
      for (const n of [0n, 1n]) {
        const got = monitor.classifySpend(recordedCommitment('bob', n));
        expectSpend(monitor, got, 'RevokedCommitment', n, `classifySpend(Bob's revoked commitment #${n})`,
          "Bob revealed this commitment's secret: look it up in `this.commitmentSecrets` (by `secretIndexForCommitment(number)`) and answer RevokedCommitment");
        expectEqual((got as { perCommitmentSecret?: Uint8Array }).perCommitmentSecret, bob.perCommitmentSecret(n),
          `perCommitmentSecret of Bob's revoked commitment #${n}`, 'return the secret the store holds for that commitment: reactTo signs the justice transaction with it');
      }
    },
  },
  {
    name: "Bob's current commitment: CounterpartyCommitment with its number",
    async run(impl) {
      const monitor = aliceMonitor(impl);
      expectSpend(monitor, monitor.classifySpend(recordedCommitment('bob')), 'CounterpartyCommitment', CURRENT_NUMBER, "classifySpend(Bob's current commitment)",
        'no secret for this number yet: Bob has not revoked it, so it is a plain force close by the counterparty');
    },
  },
  {
    name: 'our own commitments, current and oldest: HolderCommitment, never mistaken for revoked',
    async run(impl) {
      const monitor = aliceMonitor(impl);
      expectSpend(monitor, monitor.classifySpend(monitor.currentCommitmentTx!), 'HolderCommitment', CURRENT_NUMBER, 'classifySpend(our current commitment)',
        'ask `this.isHolderCommitment(tx, number)` before anything else');
      expectSpend(monitor, monitor.classifySpend(demoChannelPair().signedCommitment('alice', 0n)), 'HolderCommitment', 0n, 'classifySpend(our oldest commitment, #0)',
        "ask whether it is ours FIRST: both sides number their commitments alike, and Bob's revealed secret for #0 says nothing about our #0");
    },
  },
  {
    name: 'a cooperative close (no commitment markers): CooperativeClose',
    async run(impl) {
      const monitor = aliceMonitor(impl);
      const got = monitor.classifySpend(cooperativeClose(monitor));
      if (got?.kind === 'CooperativeClose') return;
      throw new CheckFailure('classifySpend(a closing transaction: locktime 0, sequence 0xffffffff)', 'CooperativeClose', describe(got),
        'a commitment has 0x20 in the top byte of its locktime and 0x80 in the top byte of its sequence; without both it is no commitment');
    },
  },
  {
    name: 'a commitment number above 2^24: both halves decoded',
    async run(impl) {
      const monitor = aliceMonitor(impl);
      const tx = recordedCommitment('bob');
      tx.locktime = ABOVE_2_24.locktime;
      tx.ins[0]!.sequence = ABOVE_2_24.sequence;
      expectSpend(monitor, monitor.classifySpend(tx), 'CounterpartyCommitment', ABOVE_2_24.commitmentNumber,
        `classifySpend(a commitment numbered 2^24 + 3, locktime 0x${ABOVE_2_24.locktime.toString(16)}, sequence 0x${ABOVE_2_24.sequence.toString(16)})`,
        'a number this high is not ours and has no secret: CounterpartyCommitment');
    },
  },
];
