/**
 * Checks of ⚡️ `updateMonitor`: every kind of `ChannelMonitorUpdate` applied to Alice's monitor — the
 * updates of three real payments of the demo channel (recorded, see `./demo-monitor-fixture.ts`) — and
 * what it stored must survive a reload from disk.
 * @see BOLT 3 "Per-commitment Secret Requirements"; BOLT 2 `revoke_and_ack`, `update_fulfill_htlc`
 */
import { InvalidSecretError } from '../../ln/errors.js';
import { FIRST_PER_COMMITMENT_INDEX } from '../../ln/secrets.js';
import { InvalidMonitorUpdateError } from '../../monitor/errors.js';
import type { ChannelMonitorUpdate } from '../../monitor/updates.js';
import type { ChannelMonitor } from '../../node/channel-monitor.js';
import { checkPick, checkRandomBytes } from '../check/context.js';
import { expectEqual, expectThrows, show } from '../check/expect.js';
import type { ExerciseTest } from '../check/types.js';
import { RECORDED_PAYMENTS, recordedAliceMonitor, recordedFreshMonitor, recordedUpdates } from './demo-monitor-fixture.js';
import { knownSecretsStore, nodeWith } from './support.js';
import { demoBobKeys } from '../../workshop/demo-channel.js';

export type UpdateMonitor = (this: ChannelMonitor, update: ChannelMonitorUpdate) => void;

/**
 * Alice's monitor before any payment, of the class with the learner's `updateMonitor`. Bob's secrets go to
 * a store that knows them: the store's own insert is a deep dive (`provideSecret`), a hole here.
 */
function monitorClass(impl: UpdateMonitor) {
  return nodeWith('updateMonitor', impl, knownSecretsStore((n) => demoBobKeys.perCommitmentSecret(n))).ChannelMonitor;
}

function freshMonitor(impl: UpdateMonitor): ChannelMonitor {
  return recordedFreshMonitor(monitorClass(impl));
}

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

/** What the updates put in a monitor, field by field, as text a report can show. */
function storedState(monitor: ChannelMonitor): Record<string, string> {
  return {
    'commitmentSecrets (the secret store)': hex(monitor.commitmentSecrets.toBytes()).slice(0, 24) + `… (${monitor.commitmentSecrets.toBytes().length} bytes)`,
    'counterpartyCommitments (their commitments, by txid)': show([...monitor.counterpartyCommitments.keys()].map((txid) => `${txid.slice(0, 8)}…`).sort()),
    'holderCommitmentNumber': String(monitor.holderCommitmentNumber),
    'currentCommitmentTx (our newest commitment)': monitor.currentCommitmentTx ? `${monitor.currentCommitmentTx.getId().slice(0, 8)}…` : 'none',
    'preimages': show(monitor.preimages.map((p) => `${hex(p).slice(0, 8)}…`)),
  };
}

/** Fails on the first field where `actual` differs from `expected`, naming the field and its fix. */
function expectSameState(actual: ChannelMonitor, expected: ChannelMonitor, context: string, hintFor: (field: string) => string): void {
  const want = storedState(expected);
  const got = storedState(actual);
  for (const field of Object.keys(want)) expectEqual(got[field], want[field], `${field} ${context}`, hintFor(field));
}

const HINTS: Record<string, string> = {
  'commitmentSecrets': 'give each `CommitmentSecret` to `this.commitmentSecrets.provideSecret(update.index, update.secret)`',
  'counterpartyCommitments': 'record the `Latest…CommitmentTx` kinds with `this.recordLatestCommitment(update)`',
  'holderCommitmentNumber': 'record the `Latest…CommitmentTx` kinds with `this.recordLatestCommitment(update)`',
  'currentCommitmentTx': 'record the `Latest…CommitmentTx` kinds with `this.recordLatestCommitment(update)`',
};

