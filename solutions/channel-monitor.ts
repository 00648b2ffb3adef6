/**
 * Reference `ChannelMonitor`: one per channel, it reacts to what happens on-chain. Its state and helpers
 * are in `src/monitor/channel-monitor-state.ts`; the two ⚡️ exercises (notebooks 01 and 03) are here.
 */
import type { Block, Transaction } from 'bitcoinjs-lib';
import type { BroadcasterInterface, FeeEstimator } from '../src/chain/interfaces.js';
import { BroadcastRejectedError } from '../src/chain/errors.js';
import { ChannelMonitorState, type ChannelMonitorInit } from '../src/monitor/channel-monitor-state.js';
import { InvalidMonitorUpdateError } from '../src/monitor/errors.js';
import { PAYMENT_PREIMAGE_BYTES, type ChannelMonitorUpdate } from '../src/monitor/updates.js';
import { monitorFromBytes, monitorToBytes } from '../src/monitor/serialize.js';


export class ChannelMonitor extends ChannelMonitorState {
  /** Broadcasts the node refused (e.g. the cheater's own sweep confirmed first), kept for the record. */
  rejectedBroadcasts: { txid: string; reason: string }[] = [];

  // #region blockConnected
  /**
   * Tells the monitor about a new block. For every transaction that spends an output we watch, build our
   * reaction (a justice transaction when it is a revoked commitment), broadcast it, and watch the new
   * outputs. Connecting the same block twice changes nothing.
   *
   * **Order**: blocks arrive in chain order, each once (a repeat is harmless).
   */
  async blockConnected(
    header: Block,
    txdata: Transaction[],
    height: number,
    broadcaster: BroadcasterInterface,
    feeEstimator: FeeEstimator,
  ): Promise<void> {
    // remember this block as our best block
    this.bestBlock = this.bestBlockOf(header, height);
    // for each transaction in the block
    for (const tx of txdata) {
      // does it spend an output we are watching? (`this.spendsWatchedOutput`)
      if (!this.spendsWatchedOutput(tx)) continue;
      // yes: react by building a new transaction (`this.reactTo` builds a justice transaction for a revoked commitment)
      const feeratePerKw = await feeEstimator.getEstSatPer1000Weight('UrgentOnChainSweep');
      const reaction = this.reactTo(tx, height, feeratePerKw);
      // broadcast the new transaction(s) (`this.broadcast(broadcaster, reaction.claims)`)
      await this.broadcast(broadcaster, reaction.claims);
      // add the new outputs to `outputsToWatch` (`this.watchOutputs`)
      this.watchOutputs(reaction.outputsToWatch);
    }
    await this.broadcastMaturedClaims(height, broadcaster, feeEstimator); // (given) e.g. our to_local after a force close
  }
  // #endregion blockConnected

  // #region updateMonitor
  /**
   * Applies one update. A preimage is stored once; a commitment secret must pass BOLT 3's check (it must
   * derive every secret stored before it), otherwise it is rejected with an error and nothing changes.
   */
  updateMonitor(update: ChannelMonitorUpdate): void {
    if (update.kind === 'PaymentPreimage') { // (given)
      // store the preimage in `preimages`: only a 32-byte one, and only once
      if (update.paymentPreimage.length !== PAYMENT_PREIMAGE_BYTES) {
        throw new InvalidMonitorUpdateError(
          `updateMonitor: a payment preimage is ${PAYMENT_PREIMAGE_BYTES} bytes, got ${update.paymentPreimage.length}`,
          'pass the preimage from update_fulfill_htlc',
        );
      }
      const known = this.preimages.some((p) => Buffer.from(p).equals(Buffer.from(update.paymentPreimage)));
      if (!known) this.preimages.push(update.paymentPreimage);
      return; // (given)
    } // (given)
    if (update.kind === 'CommitmentSecret') { // (given)
      // hand the secret to `commitmentSecrets.provideSecret(index, secret)`: it throws, changing nothing,
      // when the secret does not derive the ones already stored
      this.commitmentSecrets.provideSecret(update.index, update.secret);
      return; // (given)
    } // (given)
    this.recordLatestCommitment(update); // (given) the newest commitments, to recognise them on-chain
  }
  // #endregion updateMonitor

  /** Broadcasts the claims whose timelock has passed at `height` (our own `to_local` after a force close). */
  async broadcastMaturedClaims(height: number, broadcaster: BroadcasterInterface, feeEstimator: FeeEstimator): Promise<void> {
    if (!this.hasMaturedClaims(height)) return;
    const feeratePerKw = await feeEstimator.getEstSatPer1000Weight('UrgentOnChainSweep');
    await this.broadcast(broadcaster, this.maturedClaims(height, feeratePerKw));
  }

  /** Broadcasts each claim; a refusal is recorded, not thrown, so one lost race does not stop the block. */
  async broadcast(broadcaster: BroadcasterInterface, claims: Transaction[]): Promise<void> {
    for (const claim of claims) {
      try {
        await broadcaster.broadcastTransactions(claim);
      } catch (err) {
        if (!(err instanceof BroadcastRejectedError)) throw err;
        this.rejectedBroadcasts.push({ txid: err.txid, reason: err.reason });
      }
    }
  }

  toBytes(): Uint8Array {
    return monitorToBytes(this);
  }

  static fromBytes(bytes: Uint8Array, fileNameForErrors?: string): ChannelMonitor {
    return monitorFromBytes(bytes, (init: ChannelMonitorInit) => new ChannelMonitor(init), fileNameForErrors);
  }
}
