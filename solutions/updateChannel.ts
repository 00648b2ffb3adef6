/** Reference solution of ⚡️ `updateChannel` (notebook 03). */
import {
  ChannelMonitorUpdateStatus, UnknownChannelError, outpointKey,
  type ChainMonitor, type ChannelMonitorUpdate, type OutPoint,
} from '../src/index.js';

/**
 * Applies an update to a channel's monitor, then persists it. `Completed` only once the updated monitor
 * is durably stored. An update the monitor rejects (an invalid secret) throws and changes nothing; an
 * unknown outpoint throws `UnknownChannelError`.
 */
export async function updateChannel(this: ChainMonitor, fundingOutpoint: OutPoint, update: ChannelMonitorUpdate): Promise<ChannelMonitorUpdateStatus> {
  // find the channel's monitor; an unknown outpoint is a clear error, not a crash
  const key = outpointKey(fundingOutpoint);
  const monitor = this.monitors.get(key);
  if (!monitor) throw new UnknownChannelError(key, this.monitors.size);
  // apply the update (an invalid one throws, and nothing is persisted)
  monitor.updateMonitor(update);
  // persist the update: Completed on success, UnrecoverableError on failure
  try {
    await this.persister.updatePersistedChannel(fundingOutpoint, update, monitor);
  } catch (err) {
    this.lastPersistError = err;
    return ChannelMonitorUpdateStatus.UnrecoverableError;
  }
  return ChannelMonitorUpdateStatus.Completed;
}
