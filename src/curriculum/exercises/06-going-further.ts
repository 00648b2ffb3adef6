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
    prompt: `Write \`transactionsConfirmed\` again, the fast way. Find the relevant transactions with one call to the
index, \`this.watchIndex.relevantTransactions(txdata)\`: a \`Map\` from monitor key (the keys of
\`this.monitors\`) to the transactions that spend something that monitor watches. Call \`blockConnected\` only
on those monitors, each with only its own transactions, awaiting each in turn. A monitor the block does not
concern is not called at all: the given last line, \`this.afterBlock(...)\`, gives every monitor the new tip
as its best block (a field write, not a call) and broadcasts the timelocked claims that mature at this
height. Keep that line.`,
    hints: [
      'Most channels care about none of a block\'s transactions. Find the few that do with one lookup per input, instead of asking every monitor about every transaction — or even asking every monitor at all.',
      '`relevantTransactions` answers a `Map`; iterate its entries (`for (const [key, txs] of relevant)`) and look each monitor up in `this.monitors`.',
    ],
    minesBlocks: false,
  },
];
