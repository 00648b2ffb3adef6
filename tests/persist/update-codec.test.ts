import { describe, expect, it } from 'vitest';
import {
  CorruptRecordError, MONITOR_UPDATE_FORMAT_VERSION, MONITOR_UPDATE_RECORD_KIND, decodeMonitorUpdate, encodeJsonRecord,
  encodeMonitorUpdate,
} from '../../src/persist/index.js';
import type { ChannelMonitorUpdate } from '../../src/monitor/updates.js';
import { makePair } from '../helpers/channel.js';
import { numberedUpdate } from './numbered-updates.js';

const FILE = '/data/monitor_updates/chan_0';

/** Real updates, as a ChannelManager hands them over after a payment, plus a preimage. */
function realUpdates(): ChannelMonitorUpdate[] {
  const pair = makePair();
  return [...pair.pay('alice', 5_000_000n).alice, { kind: 'PaymentPreimage', paymentPreimage: new Uint8Array(32).fill(9) }];
}

/** The stored form of `update`, so tests can damage one field at a time. */
function storedOf(update: ChannelMonitorUpdate): Record<string, unknown> {
  return update.kind === 'LatestHolderCommitmentTx' ? { ...update, commitmentTx: update.commitmentTx.toHex() } : { ...update };
}

const withStored = (stored: unknown) => encodeJsonRecord(MONITOR_UPDATE_RECORD_KIND, MONITOR_UPDATE_FORMAT_VERSION, stored);

describe('ChannelMonitorUpdate codec', () => {
  it('round-trips every kind exactly (real updates from a payment, and numbered ones with HTLCs)', () => {
    const updates = [...realUpdates(), ...[1, 2, 3, 4].map(numberedUpdate)];
    expect(new Set(updates.map((u) => u.kind)).size).toBe(4);
    for (const update of updates) {
      const decoded = decodeMonitorUpdate(encodeMonitorUpdate(update), FILE);
      expect(decoded.kind).toBe(update.kind);
      if (update.kind === 'LatestHolderCommitmentTx' && decoded.kind === 'LatestHolderCommitmentTx') {
        expect(decoded.commitmentTx.toHex()).toBe(update.commitmentTx.toHex());
        expect({ ...decoded, commitmentTx: null }).toEqual({ ...update, commitmentTx: null });
      } else {
        expect(decoded).toEqual(update);
      }
      expect(Object.isFrozen(decoded)).toBe(true);
      // Byte for byte what the general JSON record encoder writes: the fast path changes nothing on disk.
      expect(encodeMonitorUpdate(update)).toEqual(withStored(storedOf(update)));
    }
  });

  it.each([
    ['an unknown kind', { kind: 'Bogus' }, /\$\.kind: expected one of PaymentPreimage/],
    ['a short preimage', { kind: 'PaymentPreimage', paymentPreimage: new Uint8Array(31) }, /\$\.paymentPreimage: expected 32 bytes, got 31 bytes/],
    ['a missing field', { kind: 'CommitmentSecret', secret: new Uint8Array(32) }, /\$\.index: expected a value/],
    ['an extra field', { kind: 'PaymentPreimage', paymentPreimage: new Uint8Array(32), amountMsat: 1n }, /\$\.amountMsat: expected no such field/],
    ['a negative commitment number', { ...numberedUpdate(3), commitmentNumber: -1n }, /\$\.commitmentNumber: expected a bigint from 0/],
    ['a bad HTLC', { ...numberedUpdate(3), htlcs: [{ direction: 'sideways' }] }, /\$\.htlcs\[0\]\.direction: expected "offered" or "received"/],
    ['a txid in upper case', { ...numberedUpdate(3), txid: 'AB'.repeat(32) }, /\$\.txid: expected 64 lowercase hex/],
    ['a commitment that is not a Transaction', { ...numberedUpdate(2), commitmentTx: 'deadbeef' }, /\$\.commitmentTx: expected a bitcoinjs Transaction/],
  ])('refuses to encode %s, naming the field', (_label, update, message) => {
    const error = (() => { try { encodeMonitorUpdate(update as ChannelMonitorUpdate); } catch (e) { return e; } })();
    expect(error).toMatchObject({ code: 'INVALID_MONITOR_UPDATE', message: expect.stringMatching(message) });
  });

  it.each([
    ['a flipped bit', () => { const b = encodeMonitorUpdate(numberedUpdate(1)); b[50]! ^= 1; /* inside the JSON payload */ return b; }, 'bad-checksum'],
    ['another kind of record', () => encodeJsonRecord('ChannelMonitor', 1, {}), 'wrong-kind'],
    ['a newer format version', () => encodeJsonRecord(MONITOR_UPDATE_RECORD_KIND, MONITOR_UPDATE_FORMAT_VERSION + 1, storedOf(numberedUpdate(1))), 'unsupported-format-version'],
    ['a wrong shape inside a valid record', () => withStored({ ...storedOf(numberedUpdate(1)), secret: new Uint8Array(3) }), 'bad-payload'],
    ['transaction hex that does not parse', () => withStored({ ...storedOf(numberedUpdate(2)), commitmentTx: '00ff' }), 'bad-payload'],
    ['not an object', () => withStored([1, 2]), 'bad-payload'],
  ])('decoding %s is a CorruptRecordError naming the file', (_label, bytes, reason) => {
    const error = (() => { try { decodeMonitorUpdate(bytes(), FILE); } catch (e) { return e; } })();
    expect(error).toBeInstanceOf(CorruptRecordError);
    expect(error).toMatchObject({ fileName: FILE, reason });
    expect((error as Error).message).toContain(FILE);
  });
});
