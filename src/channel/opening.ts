/**
 * What the opener and the acceptor both need while opening: the context a node gives a new channel, the
 * outcome of the funding exchange, and the pieces built from `open_channel` + `accept_channel` (channel
 * parameters, limits, the first commitments, the monitor's starting state).
 * @see BOLT 2 "Channel Establishment"
 */
import type { Transaction } from 'bitcoinjs-lib';
import type { BestBlock } from '../chain/interfaces.js';
import type { WorkshopError } from '../errors.js';
import type { ChannelParameters } from '../ln/channel.js';
import type { ChannelKeys } from '../ln/keys-manager.js';
import { MSAT_PER_SAT } from '../ln/fees.js';
import type { ChannelPublicKeys, OutPoint } from '../ln/types.js';
import type { ChannelMonitorInit } from '../monitor/channel-monitor-state.js';
import type { AcceptChannel, OpenChannel } from '../peer/messages.js';
import type { FundedTransaction } from '../wallet/wallet.js';
import type { TxOutputSpec } from '../wallet/coin-selection.js';
import type { Channel } from './channel.js';
import type { UserConfig } from './config.js';
import type { CommitmentSpec } from './spec.js';
import type { ChannelIo, ChannelLimits } from './types.js';

/** The part of the wallet a channel opening uses. */
export interface FundingWallet {
  fundTransaction(outputs: readonly TxOutputSpec[]): Promise<FundedTransaction>;
  release(funded: Pick<FundedTransaction, 'spent'>): void;
}

/** What the node hands a channel it is opening or accepting. */
export interface ChannelOpenContext {
  readonly keys: ChannelKeys;
  readonly counterpartyNodeId: Uint8Array;
  readonly config: UserConfig;
  readonly chainHash: Uint8Array;
  readonly io: ChannelIo;
  /** Where the monitor sends what it claims, and our cooperative-close output: wallet scripts. */
  readonly destinationScript: Uint8Array;
  readonly shutdownScript: Uint8Array;
  /** The chain tip now (the monitor watches from here). */
  readonly bestBlock: () => BestBlock;
}

/**
 * The funding exchange is over. On `Success` the node must persist `monitorInit` (as a `ChannelMonitor`,
 * through `chainMonitor.watchChannel`) before anything else: before broadcasting the funding transaction
 * (opener) or sending `funding_signed` (acceptor).
 */
export type FundingOutcome =
  | {
      readonly kind: 'Success';
      readonly fundingOutpoint: OutPoint;
      readonly monitorInit: ChannelMonitorInit;
      readonly channel: Channel;
      /** The opener's signed funding transaction; `undefined` on the acceptor's side. */
      readonly fundingTx?: Transaction;
    }
  | { readonly kind: 'Failure'; readonly error: WorkshopError };

/** The five basepoints as an `open_channel` / `accept_channel` carries them. */
export function pubkeysOf(msg: OpenChannel | AcceptChannel): ChannelPublicKeys {
  return {
    fundingPubkey: msg.fundingPubkey,
    revocationBasepoint: msg.revocationBasepoint,
    paymentBasepoint: msg.paymentBasepoint,
    delayedPaymentBasepoint: msg.delayedPaymentBasepoint,
    htlcBasepoint: msg.htlcBasepoint,
  };
}

/**
 * Our view of the channel's parameters. Each side's `toSelfDelay` is the one the *other* side asked for.
 * @see BOLT 2 "The `open_channel` Message"
 */
export function channelParameters(isOutbound: boolean, open: OpenChannel, accept: AcceptChannel, keys: ChannelKeys, fundingOutpoint: OutPoint): ChannelParameters {
  const [ours, theirs] = isOutbound ? [open, accept] : [accept, open];
  return {
    fundingOutpoint,
    channelValueSat: open.fundingSatoshis,
    funder: isOutbound ? 'holder' : 'counterparty',
    holder: { pubkeys: keys.pubkeys, toSelfDelay: theirs.toSelfDelay, dustLimitSat: ours.dustLimitSatoshis },
    counterparty: { pubkeys: pubkeysOf(theirs), toSelfDelay: ours.toSelfDelay, dustLimitSat: theirs.dustLimitSatoshis },
  };
}

/** What each side asked of the other. */
export function channelLimits(isOutbound: boolean, open: OpenChannel, accept: AcceptChannel): ChannelLimits {
  const [ours, theirs] = isOutbound ? [open, accept] : [accept, open];
  return {
    holderSelectedReserveSat: ours.channelReserveSatoshis,
    counterpartySelectedReserveSat: theirs.channelReserveSatoshis,
    holderHtlcMinimumMsat: ours.htlcMinimumMsat,
    counterpartyHtlcMinimumMsat: theirs.htlcMinimumMsat,
    holderMaxAcceptedHtlcs: ours.maxAcceptedHtlcs,
    counterpartyMaxAcceptedHtlcs: theirs.maxAcceptedHtlcs,
    minimumDepth: accept.minimumDepth,
  };
}

/** Balances of commitment #0: the opener has everything but `push_msat`. */
export function initialSpec(isOutbound: boolean, open: OpenChannel): CommitmentSpec {
  const funderMsat = open.fundingSatoshis * MSAT_PER_SAT - open.pushMsat;
  return Object.freeze({
    holderBalanceMsat: isOutbound ? funderMsat : open.pushMsat,
    counterpartyBalanceMsat: isOutbound ? open.pushMsat : funderMsat,
    htlcs: Object.freeze([]),
  });
}

/** The monitor's starting state: our keys (never the funding key), our signed commitment #0, where to sweep. */
export function monitorInitFor(
  channelId: string,
  params: ChannelParameters,
  keys: ChannelKeys,
  ctx: ChannelOpenContext,
  holderCommitmentTx: Transaction,
): ChannelMonitorInit {
  return {
    channelId,
    params,
    secrets: {
      revocationBasepointSecret: keys.revocationBasepointSecret,
      delayedPaymentBasepointSecret: keys.delayedPaymentBasepointSecret,
      htlcBasepointSecret: keys.htlcBasepointSecret,
      paymentBasepointSecret: keys.paymentBasepointSecret,
      commitmentSeed: keys.commitmentSeed,
    },
    destinationScript: ctx.destinationScript,
    bestBlock: ctx.bestBlock(),
    holderCommitmentTx,
  };
}

/** The `open_channel` / `accept_channel` fields that come from our keys and config. */
export function ourTerms(ctx: ChannelOpenContext, channelReserveSatoshis: bigint, channelValueSat: bigint) {
  const { handshake } = ctx.config;
  const { pubkeys } = ctx.keys;
  return {
    dustLimitSatoshis: handshake.dustLimitSat,
    maxHtlcValueInFlightMsat: channelValueSat * MSAT_PER_SAT,
    channelReserveSatoshis,
    htlcMinimumMsat: handshake.htlcMinimumMsat,
    toSelfDelay: handshake.toSelfDelay,
    maxAcceptedHtlcs: handshake.maxAcceptedHtlcs,
    ...pubkeys,
    firstPerCommitmentPoint: ctx.keys.perCommitmentPoint(0n),
  };
}
