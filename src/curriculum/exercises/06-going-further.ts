/** Registry entries of notebook 06, going further. */
import type { Exercise } from '../exercise.js';

export const GOING_FURTHER_EXERCISES: readonly Exercise[] = [
  {
    id: 'scaleTransactionsConfirmed',
    functionName: 'transactionsConfirmed',
    component: 'ChainMonitor',
    notebook: '06-going-further',
    title: 'scale transactionsConfirmed to 10,000 channels',
    track: 'core',
    minutes: 15,
    reading: 'LDK `chain::Filter` (`register_output`) and how a ChainMonitor avoids scanning every block for every channel',
    prompt: `Write \`transactionsConfirmed\` again, the fast way: find the relevant transactions with one call to the
index (\`this.watchIndex.relevantTransactions(txdata)\`), then call \`blockConnected\` on **every** monitor — each
with only its own transactions (most get an empty list). Every monitor must still see every block: it
records the block as its best block, and a timelocked claim of its own may have matured. Keep the given
last line.`,
    hints: [
      'Most channels care about none of a block\'s transactions. Find the few that do with one lookup per input, instead of asking every monitor about every transaction.',
      '`relevantTransactions` answers a `Map` from monitor key (the same keys as `this.monitors`) to that monitor\'s transactions; a key that is missing means none.',
    ],
    minesBlocks: false,
  },
];
