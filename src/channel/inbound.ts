/**
 * `InboundV1Channel`: a channel a peer is opening to us, up to the point it is funded. Built from their
 * `open_channel` (refused with an `OpenRefusedError` if its terms are not acceptable); `acceptChannel()`
 * answers; `handleFundingCreated` checks their signature on our first commitment and signs theirs. The
 * node persists our monitor and only then calls `sendFundingSigned()`: until our monitor is on disk, the
 * funder must not be able to broadcast the funding transaction.
 * @see BOLT 2 "Channel Establishment"
 */
import type { AcceptChannel, FundingCreated, FundingSigned, OpenChannel } from '../peer/messages.js';
import { Channel } from './channel.js';
import { channelReserveSat } from './config.js';
import { UnexpectedMessageError } from './errors.js';
import { channelIdFromFundingOutpoint } from './ids.js';
import { checkOpenChannel } from './open-checks.js';
import { channelLimits, channelParameters, initialSpec, monitorInitFor, ourTerms, type ChannelOpenContext, type FundingOutcome } from './opening.js';
import { asWorkshopError } from './outbound.js';
import { signCounterpartyCommitment, verifyHolderCommitment } from './signatures.js';

export class InboundV1Channel {
  readonly temporaryChannelId: string;
  readonly counterpartyNodeId: Uint8Array;
  readonly #ctx: ChannelOpenContext;
  readonly #open: OpenChannel;
  readonly #accept: AcceptChannel;
  #fundingSigned: FundingSigned | undefined;
  /** The real channel id, once `funding_created` arrived. */
  channelId: string | undefined;

  /** Throws `OpenRefusedError` when `open`'s terms are outside our `ChannelHandshakeConfig`. */
  constructor(ctx: ChannelOpenContext, open: OpenChannel) {
    checkOpenChannel(open, ctx.config.handshake, ctx.chainHash);
    this.#ctx = ctx;
    this.#open = open;
    this.temporaryChannelId = open.temporaryChannelId;
    this.counterpartyNodeId = ctx.counterpartyNodeId;
    const { handshake } = ctx.config;
    this.#accept = {
      type: 'accept_channel',
      temporaryChannelId: open.temporaryChannelId,
      minimumDepth: handshake.minimumDepth,
      ...ourTerms(ctx, channelReserveSat(open.fundingSatoshis, handshake.dustLimitSat), open.fundingSatoshis),
    };
  }

  /** @see BOLT 2 "The `accept_channel` Message" */
  acceptChannel(): void {
    this.#ctx.io.send(this.#accept);
  }

  /**
   * Their signature on our first commitment: check it, sign theirs (kept until `sendFundingSigned`).
   * Returns the outcome; on `Success` persist the monitor, then call `sendFundingSigned()`.
   * @see BOLT 2 "The `funding_created` Message"
   */
  handleFundingCreated(msg: FundingCreated): FundingOutcome {
    if (this.channelId !== undefined) {
      return { kind: 'Failure', error: new UnexpectedMessageError(this.temporaryChannelId, msg.type, 'opening', 'funding_created once') };
    }
    try {
      const open = this.#open;
      const fundingOutpoint = { txid: msg.fundingTxid, vout: msg.fundingOutputIndex };
      const channelId = channelIdFromFundingOutpoint(fundingOutpoint);
      const params = channelParameters(false, open, this.#accept, this.#ctx.keys, fundingOutpoint);
      const spec = initialSpec(false, open);
      const { signedTx } = verifyHolderCommitment(channelId, params, this.#ctx.keys, spec, 0n, open.feeratePerKw, msg.signature, []);
      const theirs = signCounterpartyCommitment(params, this.#ctx.keys, spec, 0n, open.feeratePerKw, open.firstPerCommitmentPoint);
      this.channelId = channelId;
      this.#fundingSigned = { type: 'funding_signed', channelId, signature: theirs.signature };
      const channel = new Channel({
        channelId,
        isOutbound: false,
        counterpartyNodeId: this.counterpartyNodeId,
        keys: this.#ctx.keys,
        params,
        feeratePerKw: open.feeratePerKw,
        limits: channelLimits(false, open, this.#accept),
        holderCommitment: { number: 0n, spec, signedTx },
        counterpartyCommitment: { number: 0n, spec, txid: theirs.commitment.tx.getId(), perCommitmentPoint: open.firstPerCommitmentPoint },
        holderShutdownScript: this.#ctx.shutdownScript,
        io: this.#ctx.io,
      });
      return { kind: 'Success', fundingOutpoint, monitorInit: monitorInitFor(channelId, params, this.#ctx.keys, this.#ctx, signedTx), channel };
    } catch (err) {
      return { kind: 'Failure', error: asWorkshopError(err) };
    }
  }

  /** Sends `funding_signed`: call only once our monitor is persisted. @see BOLT 2 "The `funding_signed` Message" */
  sendFundingSigned(): void {
    if (this.#fundingSigned) this.#ctx.io.send(this.#fundingSigned);
  }

  /** The funding output the funder promised: what to find on chain at the funding outpoint. */
  get fundingSatoshis(): bigint {
    return this.#open.fundingSatoshis;
  }
}
