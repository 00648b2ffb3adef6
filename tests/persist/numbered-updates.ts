/**
 * Numbered `ChannelMonitorUpdate`s and a monitor that counts them, for tests of the update log that must
 * tell exactly which updates a reload replayed: update `n` is a well-formed update of one of the four kinds
 * (cycling) whose content is derived from `n` alone, and carries `n` so the replayer can read it back.
 *
 * `CountingMonitor` is a stand-in `PersistableMonitor`: it accepts update `n` only right after `n - 1`
 * and only with exactly the content `numberedUpdate(n)` has, so a lost, repeated, reordered or damaged
 * update makes `apply` throw, whatever the persister believes.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { Transaction } from 'bitcoinjs-lib';
import { FIRST_PER_COMMITMENT_INDEX } from '../../src/ln/secrets.js';
import type { ChannelMonitorUpdate } from '../../src/monitor/updates.js';
import { decodeJsonRecord, encodeJsonRecord } from '../../src/persist/json-record.js';
import { encodeMonitorUpdate } from '../../src/persist/update-codec.js';

export const COUNTING_MONITOR_KIND = 'CountingMonitor';
/** Random-looking bytes in each monitor record, so it weighs about what a small real monitor does (~2 KB). */
const MONITOR_PADDING_BYTES = 900;
/** A compressed public key's even-y prefix, so the per-commitment point has the right shape. */
const COMPRESSED_EVEN_PREFIX = 0x02;

/** 32 bytes derived from `label` and `n`. */
function derived(label: string, n: number): Uint8Array {
  return sha256(new TextEncoder().encode(`${label}:${n}`));
}

/** Update number `n` (1, 2, …): one of the four kinds, in turn, with content derived from `n`. */
export function numberedUpdate(n: number): ChannelMonitorUpdate {
  const htlcs = [{ direction: 'offered' as const, amountMsat: BigInt(n) * 1000n, paymentHash: derived('hash', n), cltvExpiry: 500 + n }];
  switch (n % 4) {
    case 0: {
      const paymentPreimage = derived('preimage', n);
      // The number sits in the preimage's first 8 bytes, where updateNumber reads it back.
      new DataView(paymentPreimage.buffer).setBigUint64(0, BigInt(n));
      return { kind: 'PaymentPreimage', paymentPreimage };
    }
    case 1:
      return { kind: 'CommitmentSecret', index: FIRST_PER_COMMITMENT_INDEX - BigInt(n), secret: derived('secret', n) };
    case 2: {
      const commitmentTx = new Transaction();
      commitmentTx.addInput(derived('funding', n), 0);
      commitmentTx.addOutput(derived('script', n), BigInt(n));
      commitmentTx.locktime = n;
      return { kind: 'LatestHolderCommitmentTx', commitmentTx, commitmentNumber: BigInt(n), htlcs };
    }
    default: {
      const perCommitmentPoint = new Uint8Array([COMPRESSED_EVEN_PREFIX, ...derived('point', n)]);
      const txid = Buffer.from(derived('txid', n)).toString('hex');
      return { kind: 'LatestCounterpartyCommitmentTx', txid, commitmentNumber: BigInt(n), perCommitmentPoint, htlcs };
    }
  }
}

/** The number `numberedUpdate` gave `update`. */
export function updateNumber(update: ChannelMonitorUpdate): number {
  switch (update.kind) {
    case 'PaymentPreimage':
      return Number(new DataView(update.paymentPreimage.buffer, update.paymentPreimage.byteOffset).getBigUint64(0));
    case 'CommitmentSecret':
      return Number(FIRST_PER_COMMITMENT_INDEX - update.index);
    default:
      return Number(update.commitmentNumber);
  }
}

/** A monitor that has applied numbered updates 1…`appliedUpTo`, in order, each exactly once. */
export class CountingMonitor {
  appliedUpTo: number;

  constructor(appliedUpTo = 0) {
    this.appliedUpTo = appliedUpTo;
  }

  static fromBytes(bytes: Uint8Array): CountingMonitor {
    const { value } = decodeJsonRecord<{ appliedUpTo: number }>(bytes, 'CountingMonitor', { kind: COUNTING_MONITOR_KIND, formatVersion: 1 });
    return new CountingMonitor(value.appliedUpTo);
  }

  /** Apply `update`; throws unless it is exactly `numberedUpdate(appliedUpTo + 1)`. */
  apply(update: ChannelMonitorUpdate): void {
    const n = updateNumber(update);
    const expected = this.appliedUpTo + 1;
    if (n !== expected) throw new Error(`CountingMonitor: expected update ${expected}, got update ${n}`);
    const got = Buffer.from(encodeMonitorUpdate(update)).toString('hex');
    if (got !== Buffer.from(encodeMonitorUpdate(numberedUpdate(n))).toString('hex')) {
      throw new Error(`CountingMonitor: update ${n} came back with different content`);
    }
    this.appliedUpTo = n;
  }

  toBytes(): Uint8Array {
    const padding = new Uint8Array(MONITOR_PADDING_BYTES).fill(this.appliedUpTo & 0xff);
    return encodeJsonRecord(COUNTING_MONITOR_KIND, 1, { appliedUpTo: this.appliedUpTo, padding });
  }
}

/** Restore a channel as read back: the snapshot, then its updates replayed in order. */
export function replay(stored: { readonly monitorBytes: Uint8Array; readonly updates: readonly ChannelMonitorUpdate[] }): CountingMonitor {
  const monitor = CountingMonitor.fromBytes(stored.monitorBytes);
  for (const update of stored.updates) monitor.apply(update);
  return monitor;
}
