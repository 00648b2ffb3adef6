/**
 * Checks for the ChainMonitor exercises: real FileStores in temporary folders, a persister that fails on
 * purpose to inject faults, and the reference ChannelMonitor underneath.
 * @see LDK `chain::Watch` (watch_channel, update_channel) and `ChannelMonitorUpdateStatus`
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Block, Transaction } from 'bitcoinjs-lib';
import type { OutPoint } from '../../ln/types.js';
import { InvalidSecretError } from '../../ln/errors.js';
import { FIRST_PER_COMMITMENT_INDEX } from '../../ln/secrets.js';
import { ChannelMonitorUpdateStatus, type ChannelMonitorUpdate } from '../../monitor/updates.js';
import { ChannelAlreadyWatchedError, UnknownChannelError } from '../../monitor/errors.js';
import { FileStore } from '../../persist/file-store.js';
import { KVStoreMonitorPersister, type MonitorPersister } from '../../persist/monitor-persister.js';
import { ChainMonitor } from '../../../solutions/chain-monitor.js';
import { ChannelMonitor } from '../../../solutions/channel-monitor.js';
import { DEMO_ALICE_DESTINATION, demoChannelPair } from '../demo-channel.js';
import { FixedFeeEstimator, RecordingBroadcaster, fakeHeader } from '../fakes.js';
import { expectEqual, expectThat, expectThrows } from '../check/expect.js';
import type { ExerciseTest } from '../check/types.js';
import { withMethod } from './install.js';

export type TransactionsConfirmed = (this: ChainMonitor, header: Block, txdata: Transaction[], height: number) => Promise<void>;
export type WatchChannel = (this: ChainMonitor, fundingOutpoint: OutPoint, monitor: ChannelMonitor) => Promise<ChannelMonitorUpdateStatus>;
export type UpdateChannel = (this: ChainMonitor, fundingOutpoint: OutPoint, update: ChannelMonitorUpdate) => Promise<ChannelMonitorUpdateStatus>;

const START = { hash: '00'.repeat(32), height: 100 };

/** A persister whose writes fail: the fault a full or vanished disk causes. */
class FailingPersister implements MonitorPersister {
  writes = 0;
  async persistMonitor(): Promise<void> {
    this.writes++;
    throw new Error('EIO: i/o error (injected by the check)');
  }
  async readAllMonitors() {
    return [];
  }
}

/** A ChainMonitor over a real FileStore in a fresh temp folder, with `method` replaced by `impl`. */
async function chainMonitorWith(method: string, impl: unknown, persister?: MonitorPersister) {
  const dir = mkdtempSync(join(tmpdir(), 'lnlab-check-'));
  const store = new KVStoreMonitorPersister(await FileStore.open(join(dir, 'store')));
  const Chain = withMethod(ChainMonitor, method, impl);
  const broadcaster = new RecordingBroadcaster();
  const chainMonitor = new Chain(persister ?? store, broadcaster, new FixedFeeEstimator());
  const pair = demoChannelPair();
  const monitor = new ChannelMonitor(pair.monitorInit('alice', DEMO_ALICE_DESTINATION, START));
  const cleanup = () => rmSync(dir, { recursive: true, force: true });
  return { chainMonitor, broadcaster, store, pair, monitor, cleanup };
}

/** Registers `monitor` the reference way (for checks of the other exercises). */
async function registerReference(chainMonitor: ChainMonitor, monitor: ChannelMonitor) {
  const status = await ChainMonitor.prototype.watchChannel.call(chainMonitor, monitor.fundingOutpoint, monitor);
  if (status !== ChannelMonitorUpdateStatus.Completed) throw new Error('check setup: could not register the monitor');
}

/** Registers Alice's monitor, makes one payment, then connects a block with Bob's revoked commitment #0. */
async function connectRevokedCommitment(t: Awaited<ReturnType<typeof chainMonitorWith>>): Promise<void> {
  await registerReference(t.chainMonitor, t.monitor);
  for (const u of t.pair.pay('alice', 1_000_000n).alice) await ChainMonitor.prototype.updateChannel.call(t.chainMonitor, t.monitor.fundingOutpoint, u);
  await t.chainMonitor.transactionsConfirmed(fakeHeader(101), [t.pair.signedCommitment('bob', 0n)], 101);
}

