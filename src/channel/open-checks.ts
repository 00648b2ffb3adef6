/**
 * The terms a node checks in `open_channel` (as acceptor) and `accept_channel` (as opener) before it
 * commits to a channel. Each refusal is an `OpenRefusedError` naming the field; its message is what the
 * `error` to the peer says.
 * @see BOLT 2 "The `open_channel` Message"
 */
import { FEERATE_FLOOR_SATS_PER_KW } from '../chain/interfaces.js';
import { equalBytes } from '../ln/bytes.js';
import { MAX_COUNTERPARTY_FEERATE_PER_KW, commitmentTxBaseFeeSat, MSAT_PER_SAT } from '../ln/fees.js';
import { DEFAULT_CHANNEL_TYPE } from '../ln/types.js';
import type { AcceptChannel, OpenChannel } from '../peer/messages.js';
import { MAX_HTLCS_PER_COMMITMENT } from '../peer/validate.js';
import { MAX_FUNDING_SAT, type ChannelHandshakeConfig } from './config.js';
import { OpenRefusedError } from './errors.js';

/** BOLT 2: nodes MUST refuse a `dust_limit_satoshis` below 354 sat (the smallest standard output's dust). */
export const MIN_DUST_LIMIT_SAT = 354n;
/** More than a day of blocks before `channel_ready` is unreasonable. */
const MAX_MINIMUM_DEPTH = 144;

function refuse(type: string, field: string, expected: string, got: unknown): never {
  throw new OpenRefusedError(type, field, expected, String(got));
}

/** The checks `open_channel` and `accept_channel` share. */
function checkCommonTerms(msg: OpenChannel | AcceptChannel, config: ChannelHandshakeConfig): void {
  if (msg.toSelfDelay > config.maxToSelfDelay) refuse(msg.type, 'toSelfDelay', `at most ${config.maxToSelfDelay} blocks`, msg.toSelfDelay);
  if (msg.maxAcceptedHtlcs > MAX_HTLCS_PER_COMMITMENT) refuse(msg.type, 'maxAcceptedHtlcs', `at most ${MAX_HTLCS_PER_COMMITMENT}`, msg.maxAcceptedHtlcs);
  if (msg.maxAcceptedHtlcs < 1) refuse(msg.type, 'maxAcceptedHtlcs', 'at least 1', msg.maxAcceptedHtlcs);
  if (msg.dustLimitSatoshis < MIN_DUST_LIMIT_SAT) refuse(msg.type, 'dustLimitSatoshis', `at least ${MIN_DUST_LIMIT_SAT} sat`, msg.dustLimitSatoshis);
  if (msg.channelReserveSatoshis < msg.dustLimitSatoshis) {
    refuse(msg.type, 'channelReserveSatoshis', `at least its own dust limit ${msg.dustLimitSatoshis} sat`, msg.channelReserveSatoshis);
  }
}

/**
 * Throws `OpenRefusedError` unless we accept `open` as the acceptor.
 * @see BOLT 2 "The `open_channel` Message"
 */
export function checkOpenChannel(open: OpenChannel, config: ChannelHandshakeConfig, chainHash: Uint8Array): void {
  const type = open.type;
  if (!config.acceptInboundChannels) refuse(type, 'temporaryChannelId', 'nothing: this node does not accept inbound channels', 'an open_channel');
  if (!equalBytes(open.chainHash, chainHash)) refuse(type, 'chainHash', 'the regtest genesis hash', Buffer.from(open.chainHash).toString('hex'));
  if (open.fundingSatoshis < config.minFundingSat) refuse(type, 'fundingSatoshis', `at least ${config.minFundingSat} sat`, open.fundingSatoshis);
  if (open.fundingSatoshis > MAX_FUNDING_SAT) refuse(type, 'fundingSatoshis', `at most ${MAX_FUNDING_SAT} sat (no large channels)`, open.fundingSatoshis);
  if (open.pushMsat > open.fundingSatoshis * MSAT_PER_SAT) refuse(type, 'pushMsat', 'at most the channel value', open.pushMsat);
  if (open.feeratePerKw < FEERATE_FLOOR_SATS_PER_KW || open.feeratePerKw > MAX_COUNTERPARTY_FEERATE_PER_KW) {
    refuse(type, 'feeratePerKw', `${FEERATE_FLOOR_SATS_PER_KW} to ${MAX_COUNTERPARTY_FEERATE_PER_KW} sat/kW`, open.feeratePerKw);
  }
  checkCommonTerms(open, config);
  if (open.channelReserveSatoshis * 2n > open.fundingSatoshis) refuse(type, 'channelReserveSatoshis', 'at most half the channel', open.channelReserveSatoshis);
  if (open.channelReserveSatoshis < config.dustLimitSat) {
    refuse(type, 'channelReserveSatoshis', `at least our dust limit ${config.dustLimitSat} sat`, open.channelReserveSatoshis);
  }
  const funderSat = open.fundingSatoshis - open.pushMsat / MSAT_PER_SAT;
  const feeSat = commitmentTxBaseFeeSat(open.feeratePerKw, 0, DEFAULT_CHANNEL_TYPE);
  if (funderSat < feeSat) refuse(type, 'fundingSatoshis', `enough left after push_msat to pay the ${feeSat} sat commitment fee`, `${funderSat} sat`);
}

/**
 * Throws `OpenRefusedError` unless the opener (us, having sent `open`) accepts the acceptor's terms.
 * @see BOLT 2 "The `accept_channel` Message"
 */
export function checkAcceptChannel(accept: AcceptChannel, open: OpenChannel, config: ChannelHandshakeConfig): void {
  const type = accept.type;
  checkCommonTerms(accept, config);
  if (accept.minimumDepth > MAX_MINIMUM_DEPTH) refuse(type, 'minimumDepth', `at most ${MAX_MINIMUM_DEPTH} blocks`, accept.minimumDepth);
  if (accept.channelReserveSatoshis < open.dustLimitSatoshis) {
    refuse(type, 'channelReserveSatoshis', `at least our dust limit ${open.dustLimitSatoshis} sat`, accept.channelReserveSatoshis);
  }
  if (open.channelReserveSatoshis < accept.dustLimitSatoshis) {
    refuse(type, 'dustLimitSatoshis', `at most the reserve we asked, ${open.channelReserveSatoshis} sat`, accept.dustLimitSatoshis);
  }
  if (accept.channelReserveSatoshis * 2n > open.fundingSatoshis) refuse(type, 'channelReserveSatoshis', 'at most half the channel', accept.channelReserveSatoshis);
}
