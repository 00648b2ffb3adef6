import { WorkshopError } from '../errors.js';

/** `updateChannel` was called for a funding outpoint the ChainMonitor does not watch. */
export class UnknownChannelError extends WorkshopError {
  readonly fundingOutpoint: string;
  constructor(fundingOutpoint: string, watchedCount: number) {
    super(
      'UNKNOWN_CHANNEL',
      `updateChannel: no channel with funding outpoint ${fundingOutpoint} is watched (${watchedCount} channel(s) are)`,
      'call watchChannel(fundingOutpoint, monitor) when the channel opens, before any update',
    );
    this.fundingOutpoint = fundingOutpoint;
  }
}

/** `watchChannel` was called twice for one funding outpoint: the first monitor stays, the second is refused. */
export class ChannelAlreadyWatchedError extends WorkshopError {
  readonly fundingOutpoint: string;
  constructor(fundingOutpoint: string) {
    super(
      'CHANNEL_ALREADY_WATCHED',
      `watchChannel: a monitor for funding outpoint ${fundingOutpoint} is already registered`,
      'send later changes to the existing monitor with updateChannel(fundingOutpoint, update)',
    );
    this.fundingOutpoint = fundingOutpoint;
  }
}

/** The monitor handed to `watchChannel` is for another channel than the outpoint says. */
export class MonitorMismatchError extends WorkshopError {
  constructor(expected: string, got: string) {
    super(
      'MONITOR_MISMATCH',
      `watchChannel: the monitor watches funding outpoint ${got}, expected ${expected}`,
      "pass the monitor's own fundingOutpoint",
    );
  }
}

/** A monitor update that cannot be applied (e.g. a preimage of the wrong length); the monitor is unchanged. */
export class InvalidMonitorUpdateError extends WorkshopError {
  constructor(message: string, fix: string) {
    super('INVALID_MONITOR_UPDATE', message, fix);
  }
}
