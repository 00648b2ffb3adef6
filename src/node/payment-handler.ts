/**
 * The payments half of the `ChannelManager`: hands each channel message to its `Channel`, and
 * acts on what channels report — claims HTLCs paid to us, forwards HTLCs passing through (checking our fee
 * and CLTV margin), carries preimages and failures back upstream, resolves our own payments, and
 * publishes agreed closing transactions.
 * @see BOLT 2 "Normal Operation"
 */
import { ChannelNotUsableError, LATENCY_GRACE_PERIOD_BLOCKS, MIN_FINAL_CLTV_EXPIRY_DELTA, UnexpectedMessageError, asWorkshopError, type Channel, type ChannelEvent } from '../channel/index.js';
import { findRoute, type Route } from '../gossip/router.js';
import { PUBLIC_KEY_BYTES, parsePublicKey } from '../ln/keys.js';
import { bytesToHex as hex } from '../ln/bytes.js';
import { PAYMENT_HASH_BYTES } from '../ln/types.js';
import type { ChannelMessage } from '../peer/messages.js';
import {
  HtlcTracker,
  InvoiceStore,
  PaymentNotSentError,
  decideIncomingHtlc,
  firstHopHtlc,
  type InvoiceLike,
  type PaymentResult,
} from '../payments/index.js';
import type { NodeContext } from './node-context.js';

export class PaymentHandler {
  readonly invoices = new InvoiceStore();
  readonly tracker = new HtlcTracker();

  constructor(private readonly node: NodeContext) {}

  /** A new invoice to be paid to us; we keep its preimage (in `invoices`). */
  createInvoice(amountMsat: bigint): InvoiceLike {
    const { amountMsat: amount, paymentHash, payee } = this.invoices.create(amountMsat, this.node.nodeId);
    return { amountMsat: amount, paymentHash, payee };
  }

  /**
   * Pays `invoice`: over our channel with the payee if we have one, otherwise along the cheapest route in
   * our gossip graph (or `options.route`). Resolves when the payee's preimage comes back or a failure
   * does; never rejects.
   */
  async sendPayment(invoice: InvoiceLike, options: { route?: Route } = {}): Promise<PaymentResult> {
    const started = await this.node.exclusive(async () => {
      try {
        return await this.#startPayment(invoice, options.route);
      } catch (err) {
        return { kind: 'Failed', paymentHash: invoice.paymentHash, error: asWorkshopError(err) } as const;
      }
    });
    return 'kind' in started ? started : started.result;
  }

