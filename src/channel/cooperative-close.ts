/**
 * The cooperative close of one channel: `shutdown` both ways, then `closing_signed` until both sides
 * sign the same fee. The funder proposes first and pays the fee; we accept any fee within a factor of two
 * of our own estimate, and otherwise answer with the midpoint, so the offers converge.
 * @see BOLT 2 "Channel Close"
 */
import type { Transaction } from 'bitcoinjs-lib';
import { equalBytes } from '../ln/bytes.js';
import { channelFundingOutput, type ChannelParameters } from '../ln/channel.js';
import { buildClosingTx, closingFeeSat, finalizeClosingTx, signClosingTx, type ClosingTransaction } from '../ln/closing.js';
import { verifyFundingSignature } from '../ln/funding.js';
import type { ChannelKeys } from '../ln/keys-manager.js';
import type { ClosingSigned, Shutdown } from '../peer/messages.js';
import { ChannelBusyError, ChannelNotUsableError, ProtocolViolationError, UnexpectedMessageError } from './errors.js';
import { fromCompactSignature, toCompactSignature } from './signatures.js';
import type { ChannelEvent, ChannelIo, ChannelPhase, HolderCommitmentRecord } from './types.js';

/** What the negotiation reads of (and the phase it sets on) its channel. */
export interface ClosingChannel {
  readonly channelId: string;
  readonly isOutbound: boolean;
  readonly params: ChannelParameters;
  readonly keys: ChannelKeys;
  readonly feeratePerKw: number;
  readonly isQuiescent: boolean;
  readonly holderCommitment: HolderCommitmentRecord;
  phase: ChannelPhase;
}

/** A fee within [ours / 2, ours × 2] is accepted as it is. */
const ACCEPTABLE_FEE_FACTOR = 2n;
/** Offers halve the gap each round; after this many the peers clearly disagree. */
const MAX_NEGOTIATION_ROUNDS = 32;

export class CooperativeClose {
  shutdownSent = false;
  shutdownReceived = false;
  counterpartyShutdownScript: Uint8Array | undefined;
  /** The closing transaction with both signatures, once agreed. */
  finalTx: Transaction | undefined;
  #feeSentSat: bigint | undefined;
  #rounds = 0;

  constructor(
    private readonly channel: ClosingChannel,
    readonly holderShutdownScript: Uint8Array,
    private readonly io: ChannelIo,
  ) {}

  /**
   * Starts a cooperative close. Only on a quiet channel: this workshop does not wind down in-flight HTLCs
   * after `shutdown` (BOLT 2 allows it), it refuses with `ChannelBusyError` instead.
   * @see BOLT 2 "Closing Initiation: `shutdown`"
   */
  start(): void {
    const { channel } = this;
    if (channel.phase !== 'Ready') throw new ChannelNotUsableError(channel.channelId, channel.phase, 'close');
    if (!channel.isQuiescent) throw new ChannelBusyError(channel.channelId, 'close', 'HTLCs or updates in flight');
    this.#sendShutdown();
  }

  /** @see BOLT 2 "Closing Initiation: `shutdown`" */
  handleShutdown(msg: Shutdown): ChannelEvent[] {
    const { channel } = this;
    if (channel.phase !== 'Ready' && channel.phase !== 'ShuttingDown') {
      throw new UnexpectedMessageError(channel.channelId, msg.type, channel.phase, 'shutdown only on an open channel');
    }
    if (this.counterpartyShutdownScript) {
      if (equalBytes(this.counterpartyShutdownScript, msg.scriptpubkey)) return [];
      throw new ProtocolViolationError(channel.channelId, 'the same shutdown scriptpubkey as before', 'a different one');
    }
    this.shutdownReceived = true;
    this.counterpartyShutdownScript = msg.scriptpubkey;
    if (!this.shutdownSent) this.#sendShutdown();
    return this.maybeProposeFee();
  }

