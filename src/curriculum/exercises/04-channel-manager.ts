/** Registry entries of notebook 04, the ChannelManager. */
import type { Exercise } from '../exercise.js';

export const CHANNEL_MANAGER_EXERCISES: readonly Exercise[] = [
  {
    id: 'createChannel',
    functionName: 'createChannel',
    component: 'ChannelManager',
    notebook: '04-channel-manager',
    title: 'open a channel, and watch it before funding it',
    track: 'core',
    minutes: 20,
    reading: 'BOLT 2 "Channel Establishment"',
    prompt: `Opening a channel means agreeing with a peer on a 2-of-2 output, then paying into it from our wallet.
The payment is the dangerous part: once the funding transaction is on the chain, our money is in the
channel, and only a \`ChannelMonitor\` can defend it if the peer later cheats. So the order is strict:

1. create an **outbound** channel (\`new OutboundV1Channel(this.channelContext(theirNetworkKey), channelValueSats,
   feeratePerKw, this.wallet)\`) and keep it in \`this.registry.outbound\` while it opens, so the peer's messages
   reach it;
2. \`await channel.openChannel()\`: it sends \`open_channel\` and runs the whole exchange (\`accept_channel\`,
   \`funding_created\`, \`funding_signed\`). Afterwards both sides hold a signed first commitment, and we hold a
   signed — but not yet broadcast — funding transaction. It never rejects: it answers \`Success\` or \`Failure\`;
3. on \`Failure\` (the wallet is short, the peer refused, the peer misbehaved), return that \`Failure\`. A
   failed open is an ordinary answer for the caller to handle, not a crash: no \`throw\`, no exit;
4. on \`Success\`, build the channel's monitor with \`this.newMonitor(status.monitorInit)\` and hand it to
   \`this.chainMonitor.watchChannel(status.fundingOutpoint, monitor)\`;
5. if that does not answer \`Completed\`, the monitor is not safely stored: **do not broadcast**. Give the
   channel up with \`channel.abandon(new MonitorPersistFailedError(...))\`, which unlocks the wallet's coins
   and tells the peer, and return the \`Failure\` it gives you;
6. only then register the channel in \`this.registry.funded\`, broadcast the funding transaction
   (\`this.broadcaster.broadcastTransactions(status.fundingTx)\`; a refusal is a \`Failure\`, and the channel must
   not stay registered), and return \`Success\` with the channel id, the funding outpoint and the monitor.

The first two lines are given: the check that we are connected to the peer at all, and the feerate.`,
    hints: [
      'Two answers can stop an open: `openChannel()` answering Failure, and `watchChannel` answering anything but `Completed`. Both come back as a returned Failure; money only moves after both said yes.',
      'BOLT 2 "Channel Establishment" shows the message order; `ChannelOpenStatus` is the type to return, and `channel.abandon(error)` gives you the Failure for step 5.',
    ],
    minesBlocks: true,
  },
];
