/** Shared steps of the MonitorUpdatingPersister tests: one channel, numbered updates, reloads from disk. */
import { join } from 'node:path';
import { expect } from 'vitest';
import {
  MONITORS_NAMESPACE, MONITOR_UPDATES_NAMESPACE, MonitorUpdatingPersister, fundingOutpointKey, type MonitorUpdatingPersisterOptions,
} from '../../src/persist/index.js';
import type { OutPoint } from '../../src/ln/types.js';
import { CountingMonitor, numberedUpdate, replay } from './numbered-updates.js';

export const OUTPOINT: OutPoint = Object.freeze({ txid: 'ef'.repeat(32), vout: 0 });
export const KEY = fundingOutpointKey(OUTPOINT.txid, OUTPOINT.vout);
export const snapshotPath = (root: string, key = KEY) => join(root, MONITORS_NAMESPACE, key);
export const logPath = (root: string, key = KEY) => join(root, MONITOR_UPDATES_NAMESPACE, key);

/** Apply and persist numbered updates `monitor.appliedUpTo + 1` … `last`, one after the other. */
export async function persistUpTo(persister: MonitorUpdatingPersister, monitor: CountingMonitor, last: number, outpoint = OUTPOINT): Promise<void> {
  while (monitor.appliedUpTo < last) {
    const update = numberedUpdate(monitor.appliedUpTo + 1);
    monitor.apply(update);
    await persister.updatePersistedChannel(outpoint, update, monitor);
  }
}

/** A new channel with updates 1…`last` persisted through a persister opened (real fs) at `root`. */
export async function channelWithUpdates(root: string, last: number, options: MonitorUpdatingPersisterOptions = {}) {
  const persister = await MonitorUpdatingPersister.open(root, options);
  const monitor = new CountingMonitor();
  await persister.persistNewChannel(OUTPOINT, monitor);
  await persistUpTo(persister, monitor, last);
  return { persister, monitor };
}

/** What a restarted node would get back at `root`: the one channel replayed (throws on any lost or repeated update). */
export async function reloadedUpTo(root: string): Promise<number> {
  const persister = await MonitorUpdatingPersister.open(root);
  try {
    const channels = await persister.readAllChannels();
    expect(channels.map((c) => c.key)).toEqual([KEY]);
    return replay(channels[0]!).appliedUpTo;
  } finally {
    await persister.close();
  }
}