async function storedMonitors(store: MonitorPersister): Promise<ChannelMonitor[]> {
  return (await store.readAllMonitors()).map(({ bytes }) => ChannelMonitor.fromBytes(bytes));
}

export const watchChannelTests: ExerciseTest<WatchChannel>[] = [
  {
    name: 'answers Completed and the monitor is on disk',
    async run(impl) {
      const t = await chainMonitorWith('watchChannel', impl);
      try {
        const status = await t.chainMonitor.watchChannel(t.monitor.fundingOutpoint, t.monitor);
        expectEqual(status, ChannelMonitorUpdateStatus.Completed, 'watchChannel status', 'return `ChannelMonitorUpdateStatus.Completed` once the monitor is persisted');
        expectEqual((await storedMonitors(t.store)).length, 1, 'monitors on disk after watchChannel',
          'persist the monitor: `await this.persister.persistMonitor(key, monitor.toBytes())` (key from `fundingOutpointKey(txid, vout)`)');
      } finally {
        t.cleanup();
      }
    },
  },
  {
    name: 'registers the monitor so later blocks and updates reach it',
    async run(impl) {
      const t = await chainMonitorWith('watchChannel', impl);
      try {
        await t.chainMonitor.watchChannel(t.monitor.fundingOutpoint, t.monitor);
        expectEqual(t.chainMonitor.monitors.size, 1, 'monitors registered', 'insert it into `this.monitors` under `outpointKey(fundingOutpoint)`');
        const [update] = t.pair.pay('alice', 1_000_000n).alice;
        const status = await ChainMonitor.prototype.updateChannel.call(t.chainMonitor, t.monitor.fundingOutpoint, update!);
        expectEqual(status, ChannelMonitorUpdateStatus.Completed, 'an update after watchChannel', 'key `this.monitors` with `outpointKey(fundingOutpoint)`');
      } finally {
        t.cleanup();
      }
    },
  },
  {
    name: 'answers UnrecoverableError when persisting fails',
    async run(impl) {
      const persister = new FailingPersister();
      const t = await chainMonitorWith('watchChannel', impl, persister);
      try {
        const status = await t.chainMonitor.watchChannel(t.monitor.fundingOutpoint, t.monitor);
        expectThat(persister.writes > 0, 'persist attempts', 'at least one', 'none', 'persist the monitor before answering');
        expectEqual(status, ChannelMonitorUpdateStatus.UnrecoverableError, 'status when the disk fails',
          'catch the persist error and return `UnrecoverableError`: `Completed` promises the state is safe on disk');
      } finally {
        t.cleanup();
      }
    },
  },
  {
    name: 'does not keep a monitor whose persist failed',
    async run(impl) {
      const persister = new FailingPersister();
      const t = await chainMonitorWith('watchChannel', impl, persister);
      try {
        await t.chainMonitor.watchChannel(t.monitor.fundingOutpoint, t.monitor);
        expectThat(persister.writes > 0, 'persist attempts', 'at least one', 'none', 'persist the monitor before registering it');
        expectEqual(t.chainMonitor.monitors.size, 0, 'monitors registered after a failed persist',
          'persist first, register only after `Completed` (or remove it again on failure)');
      } finally {
        t.cleanup();
      }
    },
  },
  {
    name: 'refuses a second monitor for the same funding outpoint',
    async run(impl) {
      const t = await chainMonitorWith('watchChannel', impl);
      try {
        await t.chainMonitor.watchChannel(t.monitor.fundingOutpoint, t.monitor);
        const second = new ChannelMonitor(t.pair.monitorInit('alice', DEMO_ALICE_DESTINATION, START));
        await expectThrows(() => t.chainMonitor.watchChannel(second.fundingOutpoint, second), ChannelAlreadyWatchedError,
          'watchChannel twice for one outpoint', 'if `this.monitors` already has the key, `throw new ChannelAlreadyWatchedError(key)`');
        expectThat([...t.chainMonitor.monitors.values()][0] === t.monitor, 'the registered monitor', 'still the first one', 'replaced',
          'check for an existing monitor before persisting or inserting');
      } finally {
        t.cleanup();
      }
    },
  },
];

