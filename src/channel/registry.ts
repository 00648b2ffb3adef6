/**
 * `ChannelRegistry`: a node's channels, found by id and checked to belong to the peer asking — channels
 * being opened by us (`OutboundV1Channel`) or to us (`InboundV1Channel`, by temporary id), and funded ones.
 */
import { bytesToHex as hex } from '../ln/bytes.js';
import type { Channel } from './channel.js';
import { ChannelNotFoundError } from './errors.js';
import type { InboundV1Channel } from './inbound.js';
import type { OutboundV1Channel } from './outbound.js';


/** Whether `channel`'s counterparty is `peer`. */
export function isWith(channel: { readonly counterpartyNodeId: Uint8Array }, peer: Uint8Array): boolean {
  return hex(channel.counterpartyNodeId) === hex(peer);
}

export class ChannelRegistry {
  readonly funded = new Map<string, Channel>();
  readonly outbound = new Set<OutboundV1Channel>();
  /** By temporary channel id. */
  readonly inbound = new Map<string, InboundV1Channel>();

  /** Every funded channel, in opening order. */
  list(): Channel[] {
    return [...this.funded.values()];
  }

  /** The funded channel `channelId`; `ChannelNotFoundError` otherwise. */
  get(channelId: string, context = 'channel'): Channel {
    const channel = this.funded.get(channelId);
    if (!channel) throw new ChannelNotFoundError(context, channelId);
    return channel;
  }

  /** The funded channel `channelId` with `peer`; `ChannelNotFoundError` when it is someone else's. */
  from(peer: Uint8Array, channelId: string): Channel {
    const channel = this.get(channelId, 'message');
    if (!isWith(channel, peer)) throw new ChannelNotFoundError('message', channelId, 'a channel that is not with this peer');
    return channel;
  }

  /** The opening with `peer` known by temporary or real id `id`, if any. */
  findOutbound(peer: Uint8Array, id: string): OutboundV1Channel | undefined {
    return [...this.outbound].find((c) => isWith(c, peer) && (c.temporaryChannelId === id || c.channelId === id));
  }

  /** Like `findOutbound`, but `ChannelNotFoundError` when there is none. */
  outboundFor(peer: Uint8Array, id: string): OutboundV1Channel {
    const channel = this.findOutbound(peer, id);
    if (!channel) throw new ChannelNotFoundError('message', id, 'no channel being opened with this peer');
    return channel;
  }

  byShortId(shortChannelId: bigint): Channel | undefined {
    return this.list().find((c) => c.shortChannelId === shortChannelId);
  }
}
