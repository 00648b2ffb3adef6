/**
 * Checks of ⚡️ `updateMonitor`: each kind of `ChannelMonitorUpdate` applied to Alice's monitor.
 * @see BOLT 3 "Per-commitment Secret Requirements"; BOLT 2 `revoke_and_ack`
 */
import { InvalidSecretError } from '../../ln/errors.js';
import { FIRST_PER_COMMITMENT_INDEX } from '../../ln/secrets.js';
import type { ChannelMonitorUpdate } from '../../monitor/updates.js';
import type { ChannelMonitor } from '../../node/channel-monitor.js';
import { DEMO_ALICE_DESTINATION, demoChannelPair } from '../../workshop/demo-channel.js';
import { expectEqual, expectThrows } from '../check/expect.js';
import type { ExerciseTest } from '../check/types.js';
import { START, knownSecretsStore, nodeWith } from './support.js';

export type UpdateMonitor = (this: ChannelMonitor, update: ChannelMonitorUpdate) => void;

async function aliceMonitor(impl: UpdateMonitor) {
  const pair = demoChannelPair();
  // Bob's secrets go to a store that knows them (the store's own insert is a deep dive, a hole here).
  const { ChannelMonitor: Monitor } = nodeWith('updateMonitor', impl, knownSecretsStore((n) => pair.keys.bob.perCommitmentSecret(n)));
  return { pair, monitor: new Monitor(pair.monitorInit('alice', DEMO_ALICE_DESTINATION, START)) };
}

export const tests: ExerciseTest<UpdateMonitor>[] = [
  {
    name: 'stores a payment preimage',
    async run(impl) {
      const { monitor } = await aliceMonitor(impl);
      monitor.updateMonitor({ kind: 'PaymentPreimage', paymentPreimage: new Uint8Array(32).fill(0x42) });
      expectEqual(monitor.preimages.length, 1, 'preimages.length after one PaymentPreimage', 'push the preimage onto `this.preimages`');
    },
  },
  {
    name: 'stores the same preimage only once',
    async run(impl) {
      const { monitor } = await aliceMonitor(impl);
      monitor.updateMonitor({ kind: 'PaymentPreimage', paymentPreimage: new Uint8Array(32).fill(1) });
      monitor.updateMonitor({ kind: 'PaymentPreimage', paymentPreimage: new Uint8Array(32).fill(1) });
      expectEqual(monitor.preimages.length, 1, 'preimages.length after the same preimage twice', 'skip a preimage already in `this.preimages` (compare bytes)');
    },
  },
  {
    name: 'stores commitment secrets so the revoked commitment can be punished',
    async run(impl) {
      const { pair, monitor } = await aliceMonitor(impl);
      for (const update of pair.pay('alice', 10_000_000n).alice) monitor.updateMonitor(update);
      const stored = monitor.commitmentSecrets.getSecret(FIRST_PER_COMMITMENT_INDEX);
      expectEqual(stored, pair.keys.bob.perCommitmentSecret(0n), 'commitmentSecrets.getSecret(2^48 - 1)',
        'give the secret to `this.commitmentSecrets.provideSecret(update.index, update.secret)`');
    },
  },
  {
    name: 'rejects an invalid commitment secret with an error, and changes nothing',
    async run(impl) {
      const { pair, monitor } = await aliceMonitor(impl);
      for (let i = 0; i < 3; i++) for (const u of pair.pay('alice', 1_000_000n).alice) monitor.updateMonitor(u);
      const before = Buffer.from(monitor.commitmentSecrets.toBytes());
      const forged: ChannelMonitorUpdate = { kind: 'CommitmentSecret', index: FIRST_PER_COMMITMENT_INDEX - 3n, secret: new Uint8Array(32).fill(3) };
      await expectThrows(() => monitor.updateMonitor(forged), InvalidSecretError, 'updateMonitor with a forged secret',
        "don't push secrets into an array: `provideSecret` checks BOLT 3's rule and throws on a secret that cannot derive the stored ones");
      expectEqual(Buffer.from(monitor.commitmentSecrets.toBytes()).equals(before), true, 'secret store unchanged after the rejection',
        'let `provideSecret` do the storing: it leaves the store unchanged when it throws');
    },
  },
];