export const updateChannelTests: ExerciseTest<UpdateChannel>[] = [
  {
    name: 'applies the update, persists it, and answers Completed',
    async run(impl) {
      const t = await chainMonitorWith('updateChannel', impl);
      try {
        await registerReference(t.chainMonitor, t.monitor);
        const [secretUpdate] = t.pair.pay('alice', 1_000_000n).alice;
        const status = await t.chainMonitor.updateChannel(t.monitor.fundingOutpoint, secretUpdate!);
        expectEqual(status, ChannelMonitorUpdateStatus.Completed, 'updateChannel status', 'return `Completed` after a successful persist');
        expectEqual(t.monitor.commitmentSecrets.getSecret(FIRST_PER_COMMITMENT_INDEX) !== undefined, true, 'secret in the monitor',
          'apply the update: `monitor.updateMonitor(update)`');
        const [onDisk] = await storedMonitors(t.store);
        expectEqual(onDisk?.commitmentSecrets.getSecret(FIRST_PER_COMMITMENT_INDEX) !== undefined, true, 'secret in the monitor on disk',
          'persist AFTER applying the update — persisting first saves the old state, and a crash loses the new one');
      } finally {
        t.cleanup();
      }
    },
  },
  {
    name: 'answers UnrecoverableError when persisting fails',
    async run(impl) {
      const persister = new FailingPersister();
      const t = await chainMonitorWith('updateChannel', impl, persister);
      try {
        t.chainMonitor.monitors.set(`${t.monitor.fundingOutpoint.txid}:${t.monitor.fundingOutpoint.vout}`, t.monitor);
        const [secretUpdate] = t.pair.pay('alice', 1_000_000n).alice;
        const status = await t.chainMonitor.updateChannel(t.monitor.fundingOutpoint, secretUpdate!);
        expectThat(persister.writes > 0, 'persist attempts', 'at least one', 'none', 'persist the monitor after applying the update');
        expectEqual(status, ChannelMonitorUpdateStatus.UnrecoverableError, 'status when the disk fails',
          'catch the persist error and return `UnrecoverableError`, so the channel stops instead of moving on');
      } finally {
        t.cleanup();
      }
    },
  },
  {
    name: 'an unknown funding outpoint gets a clear UnknownChannelError, not a crash',
    async run(impl) {
      const t = await chainMonitorWith('updateChannel', impl);
      try {
        const update: ChannelMonitorUpdate = { kind: 'PaymentPreimage', paymentPreimage: new Uint8Array(32) };
        await expectThrows(() => t.chainMonitor.updateChannel({ txid: 'cd'.repeat(32), vout: 1 }, update), UnknownChannelError,
          'updateChannel for an outpoint nobody watches',
          'look the monitor up, and when it is missing `throw new UnknownChannelError(key, this.monitors.size)` instead of using undefined');
      } finally {
        t.cleanup();
      }
    },
  },
  {
    name: 'an invalid secret is rejected and nothing new is persisted',
    async run(impl) {
      const t = await chainMonitorWith('updateChannel', impl);
      try {
        await registerReference(t.chainMonitor, t.monitor);
        for (let i = 0; i < 3; i++) {
          for (const u of t.pair.pay('alice', 1_000_000n).alice) await ChainMonitor.prototype.updateChannel.call(t.chainMonitor, t.monitor.fundingOutpoint, u);
        }
        const before = Buffer.from((await t.store.readAllMonitors())[0]!.bytes);
        const forged: ChannelMonitorUpdate = { kind: 'CommitmentSecret', index: FIRST_PER_COMMITMENT_INDEX - 3n, secret: new Uint8Array(32).fill(9) };
        await expectThrows(() => t.chainMonitor.updateChannel(t.monitor.fundingOutpoint, forged), InvalidSecretError,
          'updateChannel with a forged secret', 'apply with `monitor.updateMonitor(update)` and let its error propagate');
        const after = Buffer.from((await t.store.readAllMonitors())[0]!.bytes);
        expectEqual(after.equals(before), true, 'monitor on disk unchanged after the rejected update', 'persist only after the update was applied');
      } finally {
        t.cleanup();
      }
    },
  },
];

