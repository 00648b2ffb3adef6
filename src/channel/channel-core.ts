/**
 * `ChannelCore`: what a funded channel knows and the rules every step obeys — both sides' current
 * commitments and where every pending update is (see `spec.ts`), the funding depth and `channel_ready`,
 * balance projections, and `persist`, which hands a step's `ChannelMonitorUpdate`s to the ChainMonitor and
 * halts the channel unless each comes back `Completed`. `Channel` (in `channel.ts`) adds the BOLT 2 steps.
 * @see BOLT 2 "Normal Operation"
 */
import type { Transaction } from 'bitcoinjs-lib';
import { equalBytes } from '../ln/bytes.js';
import type { ChannelParameters } from '../ln/channel.js';
import { InvalidSecretError } from '../ln/errors.js';
import { commitmentTxBaseFeeSat, MSAT_PER_SAT } from '../ln/fees.js';
import type { ChannelKeys } from '../ln/keys-manager.js';
import { DEFAULT_CHANNEL_TYPE, type OutPoint } from '../ln/types.js';
import { ChannelMonitorUpdateStatus, type ChannelMonitorUpdate } from '../monitor/updates.js';
import type { ChannelReady, UpdateAddHtlc } from '../peer/messages.js';
import { MonitorPersistFailedError, ProtocolViolationError, UnexpectedMessageError } from './errors.js';
import { projectedSpec } from './htlc-checks.js';
import { htlcIn, settles, NO_COUNTERPARTY_UPDATES, NO_HOLDER_UPDATES, type CounterpartyUpdates, type HolderUpdates, type PendingHtlc } from './spec.js';
import type { ChannelEvent, ChannelIo, ChannelLimits, ChannelPhase, CounterpartyCommitmentRecord, HolderCommitmentRecord } from './types.js';

/** Everything a funded channel starts from: what the opening negotiated, and both commitments #0. */
export interface FundedChannelInit {
  readonly channelId: string;
  readonly isOutbound: boolean;
  readonly counterpartyNodeId: Uint8Array;
  readonly keys: ChannelKeys;
  /** Holder-centred, with the real funding outpoint. */
  readonly params: ChannelParameters;
  readonly feeratePerKw: number;
  readonly limits: ChannelLimits;
  readonly holderCommitment: HolderCommitmentRecord;
  readonly counterpartyCommitment: CounterpartyCommitmentRecord;
  /** Where our balance goes in a cooperative close (a wallet script). */
  readonly holderShutdownScript: Uint8Array;
  readonly io: ChannelIo;
}

/** Phases in which HTLCs may still move (a shutdown stops new ones, not the settling of old ones). */
export const OPERATIONAL_PHASES: ReadonlySet<ChannelPhase> = new Set(['Ready', 'ShuttingDown']);

export abstract class ChannelCore {
  readonly channelId: string;
  readonly isOutbound: boolean;
  readonly counterpartyNodeId: Uint8Array;
  readonly keys: ChannelKeys;
  readonly params: ChannelParameters;
  readonly feeratePerKw: number;
  readonly limits: ChannelLimits;
  phase: ChannelPhase = 'AwaitingChannelReady';
  /** Why the channel halted or failed, once it has. */
  stopReason: string | undefined;
  /** Set once the funding transaction confirms. @see BOLT 7 "Definition of `short_channel_id`" */
  shortChannelId: bigint | undefined;
  fundingHeight: number | undefined;
  /** The transaction that spent the funding output, once one confirmed. */
  closingTxid: string | undefined;
  protected holderCommit: HolderCommitmentRecord;
  protected counterpartyCommit: CounterpartyCommitmentRecord;
  /** Signed by us, not yet revoked-into by them: we may not sign again until their `revoke_and_ack`. */
  protected nextCounterpartyCommit: CounterpartyCommitmentRecord | undefined;
  /** Their per-commitment point for `counterpartyCommit.number + 1`. */
  protected counterpartyNextPoint: Uint8Array | undefined;
  protected holderUpdates: HolderUpdates = NO_HOLDER_UPDATES;
  protected counterpartyUpdates: CounterpartyUpdates = NO_COUNTERPARTY_UPDATES;
  protected nextHolderHtlcId = 0n;
  protected nextCounterpartyHtlcId = 0n;
  protected channelReadySent = false;
  protected readonly io: ChannelIo;

