/** Reference solution of ⚡️ `createChannel` (notebook 04). */
import {
  ChannelMonitorUpdateStatus, MonitorPersistFailedError, OutboundV1Channel, PeerNotConnectedError, asWorkshopError,
  type ChannelManager, type ChannelOpenStatus,
} from '../src/index.js';

/**
 * Opens a channel of `channelValueSats` to the connected peer `theirNetworkKey`, funded from our wallet.
 * The exchange (open_channel → accept_channel → funding_created → funding_signed) runs in
 * `channel.openChannel()`; its monitor is then handed to the ChainMonitor, and only once that monitor is
 * durably stored is the funding transaction broadcast. Never rejects: any failure is a `Failure`, and a
 * failed open leaves nothing behind (no registered channel, no locked coins; the peer is told).
 */
export async function createChannel(this: ChannelManager, theirNetworkKey: Uint8Array, channelValueSats: bigint): Promise<ChannelOpenStatus> {
  if (!this.isPeerConnected(theirNetworkKey)) return { kind: 'Failure', error: new PeerNotConnectedError('createChannel', Buffer.from(theirNetworkKey).toString('hex')) }; // (given)
  const feeratePerKw = await this.feeEstimator.getEstSatPer1000Weight('NonAnchorChannelFee'); // (given)
  // 1. an outbound channel to the peer, kept in `this.registry.outbound` while it opens so the peer's answers reach it (then out)
  const channel = new OutboundV1Channel(this.channelContext(theirNetworkKey), channelValueSats, feeratePerKw, this.wallet);
  this.registry.outbound.add(channel);
  // 2. the BOLT 2 exchange; it never rejects, it answers Success or Failure
  const status = await channel.openChannel();
  this.registry.outbound.delete(channel);
  // 3. a Failure goes back to the caller as it is: no throw, no exit
  if (status.kind === 'Failure') return status;
  // 4. the channel's monitor goes to the ChainMonitor; a throw is no `Completed` either
  const channelMonitor = this.newMonitor(status.monitorInit);
  let persisted: string;
  try {
    persisted = await this.chainMonitor.watchChannel(status.fundingOutpoint, channelMonitor);
  } catch (err) {
    persisted = `an exception (${asWorkshopError(err).message.split('\n')[0]})`;
  }
  // 5. not Completed? nobody would watch the channel after a crash: give it up (coins unlocked, peer told), broadcast nothing
  if (persisted !== ChannelMonitorUpdateStatus.Completed) {
    return channel.abandon(new MonitorPersistFailedError(status.channel.channelId, 'watchChannel', persisted));
  }
  // 6. only now: register the channel and broadcast the funding transaction
  this.registry.funded.set(status.channel.channelId, status.channel);
  // 7. a refusal (the broadcast rejects) means nothing was broadcast: unregister, give it up as in 5, with the node's reason
  try {
    await this.broadcaster.broadcastTransactions(status.fundingTx!);
  } catch (err) {
    this.registry.funded.delete(status.channel.channelId);
    return channel.abandon(asWorkshopError(err));
  }
  return { kind: 'Success', channelId: status.channel.channelId, fundingOutpoint: status.fundingOutpoint, channelMonitor };
}
