/**
 * The scene of the ChainMonitor checks: a ChainMonitor with the learner's method in place and every other
 * exercise still a hole, over a real FileStore in a temporary folder. The monitors it coordinates are
 * real `ChannelMonitor`s whose own exercise methods (`blockConnected`, `updateMonitor`) are replaced by
 * recording stand-ins, so a check of `transactionsConfirmed` says exactly what the ChainMonitor did — which
 * monitor got which transactions, with which broadcaster, in which order — and needs no other exercise
 * solved (nor `solutions/` present).
 */
import { Transaction } from 'bitcoinjs-lib';
import type { BroadcasterInterface, FeeEstimator } from '../../chain/interfaces.js';
import { InvalidSecretError } from '../../ln/errors.js';
import type { OutPoint } from '../../ln/types.js';
import { outpointKey } from '../../monitor/outpoints.js';
import type { ChannelMonitorUpdate } from '../../monitor/updates.js';
import { assembleNode, HOLED_NODE, type NodeClasses } from '../../node/assemble.js';
import type { ChannelMonitor } from '../../node/channel-monitor.js';
import { channelIdFromFundingOutpoint } from '../../channel/ids.js';
import type { ChannelMonitorInit } from '../../monitor/channel-monitor-state.js';
import type { Persist, StoredChannel } from '../../persist/persist.js';
import { DEMO_ALICE_DESTINATION, demoChannelPair } from '../../workshop/demo-channel.js';
import { FixedFeeEstimator, RecordingBroadcaster } from '../../workshop/fakes.js';
import { checkPick, checkRandomBytes } from '../check/context.js';
import { exerciseById } from '../registry.js';
import { withExercise } from '../references.js';
import { START, temporaryStore } from './support.js';

/** The ways a disk write fails in real life, as Node reports them. */
const DISK_FAULTS: readonly { code: string; message: string }[] = [
  { code: 'EIO', message: 'i/o error' },
  { code: 'ENOSPC', message: 'no space left on device' },
  { code: 'EROFS', message: 'read-only file system' },
  { code: 'EDQUOT', message: 'disk quota exceeded' },
  { code: 'EACCES', message: 'permission denied' },
];

/** A disk fault like the one `fs` throws, of a kind picked from the run's seed. */
export function diskFault(code = checkPick(DISK_FAULTS).code): NodeJS.ErrnoException {
  const fault = DISK_FAULTS.find((f) => f.code === code)!;
  const err: NodeJS.ErrnoException = new Error(`${fault.code}: ${fault.message}, open '${randomOutpoint().txid.slice(0, 16)}.tmp'`);
  err.code = fault.code;
  err.syscall = 'open';
  return err;
}

/**
 * Two different disk faults, picked from the run's seed: a check that injects both catches code that
 * recognises the one fault a check injects instead of handling every failed write.
 */
export function twoDiskFaults(): [string, string] {
  const first = checkPick(DISK_FAULTS).code;
  const second = checkPick(DISK_FAULTS.filter((f) => f.code !== first)).code;
  return [first, second];
}

/** A persister whose writes fail with `code`: the fault a full, read-only or vanished disk causes. */
export class FailingPersister implements Persist {
  writes = 0;
  constructor(private readonly code: string = checkPick(DISK_FAULTS).code) {}
  async persistNewChannel(): Promise<void> {
    this.writes++;
    throw diskFault(this.code);
  }
  async updatePersistedChannel(): Promise<void> {
    this.writes++;
    throw diskFault(this.code);
  }
  async readAllChannels(): Promise<StoredChannel[]> {
    return [];
  }
}

/** One call a stand-in monitor received. */
export interface BlockCall {
  readonly monitor: ChannelMonitor;
  readonly height: number;
  readonly txids: readonly string[];
  readonly broadcaster: BroadcasterInterface;
  readonly feeEstimator: FeeEstimator;
  /** Whether another monitor's `blockConnected` was still running when this one started. */
  readonly overlapped: boolean;
}

