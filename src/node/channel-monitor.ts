/**
 * The `ChannelMonitor`: one per channel, it watches the chain for anything that spends the channel's
 * outputs and reacts — above all, it answers a revoked commitment with a justice transaction. Its state
 * and the helpers its methods use are in `src/monitor/channel-monitor-state.ts`.
 *
 * The methods marked ⚡️ are the workshop's exercises: here they are holes that throw `NotImplementedError`;
 * a learner's function (or, where a notebook falls back to it, the reference in `solutions/`) is put in
 * their place by `assembleNode` in `./assemble.ts`.
 *
 * @see LDK `lightning::chain::channelmonitor::ChannelMonitor`, trimmed to what the workshop needs
 * @see BOLT 5 "Failing a Channel", "Revoked Transaction Close Handling"
 */
import type { Block, Transaction } from 'bitcoinjs-lib';
import type { BroadcasterInterface, FeeEstimator } from '../chain/interfaces.js';
import { BroadcastRejectedError } from '../chain/errors.js';
import { NotImplementedError } from '../errors.js';
import { ChannelMonitorState, type ChannelMonitorInit, type ClassifiedSpend } from '../monitor/channel-monitor-state.js';
import { monitorFromBytes, monitorToBytes } from '../monitor/serialize.js';
import type { ChannelMonitorUpdate } from '../monitor/updates.js';

/** A broadcast the node refused (e.g. the cheater's own sweep confirmed first), kept for the record. */
export interface RejectedBroadcast {
  readonly txid: string;
  readonly reason: string;
}

export class ChannelMonitor extends ChannelMonitorState {
  /** Broadcasts the node refused, oldest first. A refusal is the chain's answer, not a crash. */
  rejectedBroadcasts: RejectedBroadcast[] = [];

  /**
   * ⚡️ Exercise `blockConnected` (notebook 01). Tells the monitor about a new block: for every
   * transaction that spends an output it watches, build the reaction (`this.reactTo`), broadcast its
   * claims and watch the new outputs; then broadcast the claims whose timelock has matured.
   *
   * **Order**: blocks arrive in chain order, each once; connecting a block twice changes nothing.
   * @see BOLT 5 "Revoked Transaction Close Handling"
   */
  async blockConnected(
    header: Block,
    txdata: Transaction[],
    height: number,
    broadcaster: BroadcasterInterface,
    feeEstimator: FeeEstimator,
  ): Promise<void> {
    throw new NotImplementedError('blockConnected', 'ChannelMonitor.prototype.blockConnected');
  }

  /**
   * ⚡️ Exercise `updateMonitor` (notebook 03). Applies one `ChannelMonitorUpdate`: a payment preimage
   * (32 bytes, stored once), a counterparty commitment secret (checked by the secret store; a bad one
   * throws and changes nothing), or our/their newest commitment (`this.recordLatestCommitment`).
   * @see BOLT 2 `revoke_and_ack`, `update_fulfill_htlc`
   */
  updateMonitor(update: ChannelMonitorUpdate): void {
    throw new NotImplementedError('updateMonitor', 'ChannelMonitor.prototype.updateMonitor');
  }

  /**
   * ⚡️ Deep dive `revocationPrivkey` (notebook 01). The revocation private key of a counterparty
   * commitment, once they revealed its per-commitment secret: from our `revocation_basepoint` secret
   * (`this.secrets.revocationBasepointSecret`) and theirs. `reactTo` signs the justice transaction with it.
   * @see BOLT 3 "`revocationpubkey` Derivation"
   */
  override revocationPrivkey(perCommitmentSecret: Uint8Array): Uint8Array {
    throw new NotImplementedError('revocationPrivkey', 'ChannelMonitor.prototype.revocationPrivkey');
  }

  /**
   * ⚡️ Deep dive `classifySpend` (notebook 01). What `tx`, a transaction spending the funding output, is:
   * a cooperative close (no commitment markers in its locktime and sequence), one of our commitments, the
   * counterparty's current commitment, or one they revoked (we hold its secret). The commitment number is
   * read from the obscured number in locktime and sequence. `reactTo` acts on the answer.
   * @see BOLT 3 "Commitment Transaction"; BOLT 5 "Revoked Transaction Close Handling"
   */
  override classifySpend(tx: Transaction): ClassifiedSpend {
    throw new NotImplementedError('classifySpend', 'ChannelMonitor.prototype.classifySpend');
  }

  /** Broadcasts the claims whose timelock has passed at `height` (our own `to_local` after a force close). */
  async broadcastMaturedClaims(height: number, broadcaster: BroadcasterInterface, feeEstimator: FeeEstimator): Promise<void> {
    if (!this.hasMaturedClaims(height)) return;
    const feeratePerKw = await feeEstimator.getEstSatPer1000Weight('UrgentOnChainSweep');
    await this.broadcast(broadcaster, this.maturedClaims(height, feeratePerKw));
  }

  /**
   * Broadcasts each claim. A refusal (`BroadcastRejectedError`) is recorded in `rejectedBroadcasts`, not
   * thrown: one lost race must not stop the monitor from handling the rest of the block.
   */
  async broadcast(broadcaster: BroadcasterInterface, claims: readonly Transaction[]): Promise<void> {
    for (const claim of claims) {
      try {
        await broadcaster.broadcastTransactions(claim);
      } catch (err) {
        if (!(err instanceof BroadcastRejectedError)) throw err;
        this.rejectedBroadcasts.push({ txid: err.txid, reason: err.reason });
      }
    }
  }

  /** The monitor as a persisted record (see `src/monitor/serialize.ts`). */
  toBytes(): Uint8Array {
    return monitorToBytes(this);
  }

  /**
   * A monitor read back from `toBytes()`, of the class this is called on (so an assembled subclass reads
   * back as itself). Throws `CorruptRecordError` naming `fileNameForErrors` for anything unreadable.
   */
  static fromBytes<M extends ChannelMonitor>(this: new (init: ChannelMonitorInit) => M, bytes: Uint8Array, fileNameForErrors?: string): M {
    return monitorFromBytes(bytes, (init: ChannelMonitorInit) => new this(init), fileNameForErrors);
  }
}

/** The constructor of `ChannelMonitor` or of a subclass with exercises filled in. */
export type ChannelMonitorClass = typeof ChannelMonitor;
