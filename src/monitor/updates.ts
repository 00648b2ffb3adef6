/**
 * What a ChannelManager tells a ChannelMonitor as the channel moves on, and what the ChainMonitor answers.
 * TypeScript names for the seed's (and LDK's) Rust enums.
 */
import type { Transaction } from 'bitcoinjs-lib';
import type { CommitmentHtlc } from '../ln/types.js';

export { PAYMENT_PREIMAGE_BYTES } from '../ln/types.js';

/**
 * One change to a channel that the monitor must know before the channel may advance.
 *
 * - `PaymentPreimage`: we learned the preimage of an HTLC; with it the monitor can claim that HTLC on-chain.
 * - `CommitmentSecret`: the counterparty revoked its commitment number `index` by handing over its
 *   per-commitment secret. From now on, if that commitment shows up on-chain, it is a cheat and the monitor
 *   can take every output with the revocation key. (BOLT 2 `revoke_and_ack`, BOLT 3 "Revocation key".)
 * - `LatestHolderCommitmentTx`: our newest fully signed commitment, the one we would broadcast to force-close.
 * - `LatestCounterpartyCommitmentTx`: the counterparty's newest commitment (which we signed), so the monitor
 *   recognises it on-chain and knows its HTLCs when it is later revoked.
 */
export type ChannelMonitorUpdate =
  | { readonly kind: 'PaymentPreimage'; readonly paymentPreimage: Uint8Array }
  | { readonly kind: 'CommitmentSecret'; readonly index: bigint; readonly secret: Uint8Array }
  | {
      readonly kind: 'LatestHolderCommitmentTx';
      readonly commitmentTx: Transaction;
      readonly commitmentNumber: bigint;
      readonly htlcs: readonly CommitmentHtlc[];
    }
  | {
      readonly kind: 'LatestCounterpartyCommitmentTx';
      readonly txid: string;
      readonly commitmentNumber: bigint;
      readonly perCommitmentPoint: Uint8Array;
      readonly htlcs: readonly CommitmentHtlc[];
    };

/**
 * The outcome of handing a monitor or an update to the ChainMonitor. `Completed` means it is durably on
 * disk and the channel may move on. `UnrecoverableError` means it is not: moving the channel on anyway
 * risks loss of funds (after a crash the node would not know the newest state), so the channel must stop.
 */
export const ChannelMonitorUpdateStatus = Object.freeze({
  Completed: 'Completed',
  UnrecoverableError: 'UnrecoverableError',
} as const);
export type ChannelMonitorUpdateStatus = (typeof ChannelMonitorUpdateStatus)[keyof typeof ChannelMonitorUpdateStatus];
