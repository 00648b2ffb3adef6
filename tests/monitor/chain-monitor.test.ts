import { WholeMonitorPersist } from '../../src/internal.js';
import { mkdtempSync, rmSync, writeFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  ChannelAlreadyWatchedError,
  ChannelMonitorUpdateStatus,
  FileStore,
  InvalidSecretError,
  KVStoreMonitorPersister,
  UnknownChannelError,
  UnreadableMonitorsError,
  type MonitorPersister,
} from '../../src/internal.js';
import { ChainMonitor, ChannelMonitor } from '../helpers/reference.js';
import { FixedFeeEstimator, RecordingBroadcaster, fakeHeader } from '../helpers/fakes.js';
import { ALICE_DESTINATION, TO_SELF_DELAY, makePair } from '../helpers/channel.js';

const START = { hash: '00'.repeat(32), height: 100 };
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function setup(options: { root?: string } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'lnlab-chainmon-'));
  dirs.push(dir);
  const root = options.root ?? join(dir, 'store');
  const persister = new KVStoreMonitorPersister(await FileStore.open(root));
  const broadcaster = new RecordingBroadcaster();
  const chainMonitor = new ChainMonitor(new WholeMonitorPersist(persister), broadcaster, new FixedFeeEstimator());
  const pair = makePair();
  const monitor = new ChannelMonitor(pair.monitorInit('alice', ALICE_DESTINATION, START));
  return { dir, root, persister, broadcaster, chainMonitor, pair, monitor };
}

/** A persister whose writes fail, to inject the fault (everything else is real). */
class FailingPersister implements MonitorPersister {
  async persistMonitor(): Promise<void> {
    throw new Error('EIO: disk on fire');
  }
  async readAllMonitors() {
    return [];
  }
}

describe('ChainMonitor.watchChannel', () => {
  it('persists, then registers, and answers Completed', async () => {
    const { chainMonitor, monitor, persister } = await setup();
    expect(await chainMonitor.watchChannel(monitor.fundingOutpoint, monitor)).toBe(ChannelMonitorUpdateStatus.Completed);
    expect(chainMonitor.monitors.size).toBe(1);
    const stored = await persister.readAllMonitors();
    expect(stored).toHaveLength(1);
    expect(Buffer.from(stored[0]!.bytes)).toEqual(Buffer.from(monitor.toBytes()));
  });

  it('refuses a second monitor for the same outpoint and keeps the first', async () => {
    const { chainMonitor, monitor, pair } = await setup();
    await chainMonitor.watchChannel(monitor.fundingOutpoint, monitor);
    const second = new ChannelMonitor(pair.monitorInit('alice', ALICE_DESTINATION, START));
    await expect(chainMonitor.watchChannel(monitor.fundingOutpoint, second)).rejects.toBeInstanceOf(ChannelAlreadyWatchedError);
    expect([...chainMonitor.monitors.values()][0]).toBe(monitor);
  });

  it('answers UnrecoverableError and does not register when persisting fails', async () => {
    const { monitor } = await setup();
    const chainMonitor = new ChainMonitor(new WholeMonitorPersist(new FailingPersister()), new RecordingBroadcaster(), new FixedFeeEstimator());
    expect(await chainMonitor.watchChannel(monitor.fundingOutpoint, monitor)).toBe(ChannelMonitorUpdateStatus.UnrecoverableError);
    expect(chainMonitor.monitors.size).toBe(0);
  });

  it('answers UnrecoverableError when the store directory vanished', async () => {
    const { chainMonitor, monitor, root } = await setup();
    rmSync(root, { recursive: true, force: true });
    writeFileSync(root, 'not a directory any more');
    expect(await chainMonitor.watchChannel(monitor.fundingOutpoint, monitor)).toBe(ChannelMonitorUpdateStatus.UnrecoverableError);
    expect(chainMonitor.monitors.size).toBe(0);
  });
});

