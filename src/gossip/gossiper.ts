/**
 * `Gossiper`: one node's part in BOLT 7. For its own channels, once deep enough: swap
 * `announcement_signatures` with the peer, assemble the `channel_announcement`, sign our `channel_update`,
 * and send both to every peer. For gossip it receives: check it into the `NetworkGraph` and relay what is
 * new to the other peers; drop what fails a check (and keep the error for the curious).
 * @see BOLT 7 "Routing Gossip"
 */
import { DEFAULT_HTLC_MINIMUM_MSAT, type ForwardingPolicy } from '../channel/config.js';
import type { AnnouncementSignatures, ChannelAnnouncement, ChannelUpdate } from './messages.js';
import { CHANNEL_UPDATE_DIRECTION_BIT, MESSAGE_FLAGS_MUST_BE_ONE, formatShortChannelId } from './messages.js';
import { InvalidGossipError } from './errors.js';
import type { NetworkGraph } from './graph.js';
import { announcementContent, assembleAnnouncement, signAnnouncement, signChannelUpdate, type AnnouncementContent } from './signing.js';

/**
 * Funding confirmations before a channel may be announced: six, so that a reorg is unlikely to undo it.
 * @see BOLT 7 "The `announcement_signatures` Message"
 */
export const ANNOUNCEMENT_MIN_DEPTH = 6;

/** What announcing one of our channels needs to know about it. */
export interface AnnounceableChannel {
  readonly channelId: string;
  readonly shortChannelId: bigint;
  readonly counterpartyNodeId: Uint8Array;
  readonly holderFundingSecret: Uint8Array;
  readonly holderFundingPubkey: Uint8Array;
  readonly counterpartyFundingPubkey: Uint8Array;
  readonly capacitySat: bigint;
}

/** How the gossiper reaches peers: to one, or to all but one. */
export interface GossipTransport {
  sendTo(nodeId: Uint8Array, message: AnnouncementSignatures | ChannelAnnouncement | ChannelUpdate): void;
  broadcast(message: ChannelAnnouncement | ChannelUpdate, except?: Uint8Array): void;
}

interface PendingAnnouncement {
  readonly content: AnnouncementContent;
  readonly weAreNode1: boolean;
  readonly ours: AnnouncementSignatures;
  theirs: AnnouncementSignatures | undefined;
  announced: boolean;
}

export class Gossiper {
  /** Gossip we refused, newest last. */
  readonly rejected: InvalidGossipError[] = [];
  readonly #pending = new Map<string, PendingAnnouncement>();
  /** The peer's half, when it arrived before ours. */
  readonly #early = new Map<string, AnnouncementSignatures>();
  #lastTimestamp = 0;

  constructor(
    readonly graph: NetworkGraph,
    private readonly nodeSecret: Uint8Array,
    private readonly nodeId: Uint8Array,
    private readonly policy: ForwardingPolicy,
    private readonly transport: GossipTransport,
  ) {}

  /** Our channel is deep enough: send our half of its announcement (once). */
  channelAnnounceable(channel: AnnounceableChannel): Promise<void> {
    if (this.#pending.has(channel.channelId)) return Promise.resolve();
    const { content, weAreNode1 } = announcementContent(
      this.graph.chainHash,
      channel.shortChannelId,
      { nodeId: this.nodeId, fundingPubkey: channel.holderFundingPubkey },
      { nodeId: channel.counterpartyNodeId, fundingPubkey: channel.counterpartyFundingPubkey },
    );
    const ours = signAnnouncement(channel.channelId, content, this.nodeSecret, channel.holderFundingSecret);
    const pending: PendingAnnouncement = { content, weAreNode1, ours, theirs: undefined, announced: false };
    this.#pending.set(channel.channelId, pending);
    this.transport.sendTo(channel.counterpartyNodeId, ours);
    return this.#maybeAnnounce(channel, pending);
  }

  /** The peer's half. Kept until ours exists; checked when the announcement is assembled. */
  async handleAnnouncementSignatures(channel: AnnounceableChannel | undefined, msg: AnnouncementSignatures): Promise<void> {
    if (!channel || channel.shortChannelId !== msg.shortChannelId) {
      this.rejected.push(new InvalidGossipError(msg.type, `signatures for one of our channels (${formatShortChannelId(msg.shortChannelId)})`, 'an unknown channel'));
      return;
    }
    const pending = this.#pending.get(channel.channelId);
    if (!pending) {
      // Theirs arrived first: make ours now if the channel is deep enough on our side too (the caller decides).
      this.#early.set(channel.channelId, msg);
      return;
    }
    pending.theirs = msg;
    await this.#maybeAnnounce(channel, pending);
  }

  /** Gossip from a peer: into the graph if valid, then on to our other peers. */
  async handleGossip(from: Uint8Array, msg: ChannelAnnouncement | ChannelUpdate): Promise<void> {
    try {
      const outcome = msg.type === 'channel_announcement' ? await this.graph.handleChannelAnnouncement(msg) : this.graph.handleChannelUpdate(msg);
      if (outcome === 'Added') this.transport.broadcast(msg, from);
    } catch (err) {
      if (!(err instanceof InvalidGossipError)) throw err;
      this.rejected.push(err);
    }
  }

  async #maybeAnnounce(channel: AnnounceableChannel, pending: PendingAnnouncement): Promise<void> {
    pending.theirs ??= this.#early.get(channel.channelId);
    if (!pending.theirs || pending.announced) return;
    const announcement = assembleAnnouncement(pending.content, pending.weAreNode1, pending.ours, pending.theirs);
    try {
      await this.graph.handleChannelAnnouncement(announcement);
    } catch (err) {
      if (!(err instanceof InvalidGossipError)) throw err;
      this.rejected.push(err);
      return;
    }
    pending.announced = true;
    const update = this.#ourUpdate(channel, pending.weAreNode1);
    this.graph.handleChannelUpdate(update);
    this.transport.broadcast(announcement);
    this.transport.broadcast(update);
  }

  /** Our `channel_update` for `channel`: our forwarding policy, HTLCs up to the channel's value. */
  #ourUpdate(channel: AnnounceableChannel, weAreNode1: boolean): ChannelUpdate {
    // Timestamps must grow with each update we sign, even within one second.
    this.#lastTimestamp = Math.max(this.#lastTimestamp + 1, Math.floor(Date.now() / 1000));
    return signChannelUpdate(
      {
        chainHash: this.graph.chainHash,
        shortChannelId: channel.shortChannelId,
        timestamp: this.#lastTimestamp,
        messageFlags: MESSAGE_FLAGS_MUST_BE_ONE,
        channelFlags: weAreNode1 ? 0 : CHANNEL_UPDATE_DIRECTION_BIT,
        cltvExpiryDelta: this.policy.cltvExpiryDelta,
        htlcMinimumMsat: DEFAULT_HTLC_MINIMUM_MSAT,
        feeBaseMsat: this.policy.feeBaseMsat,
        feeProportionalMillionths: this.policy.feeProportionalMillionths,
        htlcMaximumMsat: channel.capacitySat * 1000n,
      },
      this.nodeSecret,
    );
  }
}