  constructor(init: FundedChannelInit) {
    this.channelId = init.channelId;
    this.isOutbound = init.isOutbound;
    this.counterpartyNodeId = init.counterpartyNodeId;
    this.keys = init.keys;
    this.params = init.params;
    this.feeratePerKw = init.feeratePerKw;
    this.limits = init.limits;
    this.holderCommit = init.holderCommitment;
    this.counterpartyCommit = init.counterpartyCommitment;
    this.io = init.io;
  }

  get fundingOutpoint(): OutPoint {
    return this.params.fundingOutpoint;
  }

  /** Our current commitment (number, balances, HTLCs, the signed transaction). */
  get holderCommitment(): HolderCommitmentRecord {
    return this.holderCommit;
  }

  get counterpartyCommitment(): CounterpartyCommitmentRecord {
    return this.counterpartyCommit;
  }

  /**
   * What we could offer in a new HTLC now: our balance once every pending update is in, less the reserve
   * the counterparty asked and (if we opened the channel) the commitment fee with one more HTLC.
   */
  get availableToSendMsat(): bigint {
    const projected = this.projected([], []);
    const feeMsat = this.isOutbound ? commitmentTxBaseFeeSat(this.feeratePerKw, projected.htlcs.length + 1, this.params.channelType ?? DEFAULT_CHANNEL_TYPE) * MSAT_PER_SAT : 0n;
    const available = projected.holderBalanceMsat - feeMsat - this.limits.counterpartySelectedReserveSat * MSAT_PER_SAT;
    return available > 0n ? available : 0n;
  }

  /** The funding output was spent on chain (a close of any kind confirmed). */
  markClosed(txid: string): void {
    if (this.phase !== 'Halted' && this.phase !== 'Failed') this.phase = 'Closed';
    this.closingTxid ??= txid;
  }

  /** True when no HTLC is in either commitment and no update or signature is pending. */
  get isQuiescent(): boolean {
    const pending = [...this.holderUpdates.proposed, ...this.holderUpdates.signed, ...this.holderUpdates.acked, ...this.counterpartyUpdates.proposed, ...this.counterpartyUpdates.acked, ...this.counterpartyUpdates.signed];
    return pending.length === 0 && !this.nextCounterpartyCommit && this.holderCommit.spec.htlcs.length === 0 && this.counterpartyCommit.spec.htlcs.length === 0;
  }

  // ----- Funding and channel_ready -----

  /** The funding transaction confirmed at `height`; `shortChannelId` says where (BOLT 7). */
  fundingConfirmed(height: number, shortChannelId: bigint): void {
    this.fundingHeight ??= height;
    this.shortChannelId ??= shortChannelId;
  }

  /**
   * A new chain tip: once the funding has `minimum_depth` confirmations, send `channel_ready`.
   * @see BOLT 2 "The `channel_ready` Message"
   */
  bestBlockUpdated(height: number): ChannelEvent[] {
    if (this.phase !== 'AwaitingChannelReady' || this.fundingHeight === undefined || this.channelReadySent) return [];
    if (height - this.fundingHeight + 1 < this.limits.minimumDepth) return [];
    this.channelReadySent = true;
    this.io.send({ type: 'channel_ready', channelId: this.channelId, secondPerCommitmentPoint: this.keys.perCommitmentPoint(1n) });
    return this.maybeReady();
  }

