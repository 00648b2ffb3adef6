/**
 * Checks of ⚡️ `updateChannel`: apply, then persist, then answer; each failure its own answer.
 * @see LDK `chain::Watch::update_channel`
 */
import type { OutPoint } from '../../ln/types.js';
import { InvalidSecretError } from '../../ln/errors.js';
import { FIRST_PER_COMMITMENT_INDEX } from '../../ln/secrets.js';
import { UnknownChannelError } from '../../monitor/errors.js';
import { outpointKey } from '../../monitor/outpoints.js';
import { ChannelMonitorUpdateStatus, type ChannelMonitorUpdate } from '../../monitor/updates.js';
import type { ChainMonitor } from '../../node/chain-monitor.js';
import { expectEqual, expectThat, expectThrows } from '../check/expect.js';
import type { ExerciseTest } from '../check/types.js';
import { FailingPersister, applyAll, chainMonitorWith, register, storedMonitors } from './chain-monitor-scenario.js';

export type UpdateChannel = (this: ChainMonitor, fundingOutpoint: OutPoint, update: ChannelMonitorUpdate) => Promise<ChannelMonitorUpdateStatus>;

export const tests: ExerciseTest<UpdateChannel>[] = [
  {
    name: 'applies the update, persists it, and answers Completed',
    async run(impl) {
      const t = await chainMonitorWith('updateChannel', impl);
      try {
        await register(t.chainMonitor, t.monitor);
        const [secretUpdate] = t.pair.pay('alice', 1_000_000n).alice;
        const status = await t.chainMonitor.updateChannel(t.monitor.fundingOutpoint, secretUpdate!);
        expectEqual(status, ChannelMonitorUpdateStatus.Completed, 'updateChannel status', 'return `Completed` after a successful persist');
        expectEqual(t.monitor.commitmentSecrets.getSecret(FIRST_PER_COMMITMENT_INDEX) !== undefined, true, 'secret in the monitor',
          'apply the update: `monitor.updateMonitor(update)`');
        const [onDisk] = await storedMonitors(t);
        expectEqual(onDisk?.commitmentSecrets.getSecret(FIRST_PER_COMMITMENT_INDEX) !== undefined, true, 'secret in the monitor on disk',
          'persist AFTER applying the update — persisting first saves the old state, and a crash loses the new one');
      } finally {
        t.cleanup();
      }
    },
  },
  {
    name: 'answers UnrecoverableError when persisting fails',
    async run(impl) {
      const persister = new FailingPersister();
      const t = await chainMonitorWith('updateChannel', impl, persister);
      try {
        t.chainMonitor.register(outpointKey(t.monitor.fundingOutpoint), t.monitor);
        const [secretUpdate] = t.pair.pay('alice', 1_000_000n).alice;
        const status = await t.chainMonitor.updateChannel(t.monitor.fundingOutpoint, secretUpdate!);
        expectThat(persister.writes > 0, 'persist attempts', 'at least one', 'none', 'persist the monitor after applying the update');
        expectEqual(status, ChannelMonitorUpdateStatus.UnrecoverableError, 'status when the disk fails',
          'catch the persist error and return `UnrecoverableError`, so the channel stops instead of moving on');
      } finally {
        t.cleanup();
      }
    },
  },
  {
    name: 'an unknown funding outpoint gets a clear UnknownChannelError, not a crash',
    async run(impl) {
      const t = await chainMonitorWith('updateChannel', impl);
      try {
        const update: ChannelMonitorUpdate = { kind: 'PaymentPreimage', paymentPreimage: new Uint8Array(32) };
        await expectThrows(() => t.chainMonitor.updateChannel({ txid: 'cd'.repeat(32), vout: 1 }, update), UnknownChannelError,
          'updateChannel for an outpoint nobody watches',
          'look the monitor up, and when it is missing `throw new UnknownChannelError(key, this.monitors.size)` instead of using undefined');
      } finally {
        t.cleanup();
      }
    },
  },
  {
    name: 'an invalid secret is rejected and nothing new is persisted',
    async run(impl) {
      const t = await chainMonitorWith('updateChannel', impl);
      try {
        await register(t.chainMonitor, t.monitor);
        for (let i = 0; i < 3; i++) await applyAll(t, t.pair.pay('alice', 1_000_000n).alice);
        const before = Buffer.from((await t.store.readAllMonitors())[0]!.bytes);
        const forged: ChannelMonitorUpdate = { kind: 'CommitmentSecret', index: FIRST_PER_COMMITMENT_INDEX - 3n, secret: new Uint8Array(32).fill(9) };
        await expectThrows(() => t.chainMonitor.updateChannel(t.monitor.fundingOutpoint, forged), InvalidSecretError,
          'updateChannel with a forged secret', 'apply with `monitor.updateMonitor(update)` and let its error propagate');
        const after = Buffer.from((await t.store.readAllMonitors())[0]!.bytes);
        expectEqual(after.equals(before), true, 'monitor on disk unchanged after the rejected update', 'persist only after the update was applied');
      } finally {
        t.cleanup();
      }
    },
  },
];
