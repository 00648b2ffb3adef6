/**
 * Checks of ⚡️ `scaleTransactionsConfirmed` (notebook 06): everything the first version must do, and
 * monitors are handed only the transactions that concern them.
 */
import { fakeHeader } from '../../workshop/fakes.js';
import { expectEqual } from '../check/expect.js';
import type { ExerciseTest } from '../check/types.js';
import { blockTests, type TransactionsConfirmed } from './block-dispatch.js';
import { chainMonitorWith, otherMonitor, register } from './chain-monitor-scenario.js';

export const tests: ExerciseTest<TransactionsConfirmed>[] = [
  ...blockTests('scaleTransactionsConfirmed'),
  {
    name: 'gives each monitor only the transactions that concern it',
    async run(impl) {
      const t = await chainMonitorWith('scaleTransactionsConfirmed', impl);
      try {
        await register(t.chainMonitor, t.monitor);
        const seen: number[] = [];
        for (let i = 0; i < 20; i++) {
          const m = otherMonitor(t, { txid: (i + 16).toString(16).padStart(2, '0').repeat(32), vout: 0 });
          const original = m.blockConnected.bind(m);
          Object.defineProperty(m, 'blockConnected', {
            value: async (...args: Parameters<typeof original>) => {
              seen.push(args[1].length);
              return original(...args);
            },
          });
          await register(t.chainMonitor, m);
        }
        const noise = Array.from({ length: 50 }, (_, i) => {
          const tx = t.pair.signedCommitment('bob', 0n).clone();
          tx.ins[0]!.hash = new Uint8Array(32).fill(0x80 + i);
          return tx;
        });
        await t.chainMonitor.transactionsConfirmed(fakeHeader(130), noise, 130);
        const handed = seen.reduce((a, b) => a + b, 0);
        expectEqual(handed, 0, 'transactions handed to monitors that watch none of them',
          'look up `this.watchIndex.relevantTransactions(txdata)` and give each monitor only its own transactions');
      } finally {
        t.cleanup();
      }
    },
  },
];