export const tests: ExerciseTest<UpdateMonitor>[] = [
  {
    name: 'stores a payment preimage, each one once',
    async run(impl) {
      const monitor = freshMonitor(impl);
      const first = checkRandomBytes();
      const second = checkRandomBytes();
      monitor.updateMonitor({ kind: 'PaymentPreimage', paymentPreimage: first });
      monitor.updateMonitor({ kind: 'PaymentPreimage', paymentPreimage: Uint8Array.from(first) });
      monitor.updateMonitor({ kind: 'PaymentPreimage', paymentPreimage: second });
      expectEqual(show(monitor.preimages.map(hex)), show([hex(first), hex(second)]), 'preimages after p, a copy of p, then q',
        'push a preimage onto `this.preimages` unless an equal one is there (compare the bytes: a copy is a different object)');
    },
  },
  {
    name: 'refuses a preimage that is not 32 bytes, and stores nothing',
    async run(impl) {
      const monitor = freshMonitor(impl);
      const length = checkPick([0, 16, 31, 33, 64]);
      await expectThrows(() => monitor.updateMonitor({ kind: 'PaymentPreimage', paymentPreimage: new Uint8Array(length).fill(7) }),
        InvalidMonitorUpdateError, `updateMonitor with a ${length}-byte preimage`,
        'check `update.paymentPreimage.length === PAYMENT_PREIMAGE_BYTES` and otherwise `throw new InvalidMonitorUpdateError(message, fix)`');
      expectEqual(monitor.preimages.length, 0, 'preimages after the refused one', 'throw before storing anything');
    },
  },
  {
    name: `applies every update of ${RECORDED_PAYMENTS.count} payments: the secrets, and the newest commitments of both sides`,
    async run(impl) {
      const monitor = freshMonitor(impl);
      for (const update of recordedUpdates()) monitor.updateMonitor(update);
      expectSameState(monitor, recordedAliceMonitor(monitorClass(impl)), "after the payments' updates",
        (field) => HINTS[field.split(' ')[0]!] ?? 'apply every kind of update');
      expectEqual(monitor.commitmentSecrets.getSecret(FIRST_PER_COMMITMENT_INDEX) !== undefined, true, 'the secret of commitment 0',
        'give each `CommitmentSecret` to `this.commitmentSecrets.provideSecret(update.index, update.secret)`');
    },
  },
  {
    name: 'what it stored survives a reload from disk',
    async run(impl) {
      const monitor = freshMonitor(impl);
      for (const update of recordedUpdates()) monitor.updateMonitor(update);
      monitor.updateMonitor({ kind: 'PaymentPreimage', paymentPreimage: checkRandomBytes() });
      const reloaded = monitorClass(impl).fromBytes(monitor.toBytes());
      expectSameState(reloaded, monitor, 'after toBytes → fromBytes',
        () => "keep everything in the monitor's own fields (`preimages`, `commitmentSecrets`, `recordLatestCommitment`): anything else is lost at the next restart");
    },
  },
  {
    name: 'rejects an invalid commitment secret with an error, and changes nothing',
    async run(impl) {
      const monitor = freshMonitor(impl);
      for (const update of recordedUpdates()) monitor.updateMonitor(update);
      const before = hex(monitor.commitmentSecrets.toBytes());
      const index = FIRST_PER_COMMITMENT_INDEX - BigInt(RECORDED_PAYMENTS.count);
      const forged: ChannelMonitorUpdate = { kind: 'CommitmentSecret', index, secret: checkRandomBytes() };
      await expectThrows(() => monitor.updateMonitor(forged), InvalidSecretError, 'updateMonitor with a forged secret',
        "don't keep secrets yourself: `provideSecret` checks BOLT 3's rule and throws on a secret that cannot derive the stored ones");
      expectEqual(hex(monitor.commitmentSecrets.toBytes()) === before, true, 'secret store unchanged after the rejection',
        'let `provideSecret` do the storing: it leaves the store unchanged when it throws');
    },
  },
];