  async #startPayment(invoice: InvoiceLike, forcedRoute: Route | undefined): Promise<{ result: Promise<PaymentResult> }> {
    if (typeof invoice.amountMsat !== 'bigint' || invoice.amountMsat <= 0n) throw new PaymentNotSentError('sendPayment', 'a positive amountMsat', String(invoice.amountMsat));
    if (!(invoice.paymentHash instanceof Uint8Array) || invoice.paymentHash.length !== PAYMENT_HASH_BYTES) {
      throw new PaymentNotSentError('sendPayment', `a ${PAYMENT_HASH_BYTES}-byte paymentHash`, String(invoice.paymentHash?.length));
    }
    if (!(invoice.payee instanceof Uint8Array) || invoice.payee.length !== PUBLIC_KEY_BYTES) throw new PaymentNotSentError('sendPayment', 'a 33-byte payee node id', 'something else');
    parsePublicKey(invoice.payee, 'sendPayment payee');
    const route = forcedRoute ?? this.#route(invoice);
    const first = firstHopHtlc(route);
    const channel = this.node
      .listChannels()
      .find((c) => c.phase === 'Ready' && hex(c.counterpartyNodeId) === hex(route.hops[0]!.nodeId) && c.shortChannelId === first.shortChannelId);
    if (!channel) throw new PaymentNotSentError('sendPayment', 'a ready channel for the first hop', 'none');
    const htlcId = await channel.sendHtlc(first.amountMsat, invoice.paymentHash, first.cltvExpiry, first.onion);
    let resolve!: (result: PaymentResult) => void;
    const result = new Promise<PaymentResult>((r) => (resolve = r));
    this.tracker.trackPayment(channel.channelId, htlcId, { paymentHash: invoice.paymentHash, amountMsat: invoice.amountMsat, feesMsat: route.feesMsat, resolve });
    return { result };
  }

  /** A direct one-hop route when we have a ready channel with the payee that can carry it; else the graph's. */
  #route(invoice: InvoiceLike): Route {
    const height = this.node.bestBlock().height;
    const finalCltvExpiryDelta = MIN_FINAL_CLTV_EXPIRY_DELTA + LATENCY_GRACE_PERIOD_BLOCKS;
    const cltvExpiry = height + finalCltvExpiryDelta;
    const direct = this.node
      .listChannels()
      .find((c) => c.phase === 'Ready' && hex(c.counterpartyNodeId) === hex(invoice.payee) && c.availableToSendMsat >= invoice.amountMsat);
    if (direct) {
      return { hops: [{ shortChannelId: direct.shortChannelId ?? 0n, nodeId: invoice.payee, amountMsat: invoice.amountMsat, cltvExpiry }], amountMsat: invoice.amountMsat, feesMsat: 0n };
    }
    const localBalances = new Map<bigint, bigint>();
    for (const c of this.node.listChannels()) if (c.phase === 'Ready' && c.shortChannelId !== undefined) localBalances.set(c.shortChannelId, c.availableToSendMsat);
    return findRoute(this.node.gossiper.graph, {
      payer: this.node.nodeId,
      payee: invoice.payee,
      amountMsat: invoice.amountMsat,
      currentHeight: height,
      finalCltvExpiryDelta,
      localBalances,
    });
  }

  /** Hands a message to its channel, then acts on what the channel reports. */
  async handleChannelMessage(channel: Channel, msg: ChannelMessage): Promise<void> {
    if (channel.phase === 'Halted') {
      // Frozen at its last persisted state: it neither answers nor changes.
      this.node.errors.push(new ChannelNotUsableError(channel.channelId, channel.phase, `${msg.type} ignored`));
      return;
    }
    let events: ChannelEvent[] = [];
    switch (msg.type) {
      case 'channel_ready':
        events = channel.handleChannelReady(msg);
        break;
      case 'update_add_htlc':
        channel.handleUpdateAddHtlc(msg);
        break;
      case 'update_fulfill_htlc':
        events = await channel.handleUpdateFulfillHtlc(msg);
        break;
      case 'update_fail_htlc':
        channel.handleUpdateFailHtlc(msg);
        break;
      case 'commitment_signed':
        events = await channel.handleCommitmentSigned(msg);
        break;
      case 'revoke_and_ack':
        events = await channel.handleRevokeAndAck(msg);
        break;
      case 'shutdown':
        events = channel.close.handleShutdown(msg);
        break;
      case 'closing_signed':
        events = channel.close.handleClosingSigned(msg);
        break;
      default:
        throw new UnexpectedMessageError(channel.channelId, msg.type, channel.phase, 'a message for a funded channel');
    }
    await this.handleEvents(channel, events);
  }

  /** Acts on each event; a failure on one channel (say, a forward's next hop) is recorded, not spread. */
  async handleEvents(channel: Channel, events: readonly ChannelEvent[]): Promise<void> {
    for (const event of events) {
      try {
        await this.#handleEvent(channel, event);
      } catch (err) {
        this.node.errors.push(asWorkshopError(err));
      }
    }
  }

  async #handleEvent(channel: Channel, event: ChannelEvent): Promise<void> {
    switch (event.kind) {
      case 'ChannelReady':
        return this.node.announceIfReady(channel);
      case 'IncomingHtlcLockedIn':
        return this.#incoming(channel, event.add);
      case 'OutgoingHtlcFulfilled': {
        const upstream = this.tracker.fulfilled(channel.channelId, event.htlcId, event.paymentPreimage);
        if (upstream) await this.node.channel(upstream.channelId)?.claimHtlc(upstream.htlcId, event.paymentPreimage);
        return;
      }
      case 'OutgoingHtlcFailed': {
        const upstream = this.tracker.failed(channel.channelId, event.htlcId, event.reason);
        if (upstream) await this.node.channel(upstream.channelId)?.failHtlc(upstream.htlcId, event.reason);
        return;
      }
      case 'ClosingTransactionReady':
        if (event.broadcast) await this.node.broadcaster.broadcastTransactions(event.tx);
        return;
    }
  }

  /** An HTLC offered to us is locked in: claim it, forward it, or fail it back. */
  async #incoming(channel: Channel, add: Extract<ChannelEvent, { kind: 'IncomingHtlcLockedIn' }>['add']): Promise<void> {
    const decision = decideIncomingHtlc(add, {
      currentHeight: this.node.bestBlock().height,
      policy: this.node.config.forwarding,
      minFinalCltvExpiryDelta: MIN_FINAL_CLTV_EXPIRY_DELTA,
      invoiceFor: (hash) => this.invoices.get(hash),
    });
    if (decision.kind === 'Claim') {
      decision.invoice.status = 'Paid';
      decision.invoice.receivedMsat = add.amountMsat;
      return channel.claimHtlc(add.id, decision.invoice.paymentPreimage);
    }
    if (decision.kind === 'Fail') return channel.failHtlc(add.id, { code: decision.code, detail: decision.detail });
    const next = this.node.registry.byShortId(decision.shortChannelId);
    if (!next || next.phase !== 'Ready') {
      return channel.failHtlc(add.id, { code: 'unknown_next_peer', detail: `no ready channel ${decision.shortChannelId}` });
    }
    let htlcId: bigint;
    try {
      htlcId = await next.sendHtlc(decision.amountMsat, add.paymentHash, decision.cltvExpiry, decision.onion);
    } catch (err) {
      this.node.errors.push(asWorkshopError(err));
      return channel.failHtlc(add.id, { code: 'temporary_channel_failure', detail: asWorkshopError(err).message });
    }
    this.tracker.trackForward(next.channelId, htlcId, { channelId: channel.channelId, htlcId: add.id }, add.amountMsat - decision.amountMsat);
  }
}
