/**
 * Checks of ⚡️ `transactionsConfirmed` (notebook 02): every monitor gets every block.
 * @see LDK `chain::Confirm::transactions_confirmed`
 */
import type { ExerciseTest } from '../check/types.js';
import { blockTests, type TransactionsConfirmed } from './block-dispatch.js';

export type { TransactionsConfirmed };

export const tests: ExerciseTest<TransactionsConfirmed>[] = blockTests('transactionsConfirmed');
