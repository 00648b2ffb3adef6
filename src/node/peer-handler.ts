/**
 * The message side of the `ChannelManager`: every message from a peer is validated, routed to
 * the channel it names (checked to be that peer's), and a bad one fails only that channel — we tell the
 * peer in `error` and broadcast our latest commitment — while a channel halted by a persist failure stays
 * frozen. Openings by a peer (`open_channel`, `funding_created`) are answered here, persisting our monitor
 * before `funding_signed`.
 * @see BOLT 1 "The `error` and `warning` Messages"
 */
import type { Transaction } from 'bitcoinjs-lib';
import { InboundV1Channel, MonitorPersistFailedError, asWorkshopError, isWith, type Channel } from '../channel/index.js';
import { WorkshopError } from '../errors.js';
import { ChannelMonitorUpdateStatus } from '../monitor/updates.js';
import { ALL_CHANNELS_ID, validatePeerMessage, type OpenChannel, type FundingCreated, type PeerMessage } from '../peer/index.js';
import type { NodeContext } from './node-context.js';
import type { PaymentHandler } from './payment-handler.js';

/** Phases in which a channel is over, one way or another: failing it again does nothing. */
const STOPPED = new Set(['Halted', 'Failed', 'Closed']);

export class PeerHandler {
  constructor(
    private readonly node: NodeContext,
    private readonly payments: PaymentHandler,
  ) {}

  /** One message from `from`: validate, route, and contain any failure to the channel it names. */
  async handle(from: Uint8Array, raw: unknown): Promise<void> {
    let msg: PeerMessage;
    try {
      msg = validatePeerMessage(raw);
    } catch (err) {
      const named = raw as { channelId?: unknown; temporaryChannelId?: unknown } | null;
      return this.#onChannelError(from, String(named?.channelId ?? named?.temporaryChannelId ?? ''), asWorkshopError(err));
    }
    const channelId = 'channelId' in msg ? msg.channelId : 'temporaryChannelId' in msg ? msg.temporaryChannelId : '';
    try {
      await this.#route(from, msg);
    } catch (err) {
      await this.#onChannelError(from, channelId, asWorkshopError(err));
    }
  }

