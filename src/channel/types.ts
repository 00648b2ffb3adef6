/**
 * The shapes shared by the channel state machine and its owner (the ChannelManager): phases, events, the
 * I/O seam, and the records of each side's current commitment.
 */
import type { Transaction } from 'bitcoinjs-lib';
import type { OutPoint } from '../ln/types.js';
import type { ChannelMonitorUpdate, ChannelMonitorUpdateStatus } from '../monitor/updates.js';
import type { PeerMessage, UpdateAddHtlc, UpdateFailHtlc } from '../peer/messages.js';
import type { CommitmentSpec } from './spec.js';

/**
 * Where a funded channel is. `Halted` is not a close: a monitor update did not persist, so the channel
 * stopped where its monitor's durable state is, and does nothing more.
 * @see BOLT 2 "Channel"
 */
export type ChannelPhase =
  | 'AwaitingChannelReady'
  | 'Ready'
  | 'ShuttingDown'
  | 'Closing'
  | 'Closed'
  | 'ForceClosed'
  | 'Failed'
  | 'Halted';

/** What a channel tells its owner after handling a message or a command. */
export type ChannelEvent =
  | { readonly kind: 'ChannelReady' }
  /** An HTLC the counterparty offered is now in both commitments and both old ones are revoked: claim, fail or forward it. */
  | { readonly kind: 'IncomingHtlcLockedIn'; readonly add: UpdateAddHtlc }
  /** The counterparty revealed the preimage of an HTLC we offered (already persisted in our monitor). */
  | {
      readonly kind: 'OutgoingHtlcFulfilled';
      readonly htlcId: bigint;
      readonly paymentHash: Uint8Array;
      readonly paymentPreimage: Uint8Array;
      readonly amountMsat: bigint;
    }
  /** An HTLC we offered was failed by the counterparty, irrevocably. */
  | { readonly kind: 'OutgoingHtlcFailed'; readonly htlcId: bigint; readonly paymentHash: Uint8Array; readonly reason: UpdateFailHtlc['reason'] }
  /** Both closing signatures are in hand. `broadcast` is true for the side that should publish it. */
  | { readonly kind: 'ClosingTransactionReady'; readonly tx: Transaction; readonly broadcast: boolean };

/** What a channel needs from the node around it. */
export interface ChannelIo {
  /** Queues a message to the counterparty. */
  send(message: PeerMessage): void;
  /** Hands one update to the ChainMonitor (`chainMonitor.updateChannel`). */
  updateMonitor(fundingOutpoint: OutPoint, update: ChannelMonitorUpdate): Promise<ChannelMonitorUpdateStatus>;
}

/** Our current commitment: the one we can broadcast. */
export interface HolderCommitmentRecord {
  readonly number: bigint;
  readonly spec: CommitmentSpec;
  /** Both funding signatures in place. */
  readonly signedTx: Transaction;
}

/** A commitment of the counterparty's that we signed. */
export interface CounterpartyCommitmentRecord {
  readonly number: bigint;
  readonly spec: CommitmentSpec;
  readonly txid: string;
  readonly perCommitmentPoint: Uint8Array;
}

/**
 * What each side asked of the other in `open_channel` / `accept_channel`. "Holder-selected" limits are
 * ours, imposed on the counterparty; "counterparty-selected" ones bind us.
 * @see BOLT 2 "The `open_channel` Message"
 */
export interface ChannelLimits {
  readonly holderSelectedReserveSat: bigint;
  readonly counterpartySelectedReserveSat: bigint;
  readonly holderHtlcMinimumMsat: bigint;
  readonly counterpartyHtlcMinimumMsat: bigint;
  readonly holderMaxAcceptedHtlcs: number;
  readonly counterpartyMaxAcceptedHtlcs: number;
  /** Funding confirmations before `channel_ready` (the acceptor's `minimum_depth`). */
  readonly minimumDepth: number;
}