describe('ChainMonitor.updateChannel', () => {
  it('applies the update, persists it, and answers Completed', async () => {
    const { chainMonitor, monitor, pair, persister } = await setup();
    await chainMonitor.watchChannel(monitor.fundingOutpoint, monitor);
    for (const update of pair.pay('alice', 5_000_000n).alice) {
      expect(await chainMonitor.updateChannel(monitor.fundingOutpoint, update)).toBe(ChannelMonitorUpdateStatus.Completed);
    }
    const [stored] = await persister.readAllMonitors();
    const reloaded = ChannelMonitor.fromBytes(stored!.bytes);
    expect(reloaded.commitmentSecrets.getSecret((1n << 48n) - 1n)).toEqual(pair.keys.bob.perCommitmentSecret(0n));
  });

  it('throws a clear error for an unknown outpoint instead of crashing', async () => {
    const { chainMonitor } = await setup();
    const update = { kind: 'PaymentPreimage' as const, paymentPreimage: new Uint8Array(32) };
    const error = await chainMonitor.updateChannel({ txid: 'cd'.repeat(32), vout: 1 }, update).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnknownChannelError);
    expect((error as Error).message).toMatch(/no channel with funding outpoint (cd){32}:1/);
    expect((error as Error).message).toMatch(/watchChannel/);
  });

  it('rejects an invalid secret and leaves disk and memory unchanged', async () => {
    const { chainMonitor, monitor, pair, persister } = await setup();
    await chainMonitor.watchChannel(monitor.fundingOutpoint, monitor);
    for (let i = 0; i < 3; i++) {
      for (const update of pair.pay('alice', 1_000_000n).alice) await chainMonitor.updateChannel(monitor.fundingOutpoint, update);
    }
    const before = (await persister.readAllMonitors())[0]!.bytes;
    const forged = { kind: 'CommitmentSecret' as const, index: (1n << 48n) - 4n, secret: new Uint8Array(32).fill(3) };
    await expect(chainMonitor.updateChannel(monitor.fundingOutpoint, forged)).rejects.toBeInstanceOf(InvalidSecretError);
    expect(Buffer.from((await persister.readAllMonitors())[0]!.bytes)).toEqual(Buffer.from(before));
    expect(Buffer.from(monitor.toBytes())).toEqual(Buffer.from(before));
  });

  it('answers UnrecoverableError when persisting the update fails, and nothing is claimed as saved', async () => {
    const { chainMonitor, monitor, pair, root, persister } = await setup();
    await chainMonitor.watchChannel(monitor.fundingOutpoint, monitor);
    const before = (await persister.readAllMonitors())[0]!.bytes;
    const entries = readdirSync(join(root, 'monitors'));
    rmSync(root, { recursive: true, force: true });
    writeFileSync(root, 'the disk went away');
    const [secretUpdate] = pair.pay('alice', 1_000_000n).alice;
    expect(await chainMonitor.updateChannel(monitor.fundingOutpoint, secretUpdate!)).toBe(ChannelMonitorUpdateStatus.UnrecoverableError);
    expect(chainMonitor.lastPersistError).toBeInstanceOf(Error);
    expect(entries).toHaveLength(1);
    expect(before.length).toBeGreaterThan(0);
  });
});

describe('ChainMonitor.transactionsConfirmed', () => {
  it('hands the block to every monitor and the revoked commitment gets a justice transaction', async () => {
    const { chainMonitor, monitor, pair, broadcaster } = await setup();
    await chainMonitor.watchChannel(monitor.fundingOutpoint, monitor);
    for (const update of pair.pay('alice', 5_000_000n).alice) await chainMonitor.updateChannel(monitor.fundingOutpoint, update);

    const otherPair = makePair({ txid: 'ef'.repeat(32), vout: 3 });
    const other = new ChannelMonitor(otherPair.monitorInit('alice', ALICE_DESTINATION, START));
    await chainMonitor.watchChannel(other.fundingOutpoint, other);

    await chainMonitor.transactionsConfirmed(fakeHeader(101), [pair.signedCommitment('bob', 0n)], 101);
    expect(monitor.bestBlock.height).toBe(101);
    expect(other.bestBlock.height).toBe(101);
    expect(broadcaster.broadcast).toHaveLength(1);
    expect(monitor.closure?.kind).toBe('RevokedCommitment');
    expect(other.closure).toBeNull();
  });

  it('persists what a block changed, so a restart resumes with it', async () => {
    const { chainMonitor, monitor, pair, persister } = await setup();
    await chainMonitor.watchChannel(monitor.fundingOutpoint, monitor);
    for (const update of pair.pay('alice', 5_000_000n).alice) await chainMonitor.updateChannel(monitor.fundingOutpoint, update);
    await chainMonitor.transactionsConfirmed(fakeHeader(101), [pair.signedCommitment('bob', 0n)], 101);
    const reloaded = await ChainMonitor.load(new WholeMonitorPersist(persister), new RecordingBroadcaster(), new FixedFeeEstimator());
    const restored = [...reloaded.monitors.values()][0]!;
    expect(restored.closure?.kind).toBe('RevokedCommitment');
    expect(restored.watchedOutputCount()).toBe(monitor.watchedOutputCount());
  });
});

