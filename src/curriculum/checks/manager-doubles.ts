/**
 * Scenario doubles for the ChannelManager checks: the parts around a `createChannel` that a check plays
 * itself, so that no other exercise's answer is needed (an answer-free copy grades `createChannel` alone).
 * Each does just what the scenario asks — deliberately not a general ChainMonitor:
 * - `ScenarioChainMonitor`, the opener's `Watch & Confirm`: stores each watched monitor in a real
 *   `FileStore` on disk and answers as the scenario says (`Completed`; `UnrecoverableError` after a disk
 *   fault; or a throw), counting calls still in flight so an un-awaited one is caught;
 * - `RelayingBroadcaster`: hands transactions to the real node (which may refuse them), remembering
 *   what `watchChannel` had answered for each funding transaction when it was broadcast;
 * - `PeerWatch` and `SilentBroadcaster`: what the counterparty needs and nothing more;
 * - `TargetedFeeEstimator`: a different feerate for each `ConfirmationTarget`, drawn per run;
 * - `diskFault` and `checkFileSystem`: disk failures exactly as Node reports them, at a step picked per run.
 * @see LDK `chain::Watch`, `chain::chaininterface::BroadcasterInterface`, `ConfirmationTarget`
 */
import * as fsPromises from 'node:fs/promises';
import type { Block, Transaction } from 'bitcoinjs-lib';
import type { BroadcasterInterface, ConfirmationTarget, FeeEstimator } from '../../chain/interfaces.js';
import type { OutPoint } from '../../ln/types.js';
import { ChannelMonitorUpdateStatus } from '../../monitor/updates.js';
import type { NodeChainMonitor } from '../../node/channel-manager.js';
import type { ChannelMonitor } from '../../node/channel-monitor.js';
import type { FileSystem } from '../../persist/fs-seam.js';
import type { Persist } from '../../persist/persist.js';
import { checkPick, checkRandom } from '../check/context.js';

/** What a scenario's ChainMonitor answers `watchChannel`. */
export type WatchAnswer = 'Completed' | 'UnrecoverableError' | 'throws';

/**
 * Feerate ranges per target, in sat/kW, far enough apart that a feerate tells which target was asked: a
 * sweep racing a cheater pays most, a channel's commitments less, a cooperative close least.
 */
const FEERATE_RANGES_PER_KW: Readonly<Record<ConfirmationTarget, readonly [number, number]>> = Object.freeze({
  UrgentOnChainSweep: [6_000, 9_000],
  NonAnchorChannelFee: [1_500, 3_000],
  ChannelCloseMinimum: [300, 1_000],
});

/** Answers each `ConfirmationTarget` with its own feerate (drawn once per estimator), and counts the asks. */
export class TargetedFeeEstimator implements FeeEstimator {
  readonly feeratePerKw: Readonly<Record<ConfirmationTarget, number>>;
  readonly asked: ConfirmationTarget[] = [];
  constructor() {
    const draw = ([low, high]: readonly [number, number]) => low + Math.floor(checkRandom() * (high - low));
    this.feeratePerKw = Object.freeze({
      UrgentOnChainSweep: draw(FEERATE_RANGES_PER_KW.UrgentOnChainSweep),
      NonAnchorChannelFee: draw(FEERATE_RANGES_PER_KW.NonAnchorChannelFee),
      ChannelCloseMinimum: draw(FEERATE_RANGES_PER_KW.ChannelCloseMinimum),
    });
  }
  async getEstSatPer1000Weight(target: ConfirmationTarget): Promise<number> {
    this.asked.push(target);
    return this.feeratePerKw[target];
  }
}

/** Disk errors as Node raises them: code, errno (Linux), and the text libuv gives each. */
const DISK_ERRORS = [
  { code: 'EIO', errno: -5, text: 'i/o error' },
  { code: 'ENOSPC', errno: -28, text: 'no space left on device' },
  { code: 'EDQUOT', errno: -122, text: 'disk quota exceeded' },
  { code: 'EROFS', errno: -30, text: 'read-only file system' },
] as const;

/** The steps of a durable write `FileStore` takes, each of which a real disk can fail. */
export const WRITE_STEPS = ['open', 'write', 'fsync', 'rename'] as const;
export type WriteStep = (typeof WRITE_STEPS)[number];

