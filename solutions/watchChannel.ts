/** Reference solution of ⚡️ `watchChannel` (notebook 02). */
import {
  ChannelAlreadyWatchedError, ChannelMonitorUpdateStatus, assertSameChannel, outpointKey,
  type ChainMonitor, type ChannelMonitor, type OutPoint,
} from '../src/index.js';

/**
 * Starts watching a new channel: persists its monitor, then registers it. `Completed` only once the
 * monitor is durably on disk; if persisting fails the monitor is not registered and the answer is
 * `UnrecoverableError` (the channel must not open). A second monitor for the same outpoint is refused.
 */
export async function watchChannel(this: ChainMonitor, fundingOutpoint: OutPoint, monitor: ChannelMonitor): Promise<ChannelMonitorUpdateStatus> {
  const key = outpointKey(fundingOutpoint); // (given)
  assertSameChannel(key, monitor); // (given)
  // refuse a second monitor for the same funding outpoint
  if (this.monitors.has(key)) throw new ChannelAlreadyWatchedError(key);
  // persist the monitor first
  try {
    await this.persister.persistNewChannel(fundingOutpoint, monitor);
  } catch (err) {
    // it failed: remember why, answer UnrecoverableError, and do not keep the monitor
    this.lastPersistError = err;
    return ChannelMonitorUpdateStatus.UnrecoverableError;
  }
  // it is durable: register it, and answer Completed
  this.register(key, monitor);
  return ChannelMonitorUpdateStatus.Completed;
}
