/**
 * Checks of ⚡️ `updateChannel`: find the channel's monitor, apply, then persist, then answer; each
 * failure its own answer. The monitors record what was applied (see `./chain-monitor-scenario.ts`).
 * @see LDK `chain::Watch::update_channel`
 */
import { InvalidSecretError } from '../../ln/errors.js';
import { FIRST_PER_COMMITMENT_INDEX } from '../../ln/secrets.js';
import type { OutPoint } from '../../ln/types.js';
import { UnknownChannelError } from '../../monitor/errors.js';
import { ChannelMonitorUpdateStatus, type ChannelMonitorUpdate } from '../../monitor/updates.js';
import type { ChainMonitor } from '../../node/chain-monitor.js';
import { checkPick, checkRandomBytes } from '../check/context.js';
import { expectEqual, expectThat, expectThrows, show } from '../check/expect.js';
import type { ExerciseTest } from '../check/types.js';
import { FailingPersister, addMonitors, twoDiskFaults, chainMonitorWith, randomOutpoint } from './chain-monitor-scenario.js';

export type UpdateChannel = (this: ChainMonitor, fundingOutpoint: OutPoint, update: ChannelMonitorUpdate) => Promise<ChannelMonitorUpdateStatus>;

/** An update of a kind picked from the run's seed. */
function someUpdate(): ChannelMonitorUpdate {
  return checkPick<() => ChannelMonitorUpdate>([
    () => ({ kind: 'PaymentPreimage', paymentPreimage: checkRandomBytes() }),
    () => ({ kind: 'CommitmentSecret', index: FIRST_PER_COMMITMENT_INDEX, secret: checkRandomBytes() }),
  ])();
}

export const tests: ExerciseTest<UpdateChannel>[] = [
  {
    name: "applies the update to that channel's monitor, persists it after, and answers Completed",
    async run(impl) {
      const t = await chainMonitorWith('updateChannel', impl);
      try {
        const monitors = await addMonitors(t, checkPick([2, 3, 4]));
        const target = monitors[1]!;
        const update = someUpdate();
        const status = await t.chainMonitor.updateChannel(target.fundingOutpoint, update);
        const applied = t.journal.applied.filter((a) => a.update === update);
        expectThat(applied.length === 1 && applied[0]!.monitor === target, 'where the update was applied',
          "once, to the monitor of the channel's funding outpoint", applied.length === 0 ? 'nowhere' : `${applied.length} time(s), ${applied[0]!.monitor === target ? 'to it' : 'to another monitor'}`,
          'look the monitor up with `this.monitors.get(outpointKey(fundingOutpoint))` and call `monitor.updateMonitor(update)`');
        const persisted = t.journal.persists.filter((p) => p.kind === 'update' && p.update === update);
        expectThat(persisted.length === 1 && persisted[0]!.monitor === target, 'persists of the update', 'one, of that monitor', `${persisted.length}`,
          'then `await this.persister.updatePersistedChannel(fundingOutpoint, update, monitor)`');
        expectThat(persisted[0]!.appliedBefore, 'when the update was persisted', 'after applying it', 'before',
          'persist AFTER applying the update — persisting first saves the old state, and a crash loses the new one');
        expectEqual(status, ChannelMonitorUpdateStatus.Completed, 'updateChannel status', 'return `Completed` after a successful persist');
      } finally {
        t.cleanup();
      }
    },
  },
  {
    name: 'answers UnrecoverableError when persisting fails, whatever the disk fault',
    async run(impl) {
      for (const code of twoDiskFaults()) {
        const persister = new FailingPersister(code);
        const t = await chainMonitorWith('updateChannel', impl, persister);
        try {
          const [monitor] = await addMonitors(t, 1);
          const status = await t.chainMonitor.updateChannel(monitor!.fundingOutpoint, someUpdate());
          expectThat(persister.writes > 0, 'persist attempts', 'at least one', 'none', 'persist the monitor after applying the update');
          expectEqual(status, ChannelMonitorUpdateStatus.UnrecoverableError, `status when the disk fails (${code})`,
            'catch the persist error and return `UnrecoverableError`, so the channel stops instead of moving on');
          expectThat(t.chainMonitor.lastPersistError instanceof Error, 'this.lastPersistError', 'the persist error', show(t.chainMonitor.lastPersistError),
            'keep the caught error in `this.lastPersistError`');
        } finally {
          t.cleanup();
        }
      }
    },
  },
  {
    name: 'an unknown funding outpoint gets a clear UnknownChannelError, not a crash',
    async run(impl) {
      const t = await chainMonitorWith('updateChannel', impl);
      try {
        await addMonitors(t, checkPick([0, 1, 2]));
        await expectThrows(() => t.chainMonitor.updateChannel(randomOutpoint(), someUpdate()), UnknownChannelError,
          'updateChannel for an outpoint nobody watches',
          'look the monitor up, and when it is missing `throw new UnknownChannelError(key, this.monitors.size)` instead of using undefined');
        expectEqual(t.journal.persists.filter((p) => p.kind === 'update').length, 0, 'persists for an unknown channel', 'throw before persisting anything');
      } finally {
        t.cleanup();
      }
    },
  },
  {
    name: 'an update the monitor refuses propagates, and nothing is persisted',
    async run(impl) {
      const t = await chainMonitorWith('updateChannel', impl);
      try {
        const [monitor] = await addMonitors(t, 2);
        const forged: ChannelMonitorUpdate = { kind: 'CommitmentSecret', index: FIRST_PER_COMMITMENT_INDEX - 3n, secret: checkRandomBytes() };
        t.journal.refused.add(forged);
        await expectThrows(() => t.chainMonitor.updateChannel(monitor!.fundingOutpoint, forged), InvalidSecretError,
          'updateChannel with a forged secret', 'apply with `monitor.updateMonitor(update)` and let its error propagate');
        expectEqual(t.journal.persists.filter((p) => p.kind === 'update').length, 0, 'persists after the refused update',
          'persist only after the update was applied: a refused update must leave the disk as it was');
      } finally {
        t.cleanup();
      }
    },
  },
];