/** A disk error for `syscall` on `path`, indistinguishable from one Node raises (picked per run). */
export function diskFault(syscall: string, path?: string): NodeJS.ErrnoException {
  const { code, errno, text } = checkPick(DISK_ERRORS);
  const where = path === undefined ? '' : ` '${path}'`;
  return Object.assign(new Error(`${code}: ${text}, ${syscall}${where}`), { code, errno, syscall, ...(path === undefined ? {} : { path }) });
}

/** Owner-only file modes are the low nine bits. */
const PERMISSION_BITS = 0o777;

/**
 * `node:fs/promises` for a check's `FileStore`, whose disk fails at `step` (if given) of the first write of
 * a value — the temporary file's open, write, fsync, or the rename over the target — with a `diskFault`.
 *
 * One adaptation to the grading child: Node's permission model disables `fchmod`, which FileStore uses to
 * pin a key file's mode to owner-only. Here `chmod` instead checks, with `fstat`, that the file already has
 * that mode (it was created with it), and fails as a real `fchmod` would if it does not.
 */
export function checkFileSystem(step?: WriteStep): FileSystem {
  const writing = (flags: unknown) => flags === 'wx';
  return {
    ...fsPromises,
    async open(path, flags, mode) {
      if (step === 'open' && writing(flags)) throw diskFault('open', String(path));
      const handle = await fsPromises.open(path, flags, mode);
      if (!writing(flags)) return handle;
      // Only the temporary file's handle fails; a directory fsync (read-only open) works.
      return Object.assign(Object.create(handle) as typeof handle, {
        writeFile: async (...args: Parameters<typeof handle.writeFile>) => {
          if (step === 'write') throw diskFault('write');
          return handle.writeFile(...args);
        },
        sync: async () => {
          if (step === 'fsync') throw diskFault('fsync');
          return handle.sync();
        },
        chmod: async (wanted: number) => {
          const actual = (await handle.stat()).mode & PERMISSION_BITS;
          if (actual !== (wanted & PERMISSION_BITS)) {
            throw Object.assign(new Error(`EPERM: operation not permitted, fchmod (mode ${actual.toString(8)}, wanted ${wanted.toString(8)})`), { code: 'EPERM', errno: -1, syscall: 'fchmod' });
          }
        },
        close: () => handle.close(),
      });
    },
    async rename(from, to) {
      if (step === 'rename') throw Object.assign(diskFault('rename', String(from)), { dest: String(to) });
      return fsPromises.rename(from, to);
    },
  };
}

/** One `watchChannel` call, as the scenario's ChainMonitor saw it. */
export interface WatchCall {
  readonly fundingOutpoint: OutPoint;
  readonly monitor: ChannelMonitor;
  /** Set once the call answered: the status, or `'threw'`. */
  answer?: ChannelMonitorUpdateStatus | 'threw';
}

/**
 * The opener's ChainMonitor in a scenario: `watchChannel` persists the monitor through `persist` (a real
 * FileStore, maybe on a failing disk) and answers `answer`; updates are `Completed`, blocks are noted.
 */
export class ScenarioChainMonitor implements NodeChainMonitor {
  readonly calls: WatchCall[] = [];
  readonly blockHeights: number[] = [];
  /** Why storing a monitor failed, per failure (expected only where the scenario fails the disk). */
  readonly storeErrors: unknown[] = [];
  /** `watchChannel` calls not answered yet. */
  inFlight = 0;
  readonly #pending = new Set<Promise<unknown>>();

  constructor(private readonly persist: Persist, private readonly answer: WatchAnswer) {}

