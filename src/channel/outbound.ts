/**
 * `OutboundV1Channel`: a channel we are opening, up to the point it is funded. `openChannel()` sends
 * `open_channel` and resolves once the exchange is over: `accept_channel` → we build and sign the funding
 * transaction from the wallet's coins (not broadcast) → `funding_created` → `funding_signed`, whose
 * signature on our first commitment is what makes broadcasting the funding transaction safe.
 * @see BOLT 2 "Channel Establishment"
 */
import { WorkshopError } from '../errors.js';
import { equalBytes } from '../ln/bytes.js';
import { fundingOutput } from '../ln/funding.js';
import type { AcceptChannel, ErrorMessage, FundingSigned, OpenChannel } from '../peer/messages.js';
import type { FundedTransaction } from '../wallet/wallet.js';
import { InsufficientFundsError } from '../wallet/errors.js';
import { Channel } from './channel.js';
import { channelReserveSat, MAX_FUNDING_SAT } from './config.js';
import { CounterpartyRefusedError, OpenRefusedError, ProtocolViolationError, UnexpectedMessageError } from './errors.js';
import { channelIdFromFundingOutpoint, randomTemporaryChannelId } from './ids.js';
import { checkAcceptChannel } from './open-checks.js';
import { channelLimits, channelParameters, initialSpec, monitorInitFor, ourTerms, type ChannelOpenContext, type FundingOutcome, type FundingWallet } from './opening.js';
import { signCounterpartyCommitment, verifyHolderCommitment } from './signatures.js';

/** `channel_flags` bit 0: announce the channel. @see BOLT 2 "The `open_channel` Message" */
const ANNOUNCE_CHANNEL_FLAG = 1;
/** A peer that has not finished the funding exchange within a minute is not going to: give up, unlock the coins. */
export const OPEN_CHANNEL_TIMEOUT_MS = 60_000;

/** What we keep between `funding_created` and `funding_signed`. */
interface AwaitingFundingSigned {
  readonly accept: AcceptChannel;
  readonly funded: FundedTransaction;
  readonly channelId: string;
  readonly params: ReturnType<typeof channelParameters>;
  readonly counterpartyTxid: string;
}

