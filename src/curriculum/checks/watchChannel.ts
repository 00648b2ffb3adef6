/**
 * Checks of ⚡️ `watchChannel`: persist first, register after, refuse a duplicate, and never answer
 * `Completed` for a monitor that is not on disk.
 * @see LDK `chain::Watch::watch_channel`, `ChannelMonitorUpdateStatus`
 */
import type { OutPoint } from '../../ln/types.js';
import { ChannelAlreadyWatchedError } from '../../monitor/errors.js';
import { outpointKey } from '../../monitor/outpoints.js';
import { ChannelMonitorUpdateStatus } from '../../monitor/updates.js';
import type { ChainMonitor } from '../../node/chain-monitor.js';
import type { ChannelMonitor } from '../../node/channel-monitor.js';
import { expectEqual, expectThat, expectThrows, show } from '../check/expect.js';
import type { ExerciseTest } from '../check/types.js';
import { FailingPersister, addMonitors, twoDiskFaults, chainMonitorWith, spendOf } from './chain-monitor-scenario.js';

export type WatchChannel = (this: ChainMonitor, fundingOutpoint: OutPoint, monitor: ChannelMonitor) => Promise<ChannelMonitorUpdateStatus>;

export const tests: ExerciseTest<WatchChannel>[] = [
  {
    name: 'answers Completed and the monitor is on disk',
    async run(impl) {
      const t = await chainMonitorWith('watchChannel', impl);
      try {
        const monitor = t.monitor();
        const status = await t.chainMonitor.watchChannel(monitor.fundingOutpoint, monitor);
        expectEqual(status, ChannelMonitorUpdateStatus.Completed, 'watchChannel status', 'return `ChannelMonitorUpdateStatus.Completed` once the monitor is persisted');
        const stored = (await t.onDisk()).map((m) => outpointKey(m.fundingOutpoint));
        expectEqual(show(stored), show([outpointKey(monitor.fundingOutpoint)]), 'monitors on disk after watchChannel',
          'persist the monitor: `await this.persister.persistNewChannel(fundingOutpoint, monitor)`');
      } finally {
        t.cleanup();
      }
    },
  },
  {
    name: 'registers the monitor so later blocks and updates reach it',
    async run(impl) {
      const t = await chainMonitorWith('watchChannel', impl);
      try {
        await addMonitors(t, 1);
        const monitor = t.monitor();
        await t.chainMonitor.watchChannel(monitor.fundingOutpoint, monitor);
        const key = outpointKey(monitor.fundingOutpoint);
        expectThat(t.chainMonitor.monitors.get(key) === monitor, `this.monitors.get('${key.slice(0, 12)}…')`, 'the monitor handed over',
          show([...t.chainMonitor.monitors.keys()]), 'register it under `outpointKey(fundingOutpoint)` with `this.register(key, monitor)`');
        expectEqual(t.chainMonitor.monitors.size, 2, 'monitors registered (one was there before)', 'add the new monitor; keep the others');
        const reached = t.chainMonitor.watchIndex.relevantTransactions([spendOf(monitor.fundingOutpoint)]);
        expectThat(reached.has(key), 'the watch index, for a spend of the funding output', 'this monitor', 'nobody',
          'use `this.register(key, monitor)`: besides the map it fills the watch index that routes blocks');
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
        const t = await chainMonitorWith('watchChannel', impl, persister);
        try {
          const monitor = t.monitor();
          const status = await t.chainMonitor.watchChannel(monitor.fundingOutpoint, monitor);
          expectThat(persister.writes > 0, 'persist attempts', 'at least one', 'none', 'persist the monitor before answering');
          expectEqual(status, ChannelMonitorUpdateStatus.UnrecoverableError, `status when the disk fails (${code})`,
            'catch the persist error and return `UnrecoverableError`: `Completed` promises the state is safe on disk');
          expectThat(t.chainMonitor.lastPersistError instanceof Error, 'this.lastPersistError', 'the persist error', show(t.chainMonitor.lastPersistError),
            'keep the caught error in `this.lastPersistError`, so the caller can say why the channel cannot open');
        } finally {
          t.cleanup();
        }
      }
    },
  },
  {
    name: 'does not keep a monitor whose persist failed',
    async run(impl) {
      const persister = new FailingPersister();
      const t = await chainMonitorWith('watchChannel', impl, persister);
      try {
        const monitor = t.monitor();
        await t.chainMonitor.watchChannel(monitor.fundingOutpoint, monitor);
        expectThat(persister.writes > 0, 'persist attempts', 'at least one', 'none', 'persist the monitor before registering it');
        expectEqual(t.chainMonitor.monitors.size, 0, 'monitors registered after a failed persist', 'persist first, register only after it succeeded');
        const reached = t.chainMonitor.watchIndex.relevantTransactions([spendOf(monitor.fundingOutpoint)]);
        expectEqual(reached.size, 0, 'watch-index entries after a failed persist', 'call `this.register` only once the persist succeeded');
      } finally {
        t.cleanup();
      }
    },
  },
  {
    name: 'refuses a second monitor for the same funding outpoint, before touching the disk',
    async run(impl) {
      const t = await chainMonitorWith('watchChannel', impl);
      try {
        const monitor = t.monitor();
        await t.chainMonitor.watchChannel(monitor.fundingOutpoint, monitor);
        const second = t.monitor(monitor.fundingOutpoint);
        const writes = t.journal.persists.length;
        await expectThrows(() => t.chainMonitor.watchChannel(second.fundingOutpoint, second), ChannelAlreadyWatchedError,
          'watchChannel twice for one outpoint', 'if `this.monitors` already has the key, `throw new ChannelAlreadyWatchedError(key)`');
        expectEqual(t.journal.persists.length - writes, 0, 'persists for the refused monitor',
          'refuse before persisting: the refused monitor must not overwrite the stored one');
        expectThat(t.chainMonitor.monitors.get(outpointKey(monitor.fundingOutpoint)) === monitor, 'the registered monitor', 'still the first one', 'replaced',
          'check for an existing monitor before persisting or registering');
      } finally {
        t.cleanup();
      }
    },
  },
];