/** One persist the ChainMonitor asked for, and whether the monitor had applied the update by then. */
export interface PersistCall {
  readonly kind: 'new' | 'update';
  readonly key: string;
  readonly update: ChannelMonitorUpdate | null;
  readonly monitor: unknown;
  readonly appliedBefore: boolean;
}

/** What the stand-in monitors and the recording persister saw. */
export class Journal {
  readonly blockCalls: BlockCall[] = [];
  readonly applied: { monitor: ChannelMonitor; update: ChannelMonitorUpdate }[] = [];
  readonly persists: PersistCall[] = [];
  /** Updates the stand-ins refuse, as a monitor refuses a forged secret. */
  readonly refused = new Set<ChannelMonitorUpdate>();
  busy = 0;
  finished = 0;

  callsOf(monitor: ChannelMonitor): BlockCall[] {
    return this.blockCalls.filter((call) => call.monitor === monitor);
  }
}

/** A `Persist` that writes through to `inner` (a real FileStore) and records every call in `journal`. */
class RecordingPersister implements Persist {
  constructor(private readonly inner: Persist, private readonly journal: Journal) {}

  persistNewChannel(fundingOutpoint: OutPoint, monitor: ChannelMonitor): Promise<void> {
    this.journal.persists.push({ kind: 'new', key: outpointKey(fundingOutpoint), update: null, monitor, appliedBefore: false });
    return this.inner.persistNewChannel(fundingOutpoint, monitor);
  }

  updatePersistedChannel(fundingOutpoint: OutPoint, update: ChannelMonitorUpdate | null, monitor: ChannelMonitor): Promise<void> {
    const appliedBefore = update !== null && this.journal.applied.some((a) => a.update === update && a.monitor === monitor);
    this.journal.persists.push({ kind: 'update', key: outpointKey(fundingOutpoint), update, monitor, appliedBefore });
    return this.inner.updatePersistedChannel(fundingOutpoint, update, monitor);
  }

  readAllChannels(): Promise<StoredChannel[]> {
    return this.inner.readAllChannels();
  }
}