  /** The funder's first `closing_signed`, once both shutdowns are out and no HTLC is left. */
  maybeProposeFee(): ChannelEvent[] {
    const { channel } = this;
    const ready = this.shutdownSent && this.shutdownReceived && channel.phase === 'ShuttingDown' && channel.isQuiescent;
    if (ready && channel.isOutbound && this.#feeSentSat === undefined) this.#offer(this.#ourFeeSat());
    return [];
  }

  /**
   * Their offer: verify their signature on the closing transaction at their fee; agree (same fee back, or
   * done if it is the fee we offered) or counter with the midpoint.
   * @see BOLT 2 "Closing Negotiation: `closing_signed`"
   */
  handleClosingSigned(msg: ClosingSigned): ChannelEvent[] {
    const { channel } = this;
    if (!this.shutdownSent || !this.shutdownReceived || channel.phase !== 'ShuttingDown' || !channel.isQuiescent) {
      throw new UnexpectedMessageError(channel.channelId, msg.type, channel.phase, 'closing_signed only after both shutdowns, with no HTLC left');
    }
    if (++this.#rounds > MAX_NEGOTIATION_ROUNDS) {
      throw new ProtocolViolationError(channel.channelId, `fee agreement within ${MAX_NEGOTIATION_ROUNDS} rounds`, `still ${msg.feeSatoshis} sat`);
    }
    let closing: ClosingTransaction;
    try {
      closing = this.#closingTx(msg.feeSatoshis);
    } catch {
      throw new ProtocolViolationError(channel.channelId, "a closing fee the funder's balance can pay", `${msg.feeSatoshis} sat`);
    }
    const theirs = fromCompactSignature(msg.signature);
    const counterpartyFundingPubkey = channel.params.counterparty.pubkeys.fundingPubkey;
    if (!verifyFundingSignature({ tx: closing.tx, inputIndex: 0, funding: closing.funding }, theirs, counterpartyFundingPubkey)) {
      throw new ProtocolViolationError(channel.channelId, `a valid signature on the closing transaction at ${msg.feeSatoshis} sat`, 'one that does not verify');
    }
    const weOfferedThis = this.#feeSentSat === msg.feeSatoshis;
    const ourFeeSat = this.#ourFeeSat();
    const acceptable = msg.feeSatoshis * ACCEPTABLE_FEE_FACTOR >= ourFeeSat && msg.feeSatoshis <= ourFeeSat * ACCEPTABLE_FEE_FACTOR;
    if (!weOfferedThis && !acceptable) {
      this.#offer((msg.feeSatoshis + (this.#feeSentSat ?? ourFeeSat)) / 2n);
      return [];
    }
    const ours = signClosingTx(closing, channel.keys.fundingSecret);
    if (!weOfferedThis) this.#sendClosingSigned(msg.feeSatoshis, ours);
    this.finalTx = finalizeClosingTx(
      closing,
      { fundingPubkey: channel.params.holder.pubkeys.fundingPubkey, signature: ours },
      { fundingPubkey: counterpartyFundingPubkey, signature: theirs },
    );
    channel.phase = 'Closing';
    // Whoever receives back the fee it offered publishes; the other side holds the same transaction.
    return [{ kind: 'ClosingTransactionReady', tx: this.finalTx, broadcast: weOfferedThis }];
  }

  #sendShutdown(): void {
    this.io.send({ type: 'shutdown', channelId: this.channel.channelId, scriptpubkey: this.holderShutdownScript });
    this.shutdownSent = true;
    this.channel.phase = 'ShuttingDown';
  }

  #offer(feeSat: bigint): void {
    this.#feeSentSat = feeSat;
    this.#sendClosingSigned(feeSat, signClosingTx(this.#closingTx(feeSat), this.channel.keys.fundingSecret));
  }

  #sendClosingSigned(feeSat: bigint, derSignature: Uint8Array): void {
    this.io.send({ type: 'closing_signed', channelId: this.channel.channelId, feeSatoshis: feeSat, signature: toCompactSignature(derSignature) });
  }

  /** Our estimate: the channel's feerate times the closing transaction's weight. @see BOLT 3 "Closing Transaction" */
  #ourFeeSat(): bigint {
    const funding = channelFundingOutput(this.channel.params);
    return closingFeeSat(this.channel.feeratePerKw, funding, this.holderShutdownScript, this.counterpartyShutdownScript!);
  }

  /** Both sides drop outputs below the larger dust limit, so they build the same transaction. */
  #closingTx(feeSat: bigint): ClosingTransaction {
    const { params, holderCommitment } = this.channel;
    const dustLimitSat = params.holder.dustLimitSat > params.counterparty.dustLimitSat ? params.holder.dustLimitSat : params.counterparty.dustLimitSat;
    return buildClosingTx({
      fundingOutpoint: params.fundingOutpoint,
      funding: channelFundingOutput(params),
      funder: params.funder,
      holderBalanceMsat: holderCommitment.spec.holderBalanceMsat,
      counterpartyBalanceMsat: holderCommitment.spec.counterpartyBalanceMsat,
      holderScriptPubKey: this.holderShutdownScript,
      counterpartyScriptPubKey: this.counterpartyShutdownScript!,
      feeSat,
      dustLimitSat,
    });
  }
}