  async #route(from: Uint8Array, msg: PeerMessage): Promise<void> {
    const { registry, gossiper } = this.node;
    const { payments } = this;
    switch (msg.type) {
      case 'open_channel':
        return this.#handleOpenChannel(from, msg);
      case 'accept_channel':
        return registry.outboundFor(from, msg.temporaryChannelId).handleAcceptChannel(msg);
      case 'funding_created':
        return this.#handleFundingCreated(from, msg);
      case 'funding_signed':
        return registry.outboundFor(from, msg.channelId).handleFundingSigned(msg);
      case 'error':
        return this.#handleError(from, msg.channelId, msg.data);
      case 'channel_announcement':
      case 'channel_update':
        return gossiper.handleGossip(from, msg);
      case 'announcement_signatures': {
        const channel = registry.funded.get(msg.channelId);
        const ours = channel && isWith(channel, from) ? channel : undefined;
        await gossiper.handleAnnouncementSignatures(ours && this.node.announceable(ours), msg);
        if (ours) await this.node.announceIfReady(ours);
        return;
      }
      default:
        return payments.handleChannelMessage(registry.from(from, msg.channelId), msg);
    }
  }

  /** Their terms are checked by `InboundV1Channel` (an `OpenRefusedError` becomes our `error` reply). */
  async #handleOpenChannel(from: Uint8Array, msg: OpenChannel): Promise<void> {
    const { inbound } = this.node.registry;
    if (inbound.has(msg.temporaryChannelId)) throw new WorkshopError('DUPLICATE_OPEN', `open_channel: temporary_channel_id ${msg.temporaryChannelId} already in use`);
    const channel = new InboundV1Channel(this.node.channelContext(from), msg);
    inbound.set(msg.temporaryChannelId, channel);
    channel.acceptChannel();
  }

  /** Checks their signature, persists our monitor, and only then sends `funding_signed`. */
  async #handleFundingCreated(from: Uint8Array, msg: FundingCreated): Promise<void> {
    const { registry, chainMonitor } = this.node;
    const inbound = registry.inbound.get(msg.temporaryChannelId);
    if (!inbound || !isWith(inbound, from)) throw new WorkshopError('UNKNOWN_CHANNEL', `funding_created: no channel ${msg.temporaryChannelId} being opened by this peer`);
    registry.inbound.delete(msg.temporaryChannelId);
    const outcome = inbound.handleFundingCreated(msg);
    if (outcome.kind === 'Failure') throw outcome.error;
    const persisted = await chainMonitor.watchChannel(outcome.fundingOutpoint, this.node.newMonitor(outcome.monitorInit));
    if (persisted !== ChannelMonitorUpdateStatus.Completed) {
      // No funding_signed without our monitor on disk: refuse the channel instead.
      const error = new MonitorPersistFailedError(outcome.channel.channelId, 'watchChannel', persisted);
      this.node.sendTo(from, { type: 'error', channelId: msg.temporaryChannelId, data: error.message });
      throw error;
    }
    registry.funded.set(outcome.channel.channelId, outcome.channel);
    inbound.sendFundingSigned();
  }

  /** BOLT 1 `error`: fail the channel it names (all zeroes: every channel with that peer). */
  async #handleError(from: Uint8Array, channelId: string, data: string): Promise<void> {
    const { registry } = this.node;
    const named = (id: string | undefined) => channelId === ALL_CHANNELS_ID || channelId === id;
    for (const outbound of registry.outbound) {
      if (isWith(outbound, from) && (named(outbound.temporaryChannelId) || named(outbound.channelId))) outbound.handleError({ type: 'error', channelId, data });
    }
    for (const [temporaryId, inbound] of registry.inbound) if (isWith(inbound, from) && named(temporaryId)) registry.inbound.delete(temporaryId);
    for (const channel of registry.list()) {
      if (!isWith(channel, from) || !named(channel.channelId) || STOPPED.has(channel.phase)) continue;
      channel.stopReason = `the counterparty sent error: ${data}`;
      await this.broadcastCommitment(channel.forceClose(channel.stopReason));
      channel.phase = 'Failed';
    }
  }

  /** A message about `channelId` from `from` was bad: record it, and fail that channel if it is `from`'s. */
  async #onChannelError(from: Uint8Array, channelId: string, error: WorkshopError): Promise<void> {
    const { registry } = this.node;
    this.node.errors.push(error);
    if (error instanceof MonitorPersistFailedError) return; // the channel halted itself
    const channel = registry.funded.get(channelId);
    if (channel && isWith(channel, from)) return this.failChannel(channel, error);
    const outbound = registry.findOutbound(from, channelId);
    if (outbound) return outbound.fail(error);
    const inbound = registry.inbound.get(channelId);
    if (inbound && isWith(inbound, from)) registry.inbound.delete(channelId);
    if (channelId && channelId !== ALL_CHANNELS_ID && !channel) this.node.sendTo(from, { type: 'error', channelId, data: error.message });
  }

  /** Fails a funded channel: tells the peer and broadcasts our latest commitment. Halted channels stay halted. */
  async failChannel(channel: Channel, error: WorkshopError): Promise<void> {
    if (STOPPED.has(channel.phase)) return;
    await this.broadcastCommitment(channel.fail(error.message));
  }

  /** Broadcasts a commitment; a refusal (say, the funding never confirmed) is recorded, not thrown. */
  async broadcastCommitment(tx: Transaction): Promise<void> {
    try {
      await this.node.broadcaster.broadcastTransactions(tx);
    } catch (err) {
      this.node.errors.push(asWorkshopError(err));
    }
  }
}