/** Lets other queued work run a few times: a monitor call that is not awaited is still running after it. */
async function pause(): Promise<void> {
  for (let i = 0; i < 3; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

/** A transaction spending `outpoint` (a cheater's commitment, as far as the ChainMonitor can tell). */
export function spendOf(outpoint: OutPoint): Transaction {
  const tx = new Transaction();
  tx.version = 2;
  tx.addInput(Buffer.from(outpoint.txid, 'hex').reverse(), outpoint.vout);
  tx.addOutput(Uint8Array.from(DEMO_ALICE_DESTINATION), 90_000n + BigInt(checkRandomBytes()[0]!));
  return tx;
}

/** A transaction that spends nothing any monitor watches. */
export function unrelatedTransaction(): Transaction {
  return spendOf({ txid: Buffer.from(checkRandomBytes()).toString('hex'), vout: checkPick([0, 1, 2]) });
}

/** The justice transaction a stand-in monitor broadcasts for `spend`. */
function reactionTo(spend: Transaction): Transaction {
  return spendOf({ txid: spend.getId(), vout: 0 });
}

/** Txids as a learner can read them in a report: how many, and the first few abbreviated. */
export function showTxids(txids: readonly string[]): string {
  if (txids.length === 0) return 'none';
  const first = txids.slice(0, 3).map((txid) => `${txid.slice(0, 8)}…`).join(', ');
  return `${txids.length} (${first}${txids.length > 3 ? ', …' : ''})`;
}

/** A random made-up funding outpoint. */
export function randomOutpoint(): OutPoint {
  return { txid: Buffer.from(checkRandomBytes()).toString('hex'), vout: checkPick([0, 1, 3]) };
}

export interface ChainScene {
  readonly classes: NodeClasses;
  readonly chainMonitor: InstanceType<NodeClasses['ChainMonitor']>;
  readonly broadcaster: RecordingBroadcaster;
  readonly feeEstimator: FixedFeeEstimator;
  readonly journal: Journal;
  /** The real persister under the recording one (what a restart would read). */
  readonly stored: Persist;
  /** A real monitor for a made-up channel, with recording stand-ins for its own exercise methods. */
  monitor(outpoint?: OutPoint): ChannelMonitor;
  /** Persists and registers `monitor` the way `watchChannel` would, without needing `watchChannel`. */
  add(monitor: ChannelMonitor): Promise<void>;
  /** The monitors on disk, read back as bytes (no update replay). */
  onDisk(): Promise<ChannelMonitor[]>;
  cleanup(): void;
}

let aliceInit: ChannelMonitorInit | undefined;

/**
 * Alice's monitor init for a made-up channel at `outpoint`: the demo channel's keys, moved to another
 * funding outpoint. No holder commitment: signing one costs ~100 ms, and the ChainMonitor never looks.
 */
function standInInit(outpoint: OutPoint): ChannelMonitorInit {
  aliceInit ??= demoChannelPair().monitorInit('alice', DEMO_ALICE_DESTINATION, START);
  const { holderCommitmentTx: _unused, ...init } = aliceInit;
  return { ...init, channelId: channelIdFromFundingOutpoint(outpoint), params: { ...init.params, fundingOutpoint: outpoint } };
}

/** The ChainMonitor with the learner's `impl` for exercise `id`, over a real FileStore unless `persister` is given. */
export async function chainMonitorWith(id: string, impl: unknown, persister?: Persist): Promise<ChainScene> {
  const { persist, cleanup } = await temporaryStore();
  const journal = new Journal();
  const classes = assembleNode(withExercise({}, exerciseById(id), impl as Function));
  const broadcaster = new RecordingBroadcaster();
  const feeEstimator = new FixedFeeEstimator();
  const chainMonitor = new classes.ChainMonitor(new RecordingPersister(persister ?? persist, journal), broadcaster, feeEstimator);

  const monitor = (outpoint: OutPoint = randomOutpoint()): ChannelMonitor => {
    const m = new HOLED_NODE.ChannelMonitor(standInInit(outpoint));
    Object.defineProperty(m, 'blockConnected', {
      value: async (header: Parameters<ChannelMonitor['blockConnected']>[0], txdata: Transaction[], height: number, b: BroadcasterInterface, f: FeeEstimator) => {
        journal.blockCalls.push({ monitor: m, height, txids: txdata.map((tx) => tx.getId()), broadcaster: b, feeEstimator: f, overlapped: journal.busy > 0 });
        journal.busy++;
        try {
          await pause();
          m.bestBlock = Object.freeze({ hash: header.getId(), height });
          for (const tx of txdata) {
            if (!m.spendsWatchedOutput(tx) || m.handledTxids.has(tx.getId())) continue;
            // What a real reaction leaves in the monitor's state, for the checks to find on disk.
            m.handledTxids.add(tx.getId());
            await b.broadcastTransactions(reactionTo(tx));
          }
        } finally {
          journal.busy--;
          journal.finished++;
        }
      },
    });
    Object.defineProperty(m, 'updateMonitor', {
      value: (update: ChannelMonitorUpdate) => {
        if (journal.refused.has(update)) throw new InvalidSecretError('the commitment secret', 'one that derives the secrets stored before it', 'a forged one');
        journal.applied.push({ monitor: m, update });
      },
    });
    return m;
  };

  const add = async (m: ChannelMonitor): Promise<void> => {
    await persist.persistNewChannel(m.fundingOutpoint, m);
    chainMonitor.register(outpointKey(m.fundingOutpoint), m);
  };

  const onDisk = async (): Promise<ChannelMonitor[]> =>
    (await persist.readAllChannels()).map((s) => HOLED_NODE.ChannelMonitor.fromBytes(s.monitorBytes, s.key));

  return { classes, chainMonitor, broadcaster, feeEstimator, journal, stored: persist, monitor, add, onDisk, cleanup };
}

/** `count` stand-in monitors, each registered. */
export async function addMonitors(t: ChainScene, count: number): Promise<ChannelMonitor[]> {
  const monitors: ChannelMonitor[] = [];
  for (let i = 0; i < count; i++) {
    const m = t.monitor();
    await t.add(m);
    monitors.push(m);
  }
  return monitors;
}
