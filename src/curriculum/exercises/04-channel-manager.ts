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
   reach it; once \`openChannel()\` has answered, take it out again, whatever the answer;
2. \`await channel.openChannel()\`: it sends \`open_channel\` and runs the whole exchange (\`accept_channel\`,
   \`funding_created\`, \`funding_signed\`). Afterwards both sides hold a signed first commitment, and we hold a
   signed — but not yet broadcast — funding transaction. It never rejects: it answers \`Success\` or \`Failure\`;
3. on \`Failure\` (the wallet is short, the peer refused, the peer misbehaved), return that \`Failure\` as it is.
   A failed open is an ordinary answer for the caller to handle, not a crash: no \`throw\`, no exit;
4. on \`Success\`, build the channel's monitor with \`this.newMonitor(status.monitorInit)\` and hand it to
   \`this.chainMonitor.watchChannel(status.fundingOutpoint, monitor)\`;
5. if that does not answer \`Completed\` — or throws instead of answering — the monitor is not safely stored:
   **do not broadcast**. Give the channel up with \`channel.abandon(new MonitorPersistFailedError(...))\`, which
   unlocks the wallet's coins and tells the peer, and return the \`Failure\` it gives you;
6. only then register the channel in \`this.registry.funded\`, broadcast the funding transaction
   (\`this.broadcaster.broadcastTransactions(status.fundingTx)\`), and return \`Success\` with the channel id, the
   funding outpoint and **the monitor you handed to \`watchChannel\`**;
7. if the node refuses the funding transaction (\`broadcastTransactions\` rejects, with a
   \`BroadcastRejectedError\` saying why), nothing was broadcast: the channel must not stay in
   \`this.registry.funded\`, and it is given up like in step 5 — with the node's refusal as the error.

A failed open leaves nothing behind: no channel registered, the wallet's coins unlocked, the peer told. And
\`await\` everything you start: \`watchChannel\`'s answer decides whether you may broadcast, and a refused
broadcast must become your \`Failure\`, not an error nobody catches.

The first two lines are given: the check that we are connected to the peer at all, and the feerate (the
channel's commitments pay the \`NonAnchorChannelFee\` rate).`,
    hints: [
      'Three answers can stop an open: `openChannel()` answering Failure, `watchChannel` answering anything but `Completed` (a throw included), and the node refusing the funding transaction. Each comes back as a returned Failure; money only moves after all three said yes.',
      'BOLT 2 "Channel Establishment" shows the message order; `ChannelOpenStatus` is the type to return, and `channel.abandon(error)` gives you the Failure (coins unlocked, peer told) for steps 5 and 7.',
    ],
    minesBlocks: true,
  },
];