export class OutboundV1Channel {
  readonly temporaryChannelId = randomTemporaryChannelId();
  readonly counterpartyNodeId: Uint8Array;
  readonly channelValueSats: bigint;
  readonly #ctx: ChannelOpenContext;
  readonly #wallet: FundingWallet & { spendableBalanceSat(): bigint };
  readonly #feeratePerKw: number;
  readonly #pushMsat: bigint;
  #open: OpenChannel | undefined;
  #awaiting: AwaitingFundingSigned | undefined;
  #done = false;
  #resolve!: (outcome: FundingOutcome) => void;
  readonly #outcome = new Promise<FundingOutcome>((resolve) => {
    this.#resolve = resolve;
  });

  constructor(
    ctx: ChannelOpenContext,
    channelValueSats: bigint,
    feeratePerKw: number,
    wallet: FundingWallet & { spendableBalanceSat(): bigint },
    pushMsat = 0n,
  ) {
    this.#ctx = ctx;
    this.counterpartyNodeId = ctx.counterpartyNodeId;
    this.channelValueSats = channelValueSats;
    this.#feeratePerKw = feeratePerKw;
    this.#wallet = wallet;
    this.#pushMsat = pushMsat;
  }

  /** The real channel id, once `funding_created` has been sent. */
  get channelId(): string | undefined {
    return this.#awaiting?.channelId;
  }

  /**
   * Sends `open_channel` and resolves with the outcome of the whole funding exchange. Never rejects: a
   * refusal, a wallet short of coins or a misbehaving peer is a `Failure` carrying a typed error.
   * @see BOLT 2 "The `open_channel` Message"
   */
  openChannel(): Promise<FundingOutcome> {
    if (this.#open || this.#done) return this.#outcome;
    const { handshake } = this.#ctx.config;
    const value = this.channelValueSats;
    if (typeof value !== 'bigint' || value < handshake.minFundingSat || value > MAX_FUNDING_SAT) {
      this.#fail(new OpenRefusedError('createChannel', 'channelValueSats', `${handshake.minFundingSat} to ${MAX_FUNDING_SAT} sat`, String(value)), false);
      return this.#outcome;
    }
    const spendableSat = this.#wallet.spendableBalanceSat();
    if (spendableSat < value) {
      this.#fail(new InsufficientFundsError('createChannel', value, spendableSat), false);
      return this.#outcome;
    }
    this.#open = {
      type: 'open_channel',
      chainHash: this.#ctx.chainHash,
      temporaryChannelId: this.temporaryChannelId,
      fundingSatoshis: value,
      pushMsat: this.#pushMsat,
      feeratePerKw: this.#feeratePerKw,
      channelFlags: handshake.announceChannels ? ANNOUNCE_CHANNEL_FLAG : 0,
      ...ourTerms(this.#ctx, channelReserveSat(value, handshake.dustLimitSat), value),
    };
    this.#ctx.io.send(this.#open);
    const timer = setTimeout(
      () => this.#fail(new WorkshopError('OPEN_TIMED_OUT', `createChannel: expected funding_signed within ${OPEN_CHANNEL_TIMEOUT_MS} ms, got no answer`, 'check the peer is connected and running')),
      OPEN_CHANNEL_TIMEOUT_MS,
    );
    timer.unref();
    void this.#outcome.then(() => clearTimeout(timer));
    return this.#outcome;
  }

  /**
   * Checks their terms, funds and signs the funding transaction (kept, not broadcast), signs their first
   * commitment and sends `funding_created`.
   * @see BOLT 2 "The `funding_created` Message"
   */
  async handleAcceptChannel(accept: AcceptChannel): Promise<void> {
    const open = this.#open;
    if (!open || this.#awaiting || this.#done) {
      return this.#fail(new UnexpectedMessageError(this.temporaryChannelId, accept.type, 'opening', 'accept_channel once, after open_channel'));
    }
    let funded: FundedTransaction;
    try {
      checkAcceptChannel(accept, open, this.#ctx.config.handshake);
      const funding = fundingOutput(open.fundingPubkey, accept.fundingPubkey, open.fundingSatoshis);
      funded = await this.#wallet.fundTransaction([{ scriptPubKey: funding.scriptPubKey, amountSat: open.fundingSatoshis }]);
      const vout = funded.tx.outs.findIndex((out) => equalBytes(out.script, funding.scriptPubKey));
      const fundingOutpoint = { txid: funded.tx.getId(), vout };
      const params = channelParameters(true, open, accept, this.#ctx.keys, fundingOutpoint);
      const signed = signCounterpartyCommitment(params, this.#ctx.keys, initialSpec(true, open), 0n, open.feeratePerKw, accept.firstPerCommitmentPoint);
      const channelId = channelIdFromFundingOutpoint(fundingOutpoint);
      this.#awaiting = { accept, funded, channelId, params, counterpartyTxid: signed.commitment.tx.getId() };
      this.#ctx.io.send({
        type: 'funding_created',
        temporaryChannelId: this.temporaryChannelId,
        fundingTxid: fundingOutpoint.txid,
        fundingOutputIndex: vout,
        signature: signed.signature,
      });
    } catch (err) {
      this.#fail(asWorkshopError(err));
    }
  }

  /**
   * Their signature on our first commitment: check it, and the channel is funded (the caller persists the
   * monitor, then broadcasts `fundingTx`).
   * @see BOLT 2 "The `funding_signed` Message"
   */
  handleFundingSigned(msg: FundingSigned): void {
    const awaiting = this.#awaiting;
    const open = this.#open;
    if (!awaiting || !open || this.#done) {
      return this.#fail(new UnexpectedMessageError(this.temporaryChannelId, msg.type, 'opening', 'funding_signed after funding_created'));
    }
    const { accept, params, channelId } = awaiting;
    try {
      if (msg.channelId !== channelId) throw new ProtocolViolationError(channelId, `funding_signed for channel ${channelId}`, msg.channelId);
      const spec = initialSpec(true, open);
      const { signedTx } = verifyHolderCommitment(channelId, params, this.#ctx.keys, spec, 0n, open.feeratePerKw, msg.signature, []);
      const channel = new Channel({
        channelId,
        isOutbound: true,
        counterpartyNodeId: this.counterpartyNodeId,
        keys: this.#ctx.keys,
        params,
        feeratePerKw: open.feeratePerKw,
        limits: channelLimits(true, open, accept),
        holderCommitment: { number: 0n, spec, signedTx },
        counterpartyCommitment: { number: 0n, spec, txid: awaiting.counterpartyTxid, perCommitmentPoint: accept.firstPerCommitmentPoint },
        holderShutdownScript: this.#ctx.shutdownScript,
        io: this.#ctx.io,
      });
      this.#done = true;
      this.#resolve({
        kind: 'Success',
        fundingOutpoint: params.fundingOutpoint,
        monitorInit: monitorInitFor(channelId, params, this.#ctx.keys, this.#ctx, signedTx),
        channel,
        fundingTx: awaiting.funded.tx,
      });
    } catch (err) {
      this.#fail(asWorkshopError(err));
    }
  }

  /** The counterparty refused (BOLT 1 `error`): the opening is over. */
  handleError(msg: ErrorMessage): void {
    this.#fail(new CounterpartyRefusedError('createChannel', msg.data), false);
  }

  /** Ends an opening still in progress with `error` (e.g. the peer sent a malformed message); tells the peer. */
  fail(error: WorkshopError): void {
    this.#fail(error);
  }

  /**
   * Gives up after the exchange succeeded but before broadcasting (e.g. the monitor did not persist):
   * unlocks the wallet's coins, tells the peer, and returns the `Failure` to hand back.
   */
  abandon(error: WorkshopError): Extract<FundingOutcome, { kind: 'Failure' }> {
    this.#done = false;
    this.#fail(error);
    return { kind: 'Failure', error };
  }

  #fail(error: WorkshopError, tellPeer = true): void {
    if (this.#done) return;
    this.#done = true;
    if (this.#awaiting) this.#wallet.release(this.#awaiting.funded);
    if (tellPeer && this.#open) {
      this.#ctx.io.send({ type: 'error', channelId: this.#awaiting?.channelId ?? this.temporaryChannelId, data: error.message });
    }
    this.#resolve({ kind: 'Failure', error });
  }
}

/** Anything thrown while opening, as a `WorkshopError` (BOLT 3 builders already throw those). */
export function asWorkshopError(err: unknown): WorkshopError {
  if (err instanceof WorkshopError) return err;
  return new WorkshopError('CHANNEL_OPEN_FAILED', `channel open failed: ${err instanceof Error ? err.message : String(err)}`);
}