/** Tests shared by both versions of transactionsConfirmed (notebook 02 and the scalable one of 06). */
function blockTests(method: string): ExerciseTest<TransactionsConfirmed>[] {
  return [
    {
      name: 'hands the block to every monitor',
      async run(impl) {
        const t = await chainMonitorWith(method, impl);
        try {
          await registerReference(t.chainMonitor, t.monitor);
          const other = new ChannelMonitor(demoChannelPair({ txid: 'ef'.repeat(32), vout: 2 }).monitorInit('alice', DEMO_ALICE_DESTINATION, START));
          await registerReference(t.chainMonitor, other);
          await t.chainMonitor.transactionsConfirmed(fakeHeader(120), [], 120);
          expectEqual(t.monitor.bestBlock.height, 120, "first monitor's bestBlock.height", 'call `monitor.blockConnected(...)` for every monitor in `this.monitors`');
          expectEqual(other.bestBlock.height, 120, "second monitor's bestBlock.height", 'loop over all of `this.monitors.values()`');
        } finally {
          t.cleanup();
        }
      },
    },
    {
      name: "a revoked commitment in the block is punished with the ChainMonitor's broadcaster",
      async run(impl) {
        const t = await chainMonitorWith(method, impl);
        try {
          await connectRevokedCommitment(t);
          expectEqual(t.broadcaster.broadcast.length, 1, 'justice transactions broadcast',
            'pass the block\'s transactions and `this.broadcaster`, `this.feeEstimator` to `monitor.blockConnected`');
        } finally {
          t.cleanup();
        }
      },
    },
    {
      name: 'persists the monitors the block changed',
      async run(impl) {
        const t = await chainMonitorWith(method, impl);
        try {
          await connectRevokedCommitment(t);
          const [onDisk] = await storedMonitors(t.store);
          expectEqual(onDisk?.closure?.kind, 'RevokedCommitment', 'the closure recorded on disk',
            'keep the given `await this.afterBlock(header, txdata, height)` at the end: it persists what changed');
        } finally {
          t.cleanup();
        }
      },
    },
  ];
}

export const transactionsConfirmedTests = blockTests('transactionsConfirmed');

export const scaleTransactionsConfirmedTests: ExerciseTest<TransactionsConfirmed>[] = [
  ...blockTests('transactionsConfirmed'),
  {
    name: 'gives each monitor only the transactions that concern it',
    async run(impl) {
      const t = await chainMonitorWith('transactionsConfirmed', impl);
      try {
        await registerReference(t.chainMonitor, t.monitor);
        const seen: number[] = [];
        for (let i = 0; i < 20; i++) {
          const m = new ChannelMonitor(demoChannelPair({ txid: (i + 16).toString(16).padStart(2, '0').repeat(32), vout: 0 }).monitorInit('alice', DEMO_ALICE_DESTINATION, START));
          const original = m.blockConnected.bind(m);
          m.blockConnected = async (header, txdata, ...rest) => {
            seen.push(txdata.length);
            return original(header, txdata, ...rest);
          };
          await registerReference(t.chainMonitor, m);
        }
        const noise = Array.from({ length: 50 }, (_, i) => {
          const tx = t.pair.signedCommitment('bob', 0n).clone();
          tx.ins[0]!.hash = new Uint8Array(32).fill(0x80 + i);
          return tx;
        });
        await t.chainMonitor.transactionsConfirmed(fakeHeader(130), noise, 130);
        const handed = seen.reduce((a, b) => a + b, 0);
        expectEqual(handed, 0, 'transactions handed to monitors that watch none of them',
          'look up `this.watchIndex.relevantTransactions(txdata)` and give each monitor only `relevant.get(key) ?? []`');
      } finally {
        t.cleanup();
      }
    },
  },
];
