/**
 * The scene of the ChainMonitor checks: a ChainMonitor (with the learner's method in place) over a real
 * FileStore in a temporary folder, Alice's monitor for the demo channel, and a persister that fails on
 * purpose to inject a full or vanished disk.
 */
import type { ChannelMonitorUpdate } from '../../monitor/updates.js';
import { ChannelMonitorUpdateStatus } from '../../monitor/updates.js';
import type { OutPoint } from '../../ln/types.js';
import type { Persist, StoredChannel } from '../../persist/persist.js';
import type { ChainMonitor } from '../../node/chain-monitor.js';
import type { ChannelMonitor } from '../../node/channel-monitor.js';
import { DEMO_ALICE_DESTINATION, demoChannelPair } from '../../workshop/demo-channel.js';
import { FixedFeeEstimator, RecordingBroadcaster } from '../../workshop/fakes.js';
import { START, nodeWith, temporaryStore } from './support.js';

/** A persister whose writes fail: the fault a full or vanished disk causes. */
export class FailingPersister implements Persist {
  writes = 0;
  async persistNewChannel(): Promise<void> {
    this.writes++;
    throw new Error('EIO: i/o error, write');
  }
  async updatePersistedChannel(): Promise<void> {
    this.writes++;
    throw new Error('EIO: i/o error, write');
  }
  async readAllChannels(): Promise<StoredChannel[]> {
    return [];
  }
}

/** A ChainMonitor with the learner's `impl` for exercise `id`, over a real FileStore unless `persister` is given. */
export async function chainMonitorWith(id: string, impl: unknown, persister?: Persist) {
  const { persist, store, cleanup } = await temporaryStore();
  const classes = await nodeWith(id, impl);
  const broadcaster = new RecordingBroadcaster();
  const chainMonitor = new classes.ChainMonitor(persister ?? persist, broadcaster, new FixedFeeEstimator());
  const pair = demoChannelPair();
  const monitor = new classes.ChannelMonitor(pair.monitorInit('alice', DEMO_ALICE_DESTINATION, START));
  return { classes, chainMonitor, broadcaster, store, persist, pair, monitor, cleanup };
}

export type ChainScene = Awaited<ReturnType<typeof chainMonitorWith>>;

/** Registers `monitor` with the node's own `watchChannel` (a setup step of the checks of other exercises). */
export async function register(chainMonitor: ChainMonitor, monitor: ChannelMonitor): Promise<void> {
  const status = await chainMonitor.watchChannel(monitor.fundingOutpoint, monitor);
  if (status !== ChannelMonitorUpdateStatus.Completed) throw new Error('check setup: could not register the monitor');
}

/** Applies `updates` to the scene's monitor and persists each, without the ChainMonitor (a setup step). */
export async function applyAll(scene: ChainScene, updates: readonly ChannelMonitorUpdate[]): Promise<void> {
  for (const update of updates) {
    scene.monitor.updateMonitor(update);
    await scene.persist.updatePersistedChannel(scene.monitor.fundingOutpoint, update, scene.monitor);
  }
}

/** The monitors on disk, read back as the node would after a restart. */
export async function storedMonitors(scene: ChainScene): Promise<ChannelMonitor[]> {
  return (await scene.persist.readAllChannels()).map((stored) => {
    const monitor = scene.classes.ChannelMonitor.fromBytes(stored.monitorBytes, stored.key);
    for (const update of stored.updates) monitor.updateMonitor(update);
    return monitor;
  });
}

/** A second channel's monitor on another made-up outpoint. */
export function otherMonitor(scene: ChainScene, outpoint: OutPoint): ChannelMonitor {
  return new scene.classes.ChannelMonitor(demoChannelPair(outpoint).monitorInit('alice', DEMO_ALICE_DESTINATION, START));
}