  watchChannel(fundingOutpoint: OutPoint, monitor: ChannelMonitor): Promise<ChannelMonitorUpdateStatus> {
    const call: WatchCall = { fundingOutpoint: { txid: fundingOutpoint?.txid, vout: fundingOutpoint?.vout }, monitor };
    this.calls.push(call);
    this.inFlight++;
    const answered = this.#watch(fundingOutpoint, monitor).then(
      (status) => {
        call.answer = status;
        return status;
      },
      (err: unknown) => {
        call.answer = 'threw';
        throw err;
      },
    ).finally(() => {
      this.inFlight--;
    });
    this.#track(answered);
    return answered;
  }

  async #watch(fundingOutpoint: OutPoint, monitor: ChannelMonitor): Promise<ChannelMonitorUpdateStatus> {
    try {
      await this.persist.persistNewChannel(fundingOutpoint, monitor);
    } catch (err) {
      this.storeErrors.push(err);
      // A ChainMonitor that lets the disk's error escape, as a buggy one would.
      if (this.answer === 'throws') throw err;
      return ChannelMonitorUpdateStatus.UnrecoverableError;
    }
    return ChannelMonitorUpdateStatus.Completed;
  }

  async updateChannel(): Promise<ChannelMonitorUpdateStatus> {
    return ChannelMonitorUpdateStatus.Completed;
  }

  async transactionsConfirmed(_header: Block, _txdata: Transaction[], height: number): Promise<void> {
    this.blockHeights.push(height);
  }

  /** What `watchChannel` has answered so far for the funding transaction `txid` (its latest call). */
  stateFor(txid: string): WatchStateAtBroadcast {
    const call = this.calls.filter((c) => c.fundingOutpoint.txid === txid).at(-1);
    if (!call) return 'never watched';
    return call.answer ?? 'not answered yet';
  }

  /** Resolves once every call has settled (before the scenario removes its folder). */
  async settled(): Promise<void> {
    await Promise.allSettled([...this.#pending]);
  }

  #track(promise: Promise<unknown>): void {
    // Handled here, so a learner who drops the promise gets a check's message, not a crashed process.
    const done = promise.catch(() => undefined);
    this.#pending.add(done);
  }
}

/** What `watchChannel` had answered for a transaction's funding outpoint when that transaction was broadcast. */
export type WatchStateAtBroadcast = 'never watched' | 'not answered yet' | ChannelMonitorUpdateStatus | 'threw';

/** One `broadcastTransactions` call: the txids, and what watchChannel had answered for each when it went out. */
export interface BroadcastCall {
  readonly txids: readonly string[];
  readonly watchStates: readonly WatchStateAtBroadcast[];
  /** Set once the node answered: `'accepted'` or the refusal. */
  outcome?: 'accepted' | unknown;
}

/** The opener's broadcaster: the real node's answer, and a record of what was sent when. */
export class RelayingBroadcaster implements BroadcasterInterface {
  readonly calls: BroadcastCall[] = [];
  inFlight = 0;
  readonly #pending = new Set<Promise<unknown>>();

  constructor(private readonly node: BroadcasterInterface, private readonly watch: ScenarioChainMonitor) {}

  broadcastTransactions(...txs: Transaction[]): Promise<string[]> {
    const txids = txs.map((tx) => tx.getId());
    const call: BroadcastCall = {
      txids,
      watchStates: txids.map((txid) => this.watch.stateFor(txid)),
    };
    this.calls.push(call);
    this.inFlight++;
    const sent = this.node.broadcastTransactions(...txs).then(
      (answer) => {
        call.outcome = 'accepted';
        return answer;
      },
      (err: unknown) => {
        call.outcome = err;
        throw err;
      },
    ).finally(() => {
      this.inFlight--;
    });
    this.#pending.add(sent.catch(() => undefined));
    return sent;
  }

  /** Every txid handed over, in order. */
  get txids(): string[] {
    return this.calls.flatMap((call) => call.txids);
  }

  async settled(): Promise<void> {
    await Promise.allSettled([...this.#pending]);
  }
}

/** The counterparty's broadcaster: its commitments never matter to a `createChannel` check, so they stay here. */
export class SilentBroadcaster implements BroadcasterInterface {
  readonly sent: Transaction[] = [];
  async broadcastTransactions(...txs: Transaction[]): Promise<string[]> {
    this.sent.push(...txs);
    return txs.map((tx) => tx.getId());
  }
}

/** The counterparty's ChainMonitor: answers its own `watchChannel` as the scenario says, stores nothing. */
export class PeerWatch implements NodeChainMonitor {
  watched = 0;
  constructor(private readonly answer: ChannelMonitorUpdateStatus = ChannelMonitorUpdateStatus.Completed) {}
  async watchChannel(): Promise<ChannelMonitorUpdateStatus> {
    this.watched++;
    return this.answer;
  }
  async updateChannel(): Promise<ChannelMonitorUpdateStatus> {
    return ChannelMonitorUpdateStatus.Completed;
  }
  async transactionsConfirmed(): Promise<void> {}
}
