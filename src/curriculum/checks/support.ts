/**
 * What the exercise checks share: the demo channel's start block, fakes, temporary stores that clean up,
 * and the node assembled with the learner's function in its place.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Transaction } from 'bitcoinjs-lib';
import { InvalidSecretError } from '../../ln/errors.js';
import { secretBucket, type CounterpartyCommitmentSecrets } from '../../ln/secret-store.js';
import { FIRST_PER_COMMITMENT_INDEX } from '../../ln/secrets.js';
import { spentTxid } from '../../monitor/outpoints.js';
import { FileStore } from '../../persist/file-store.js';
import { KVStoreMonitorPersister, WholeMonitorPersist } from '../../persist/monitor-persister.js';
import { assembleNode, type NodeClasses, type NodeMethods } from '../../node/assemble.js';
import { exerciseById } from '../registry.js';
import { withExercise } from '../references.js';

/** Where the demo channel's monitors start watching. */
export const START = Object.freeze({ hash: '00'.repeat(32), height: 100 });

/**
 * The node with the learner's `impl` in place of exercise `id` and every other exercise still a hole: a
 * check never leans on another exercise (the learner's or the reference), so it grades this one alone, the
 * same with or without `solutions/`.
 */
export function nodeWith(id: string, impl: unknown, standIns: NodeMethods = {}): NodeClasses {
  return assembleNode(withExercise(standIns, exerciseById(id), impl as Function));
}

/**
 * A scenario double for the secret store's insert (deep dive `provideSecret`, a hole in the grading child):
 * it knows the sender's secrets by commitment number, so it accepts exactly those, in order, and refuses
 * anything else with the `InvalidSecretError` the real store throws. It does none of BOLT 3's derivation
 * checks, so it is no answer to that deep dive; it lets a check of `updateMonitor` grade that alone.
 */
export function knownSecretsStore(secretOfCommitment: (commitmentNumber: bigint) => Uint8Array): NodeMethods {
  function provideSecret(this: CounterpartyCommitmentSecrets, index: bigint, secret: Uint8Array): void {
    const expected = index === this.nextIndex ? secretOfCommitment(FIRST_PER_COMMITMENT_INDEX - index) : undefined;
    if (!expected || !Buffer.from(expected).equals(Buffer.from(secret))) {
      throw new InvalidSecretError(`provideSecret(${index})`, 'the sender\'s real secret for that index', 'another one', 'refuse it');
    }
    this.buckets[secretBucket(index)] = Object.freeze({ index, secret: Uint8Array.from(secret) });
    this.lowestIndex = index;
  }
  return { CounterpartyCommitmentSecrets: { provideSecret } };
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
