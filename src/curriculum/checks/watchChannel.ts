/**
 * Checks of ⚡️ `watchChannel`: persist first, register after, refuse a duplicate, and never answer
 * `Completed` for a monitor that is not on disk.
 * @see LDK `chain::Watch::watch_channel`, `ChannelMonitorUpdateStatus`
 */
import type { OutPoint } from '../../ln/types.js';
import { ChannelAlreadyWatchedError } from '../../monitor/errors.js';
import { ChannelMonitorUpdateStatus } from '../../monitor/updates.js';
import type { ChainMonitor } from '../../node/chain-monitor.js';
import type { ChannelMonitor } from '../../node/channel-monitor.js';
import { DEMO_ALICE_DESTINATION } from '../../workshop/demo-channel.js';
import { expectEqual, expectThat, expectThrows } from '../check/expect.js';
import type { ExerciseTest } from '../check/types.js';
import { FailingPersister, chainMonitorWith, storedMonitors } from './chain-monitor-scenario.js';
import { START } from './support.js';

export type WatchChannel = (this: ChainMonitor, fundingOutpoint: OutPoint, monitor: ChannelMonitor) => Promise<ChannelMonitorUpdateStatus>;

export const tests: ExerciseTest<WatchChannel>[] = [
  {
    name: 'answers Completed and the monitor is on disk',
    async run(impl) {
      const t = await chainMonitorWith('watchChannel', impl);
      try {
        const status = await t.chainMonitor.watchChannel(t.monitor.fundingOutpoint, t.monitor);
        expectEqual(status, ChannelMonitorUpdateStatus.Completed, 'watchChannel status', 'return `ChannelMonitorUpdateStatus.Completed` once the monitor is persisted');
        expectEqual((await storedMonitors(t)).length, 1, 'monitors on disk after watchChannel',
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
        await t.chainMonitor.watchChannel(t.monitor.fundingOutpoint, t.monitor);
        expectEqual(t.chainMonitor.monitors.size, 1, 'monitors registered', 'register it with `this.register(key, monitor)`');
        const [update] = t.pair.pay('alice', 1_000_000n).alice;
        const status = await t.chainMonitor.updateChannel(t.monitor.fundingOutpoint, update!);
        expectEqual(status, ChannelMonitorUpdateStatus.Completed, 'an update after watchChannel', 'key the monitor with `outpointKey(fundingOutpoint)`');
      } finally {
        t.cleanup();
      }
    },
  },
  {
    name: 'answers UnrecoverableError when persisting fails',
    async run(impl) {
      const persister = new FailingPersister();
      const t = await chainMonitorWith('watchChannel', impl, persister);
      try {
        const status = await t.chainMonitor.watchChannel(t.monitor.fundingOutpoint, t.monitor);
        expectThat(persister.writes > 0, 'persist attempts', 'at least one', 'none', 'persist the monitor before answering');
        expectEqual(status, ChannelMonitorUpdateStatus.UnrecoverableError, 'status when the disk fails',
          'catch the persist error and return `UnrecoverableError`: `Completed` promises the state is safe on disk');
      } finally {
        t.cleanup();
      }
    },
  },
  {
    name: 'does not keep a monitor whose persist failed',
    async run(impl) {
      const persister = new FailingPersister();
      const t = await chainMonitorWith('watchChannel', impl, persister);
      try {
        await t.chainMonitor.watchChannel(t.monitor.fundingOutpoint, t.monitor);
        expectThat(persister.writes > 0, 'persist attempts', 'at least one', 'none', 'persist the monitor before registering it');
        expectEqual(t.chainMonitor.monitors.size, 0, 'monitors registered after a failed persist',
          'persist first, register only after it succeeded');
      } finally {
        t.cleanup();
      }
    },
  },
  {
    name: 'refuses a second monitor for the same funding outpoint',
    async run(impl) {
      const t = await chainMonitorWith('watchChannel', impl);
      try {
        await t.chainMonitor.watchChannel(t.monitor.fundingOutpoint, t.monitor);
        const second = new t.classes.ChannelMonitor(t.pair.monitorInit('alice', DEMO_ALICE_DESTINATION, START));
        await expectThrows(() => t.chainMonitor.watchChannel(second.fundingOutpoint, second), ChannelAlreadyWatchedError,
          'watchChannel twice for one outpoint', 'if `this.monitors` already has the key, `throw new ChannelAlreadyWatchedError(key)`');
        expectThat([...t.chainMonitor.monitors.values()][0] === t.monitor, 'the registered monitor', 'still the first one', 'replaced',
          'check for an existing monitor before persisting or registering');
      } finally {
        t.cleanup();
      }
    },
  },
];
