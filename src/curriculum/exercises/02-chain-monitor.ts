/** Registry entries of notebook 02, the ChainMonitor. */
import type { Exercise } from '../exercise.js';

export const CHAIN_MONITOR_EXERCISES: readonly Exercise[] = [
  {
    id: 'transactionsConfirmed',
    functionName: 'transactionsConfirmed',
    component: 'ChainMonitor',
    notebook: '02-chain-monitor',
    title: 'hand each block to every ChannelMonitor',
    track: 'core',
    minutes: 10,
    reading: 'LDK `chain::Confirm::transactions_confirmed`',
    prompt: `Write \`transactionsConfirmed\`, which the node calls once per new block, in chain order. The
\`ChainMonitor\` does not judge transactions itself: every monitor gets the whole block and decides. Call
\`blockConnected\` on each monitor in \`this.monitors\` — every one, closed channels too, since a matured claim
of theirs may still be waiting — with the block and with the \`ChainMonitor\`'s own broadcaster and fee
estimator. Wait for each call (\`await\`): a monitor's reaction must be broadcast before the next block
arrives.

The last line is given: \`this.afterBlock(...)\` watches the outputs the monitors just added and persists
every monitor the block changed.`,
    hints: [
      'The ChainMonitor does not judge transactions itself: every ChannelMonitor gets the block and decides.',
      '`this.monitors` is a `Map`; `blockConnected` is async, so a `for … of` loop with `await` keeps the order (a `forEach` with an async callback does not wait).',
    ],
    minesBlocks: false,
  },
  {
    id: 'watchChannel',
    functionName: 'watchChannel',
    component: 'ChainMonitor',
    notebook: '02-chain-monitor',
    title: 'start watching a channel, durably',
    track: 'core',
    minutes: 15,
    reading: 'LDK `chain::Watch::watch_channel`, `ChannelMonitorUpdateStatus`',
    prompt: `When a channel opens, the \`ChannelManager\` builds its \`ChannelMonitor\` and hands it over with
\`watchChannel(fundingOutpoint, monitor)\`. The answer is a \`ChannelMonitorUpdateStatus\`:

- \`Completed\`: the monitor is on disk and registered; the channel may open;
- \`UnrecoverableError\`: it could not be stored; the channel must not open, since after a crash nobody
  would be watching it.

Write \`watchChannel\`:

1. refuse a second monitor for an outpoint already watched: \`throw new ChannelAlreadyWatchedError(key)\` —
   before touching the disk, so the refused one cannot overwrite the stored one;
2. persist first, with \`this.persister.persistNewChannel(fundingOutpoint, monitor)\`. If that throws, keep the
   error in \`this.lastPersistError\` and answer \`UnrecoverableError\` — without registering the monitor;
3. only then register it with \`this.register(key, monitor)\` (the monitors map and the watch index notebook 06
   uses) and answer \`Completed\`.

Why this order? \`Completed\` is a promise that the monitor survives a crash. Register first and fail to
persist, and the \`ChainMonitor\` would watch a channel that vanishes at the next restart.`,
    hints: [
      '`Completed` is a promise that the monitor is safe on disk. Decide the order of "refuse", "persist" and "register" so that promise is never false.',
      'LDK\'s `Watch::watch_channel` docs say what each status means; the persister\'s `persistNewChannel` rejects when the write failed, so a `try`/`catch` around it decides the answer.',
    ],
    minesBlocks: false,
  },
];
