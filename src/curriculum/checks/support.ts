/**
 * What the exercise checks share: the demo channel's start block, fakes, temporary stores that clean up,
 * and the node assembled with the learner's function in its place.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Transaction } from 'bitcoinjs-lib';
import { spentTxid } from '../../monitor/outpoints.js';
import { FileStore } from '../../persist/file-store.js';
import { KVStoreMonitorPersister, WholeMonitorPersist } from '../../persist/monitor-persister.js';
import { assembleNode, type NodeClasses } from '../../node/assemble.js';
import { exerciseById } from '../registry.js';
import { withExercise } from '../references.js';

/** Where the demo channel's monitors start watching. */
export const START = Object.freeze({ hash: '00'.repeat(32), height: 100 });

/**
 * The node with the learner's `impl` in place of exercise `id` and every other exercise still a hole: a
 * check never leans on another exercise (the learner's or the reference), so it grades this one alone, the
 * same with or without `solutions/`.
 */
export function nodeWith(id: string, impl: unknown): NodeClasses {
  return assembleNode(withExercise({}, exerciseById(id), impl as Function));
}

/** Whether `tx` spends an output of `txid`. */
export function spendsFrom(tx: Transaction, txid: string): boolean {
  return tx.ins.some((_, i) => spentTxid(tx, i) === txid);
}

/** A FileStore-backed persister in a fresh temporary folder, and how to remove it. */
export async function temporaryStore(): Promise<{ store: KVStoreMonitorPersister; persist: WholeMonitorPersist; cleanup: () => void }> {
  const dir = mkdtempSync(join(tmpdir(), 'lnlab-check-'));
  const store = new KVStoreMonitorPersister(await FileStore.open(join(dir, 'store')));
  return { store, persist: new WholeMonitorPersist(store), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