describe('ChainMonitor: a block reaches the monitors it concerns, and the others still keep time', () => {
  /** Counts the calls each monitor's `blockConnected` receives, passing them through. */
  function countCalls(monitor: InstanceType<typeof ChannelMonitor>): { calls: number } {
    const counter = { calls: 0 };
    const original = monitor.blockConnected.bind(monitor);
    monitor.blockConnected = async (...args) => {
      counter.calls++;
      return original(...args);
    };
    return counter;
  }

  it('calls only the concerned monitor; every other one learns the new tip', async () => {
    const { chainMonitor, monitor, pair, broadcaster } = await setup();
    await chainMonitor.watchChannel(monitor.fundingOutpoint, monitor);
    for (const update of pair.pay('alice', 5_000_000n).alice) await chainMonitor.updateChannel(monitor.fundingOutpoint, update);
    const other = new ChannelMonitor(makePair({ txid: 'ef'.repeat(32), vout: 3 }).monitorInit('alice', ALICE_DESTINATION, START));
    await chainMonitor.watchChannel(other.fundingOutpoint, other);
    const idle = countCalls(other);
    await chainMonitor.transactionsConfirmed(fakeHeader(101), [pair.signedCommitment('bob', 0n)], 101);
    expect(idle.calls).toBe(0);
    expect(other.bestBlock.height).toBe(101);
    expect(broadcaster.broadcast).toHaveLength(1);
  });

  it("broadcasts an idle monitor's to_local sweep when it matures, though no later block concerns it", async () => {
    const { chainMonitor, monitor, pair, broadcaster, persister } = await setup();
    await chainMonitor.watchChannel(monitor.fundingOutpoint, monitor);
    for (const update of pair.pay('alice', 5_000_000n).alice) await chainMonitor.updateChannel(monitor.fundingOutpoint, update);
    const ours = pair.signedCommitment('alice');
    await chainMonitor.transactionsConfirmed(fakeHeader(101), [ours], 101);
    expect(monitor.closure?.kind).toBe('HolderForceClose');
    const calls = countCalls(monitor);
    for (let height = 102; height < 100 + TO_SELF_DELAY; height++) await chainMonitor.transactionsConfirmed(fakeHeader(height), [], height);
    expect(broadcaster.broadcast).toHaveLength(0);
    await chainMonitor.transactionsConfirmed(fakeHeader(100 + TO_SELF_DELAY), [], 100 + TO_SELF_DELAY);
    expect(calls.calls).toBe(0);
    expect(broadcaster.broadcast).toHaveLength(1);
    expect(Buffer.from(broadcaster.broadcast[0]!.ins[0]!.hash).reverse().toString('hex')).toBe(ours.getId());
    // Swept once: later blocks broadcast nothing more, and the claim is gone from disk too.
    await chainMonitor.transactionsConfirmed(fakeHeader(101 + TO_SELF_DELAY), [], 101 + TO_SELF_DELAY);
    expect(broadcaster.broadcast).toHaveLength(1);
    const reloaded = await ChainMonitor.load(new WholeMonitorPersist(persister), new RecordingBroadcaster(), new FixedFeeEstimator());
    expect([...reloaded.monitors.values()][0]!.pendingClaims).toEqual([]);
  });
});

describe('ChainMonitor.load', () => {
  it('loads every persisted monitor', async () => {
    const { chainMonitor, monitor, persister } = await setup();
    await chainMonitor.watchChannel(monitor.fundingOutpoint, monitor);
    const reloaded = await ChainMonitor.load(new WholeMonitorPersist(persister), new RecordingBroadcaster(), new FixedFeeEstimator());
    expect([...reloaded.monitors.keys()]).toEqual([...chainMonitor.monitors.keys()]);
  });

  it('refuses to start over a corrupt monitor file, naming it', async () => {
    const { chainMonitor, monitor, persister, root } = await setup();
    await chainMonitor.watchChannel(monitor.fundingOutpoint, monitor);
    const [file] = readdirSync(join(root, 'monitors'));
    writeFileSync(join(root, 'monitors', file!), 'garbage');
    const error = await ChainMonitor.load(new WholeMonitorPersist(persister), new RecordingBroadcaster(), new FixedFeeEstimator()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnreadableMonitorsError);
    expect((error as Error).message).toContain(file!);
  });
});