  /** @see BOLT 2 "The `channel_ready` Message" */
  handleChannelReady(msg: ChannelReady): ChannelEvent[] {
    if (this.phase !== 'AwaitingChannelReady') {
      // A repeat of the same point is harmless (BOLT 2 allows retransmission); anything else is not.
      if (this.counterpartyCommit.number === 0n && this.counterpartyNextPoint && equalBytes(this.counterpartyNextPoint, msg.secondPerCommitmentPoint)) return [];
      throw new UnexpectedMessageError(this.channelId, msg.type, this.phase, 'no channel_ready after the channel is ready');
    }
    this.counterpartyNextPoint = msg.secondPerCommitmentPoint;
    return this.maybeReady();
  }

  protected maybeReady(): ChannelEvent[] {
    if (!this.channelReadySent || !this.counterpartyNextPoint) return [];
    this.phase = 'Ready';
    return [{ kind: 'ChannelReady' }];
  }

  /** Our latest commitment, fully signed: what a force close broadcasts. Ends the channel. */
  forceClose(reason: string): Transaction {
    this.phase = 'ForceClosed';
    this.stopReason ??= reason;
    return this.holderCommit.signedTx;
  }

  /** Fails the channel for `reason` (tells the peer), and returns our latest commitment to broadcast. */
  fail(reason: string): Transaction {
    this.io.send({ type: 'error', channelId: this.channelId, data: reason });
    const tx = this.forceClose(reason);
    this.phase = 'Failed';
    return tx;
  }

  // ----- Helpers -----

  /** The spec once every pending update (and `extra…`) is in: what balance checks are made against. */
  protected projected(extraHolder: UpdateAddHtlc[], extraCounterparty: UpdateAddHtlc[]) {
    const h = this.holderUpdates;
    return projectedSpec(this.holderCommit.spec, [...h.acked, ...h.signed, ...h.proposed, ...extraHolder], [...this.counterpartyUpdates.proposed, ...extraCounterparty]);
  }

  /** The HTLC `offeredBy` with `id`, if it is in both commitments and not already being settled. */
  protected settleable(offeredBy: 'holder' | 'counterparty', id: bigint, context: string): PendingHtlc {
    const inHolder = htlcIn(this.holderCommit.spec, offeredBy, id);
    const inCounterparty = htlcIn(this.counterpartyCommit.spec, offeredBy, id);
    const settlers = offeredBy === 'holder' ? this.counterpartyUpdates : this.holderUpdates;
    const pending = [...settlers.proposed, ...settlers.signed, ...settlers.acked];
    if (!inHolder || !inCounterparty || settles(pending, id)) {
      throw new ProtocolViolationError(this.channelId, `${context} of an HTLC #${id} (offered by the ${offeredBy}) committed on both sides and not yet settled`, 'no such HTLC');
    }
    return inHolder;
  }

  protected assertPhase(messageType: string, ok: boolean): void {
    if (!ok) throw new UnexpectedMessageError(this.channelId, messageType, this.phase, 'this message only while the channel is open');
  }

  /** Hands `updates` to the ChainMonitor in order; halts the channel unless each is `Completed`. */
  protected async persist(step: string, updates: readonly ChannelMonitorUpdate[]): Promise<void> {
    for (const update of updates) {
      let status: string;
      try {
        status = await this.io.updateMonitor(this.fundingOutpoint, update);
      } catch (err) {
        if (err instanceof InvalidSecretError) throw new ProtocolViolationError(this.channelId, 'a revocation secret that fits the earlier ones', 'one that does not');
        status = `an exception (${err instanceof Error ? err.message : String(err)})`;
      }
      if (status !== ChannelMonitorUpdateStatus.Completed) {
        this.phase = 'Halted';
        this.stopReason = `${step}: monitor update ${update.kind} not persisted (${status})`;
        throw new MonitorPersistFailedError(this.channelId, `${step} (${update.kind})`, status);
      }
    }
  }
}
