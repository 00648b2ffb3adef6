/**
 * Whether an HTLC may be added: the offerer must afford it while keeping the reserve the other side asked
 * for (and, if it opened the channel, the commitment fee), and respect the other side's HTLC minimum and
 * HTLC count. We check our own offers (so we never send what the peer must refuse) and theirs (so a peer
 * cannot spend what it does not have).
 * @see BOLT 2 "Adding an HTLC: `update_add_htlc`"
 */
import type { ChannelParameters, ChannelSide } from '../ln/channel.js';
import { commitmentTxBaseFeeSat, MSAT_PER_SAT } from '../ln/fees.js';
import { DEFAULT_CHANNEL_TYPE } from '../ln/types.js';
import type { UpdateAddHtlc } from '../peer/messages.js';
import { CLTV_EXPIRY_TIMESTAMP_THRESHOLD } from './config.js';
import { ChannelCapacityError, ProtocolViolationError } from './errors.js';
import { reduceSpec, type ChannelUpdateMessage, type CommitmentSpec } from './spec.js';
import type { ChannelLimits } from './types.js';

/** What the checks read of a channel. */
export interface AddCheckContext {
  readonly channelId: string;
  readonly isOutbound: boolean;
  readonly feeratePerKw: number;
  readonly limits: ChannelLimits;
  readonly params: ChannelParameters;
}

/** `spec` with every pending update applied (see `reduceSpec`). */
export function projectedSpec(
  spec: CommitmentSpec,
  holderUpdates: readonly ChannelUpdateMessage[],
  counterpartyUpdates: readonly ChannelUpdateMessage[],
): CommitmentSpec {
  return reduceSpec(spec, holderUpdates, counterpartyUpdates);
}

/**
 * Throws unless `add` (offered by `offeredBy`, already in `projected`) is allowed: a `ChannelCapacityError`
 * for our own offer, a `ProtocolViolationError` for theirs.
 * @see BOLT 2 "Adding an HTLC: `update_add_htlc`"
 */
export function checkCanAdd(channel: AddCheckContext, projected: CommitmentSpec, offeredBy: ChannelSide, add: UpdateAddHtlc): void {
  const ours = offeredBy === 'holder';
  const refuse = (expected: string, got: string): never => {
    throw ours ? new ChannelCapacityError(channel.channelId, expected, got) : new ProtocolViolationError(channel.channelId, expected, got);
  };
  const { limits } = channel;
  const minimumMsat = ours ? limits.counterpartyHtlcMinimumMsat : limits.holderHtlcMinimumMsat;
  if (add.amountMsat < minimumMsat) refuse(`an HTLC of at least ${minimumMsat} msat (htlc_minimum_msat)`, `${add.amountMsat} msat`);
  if (add.cltvExpiry >= CLTV_EXPIRY_TIMESTAMP_THRESHOLD) refuse(`a cltv_expiry below ${CLTV_EXPIRY_TIMESTAMP_THRESHOLD} (a block height)`, `${add.cltvExpiry}`);
  const maxHtlcs = ours ? limits.counterpartyMaxAcceptedHtlcs : limits.holderMaxAcceptedHtlcs;
  const count = projected.htlcs.filter((h) => h.offeredBy === offeredBy).length;
  if (count > maxHtlcs) refuse(`at most ${maxHtlcs} HTLCs in flight (max_accepted_htlcs)`, `${count}`);

  // The offerer pays the commitment fee too if it opened the channel; count every HTLC as untrimmed (an upper bound).
  const offererIsFunder = ours === channel.isOutbound;
  const feeMsat = offererIsFunder
    ? commitmentTxBaseFeeSat(channel.feeratePerKw, projected.htlcs.length, channel.params.channelType ?? DEFAULT_CHANNEL_TYPE) * MSAT_PER_SAT
    : 0n;
  const reserveMsat = (ours ? limits.counterpartySelectedReserveSat : limits.holderSelectedReserveSat) * MSAT_PER_SAT;
  const balanceMsat = ours ? projected.holderBalanceMsat : projected.counterpartyBalanceMsat;
  if (balanceMsat - feeMsat < reserveMsat) {
    refuse(
      `a balance after the HTLC${feeMsat > 0n ? ' and the commitment fee' : ''} of at least the ${reserveMsat} msat reserve`,
      `${balanceMsat - feeMsat} msat (for an HTLC of ${add.amountMsat} msat)`,
    );
  }
}
