/**
 * `NetworkGraph`: what one node knows of the public network — every channel announced to it (with both
 * ends' `channel_update`s) — checked as BOLT 7 asks before it is believed: the chain hash, the node order,
 * all four announcement signatures, the funding output on chain (when a `UtxoLookup` is given), and each
 * update's signature by the end it speaks for.
 * @see BOLT 7 "Routing Gossip"
 */
import { bytesToHex as hex } from '../ln/bytes.js';
import { compareBytes, equalBytes } from '../ln/bytes.js';
import { fundingOutput } from '../ln/funding.js';
import { InvalidGossipError } from './errors.js';
import {
  CHANNEL_UPDATE_DIRECTION_BIT,
  MESSAGE_FLAGS_MUST_BE_ONE,
  channelAnnouncementDigest,
  channelUpdateDigest,
  formatShortChannelId,
  type ChannelAnnouncement,
  type ChannelUpdate,
} from './messages.js';
import { verifyGossipSignature } from './signing.js';
import type { UtxoLookup } from './utxo.js';

/** One public channel as the graph holds it. */
export interface GraphChannel {
  readonly announcement: ChannelAnnouncement;
  /** The funding output's value, when a `UtxoLookup` confirmed it. */
  readonly capacitySat: bigint | undefined;
  /** `[update from node 1, update from node 2]`, newest of each. */
  readonly updates: [ChannelUpdate | undefined, ChannelUpdate | undefined];
}

/** What happened to a gossip message we were given. */
export type GossipOutcome = 'Added' | 'Duplicate' | 'Stale';

export class NetworkGraph {
  readonly #channels = new Map<bigint, GraphChannel>();

  constructor(
    readonly chainHash: Uint8Array,
    private readonly utxoLookup?: UtxoLookup,
  ) {}

  /** Every known channel, by `short_channel_id`. */
  get channels(): ReadonlyMap<bigint, GraphChannel> {
    return this.#channels;
  }

  /** Every node that is an end of some known channel, as hex. */
  nodes(): Set<string> {
    const nodes = new Set<string>();
    for (const { announcement } of this.#channels.values()) nodes.add(hex(announcement.nodeId1)).add(hex(announcement.nodeId2));
    return nodes;
  }

  /**
   * Checks and stores a `channel_announcement`. Throws `InvalidGossipError` (and stores nothing) when a
   * check fails; `Duplicate` when the channel is already known.
   * @see BOLT 7 "The `channel_announcement` Message"
   */
  async handleChannelAnnouncement(msg: ChannelAnnouncement): Promise<GossipOutcome> {
    const type = msg.type;
    const existing = this.#channels.get(msg.shortChannelId);
    if (existing) {
      if (equalBytes(channelAnnouncementDigest(existing.announcement), channelAnnouncementDigest(msg))) return 'Duplicate';
      throw new InvalidGossipError(type, `the announcement already known for ${formatShortChannelId(msg.shortChannelId)}`, 'a different one');
    }
    if (!equalBytes(msg.chainHash, this.chainHash)) throw new InvalidGossipError(type, 'our chain hash', hex(msg.chainHash));
    if (compareBytes(msg.nodeId1, msg.nodeId2) >= 0) throw new InvalidGossipError(type, 'node_id_1 < node_id_2', 'them out of order (or equal)');
    const digest = channelAnnouncementDigest(msg);
    const checks = [
      ['node_signature_1', msg.nodeSignature1, msg.nodeId1],
      ['node_signature_2', msg.nodeSignature2, msg.nodeId2],
      ['bitcoin_signature_1', msg.bitcoinSignature1, msg.bitcoinKey1],
      ['bitcoin_signature_2', msg.bitcoinSignature2, msg.bitcoinKey2],
    ] as const;
    for (const [name, signature, key] of checks) {
      if (!verifyGossipSignature(signature, digest, key)) throw new InvalidGossipError(type, `${name} valid for ${hex(key).slice(0, 16)}…`, 'a signature that does not verify');
    }
    let capacitySat: bigint | undefined;
    if (this.utxoLookup) {
      const utxo = await this.utxoLookup.getUtxo(msg.shortChannelId);
      const expected = fundingOutput(msg.bitcoinKey1, msg.bitcoinKey2, 1n).scriptPubKey;
      if (!utxo || !equalBytes(utxo.scriptPubKey, expected)) {
        throw new InvalidGossipError(type, `an unspent 2-of-2 of bitcoin_key_1/2 at ${formatShortChannelId(msg.shortChannelId)}`, utxo ? 'another output' : 'no such output');
      }
      capacitySat = utxo.amountSat;
    }
    this.#channels.set(msg.shortChannelId, { announcement: msg, capacitySat, updates: [undefined, undefined] });
    return 'Added';
  }

  /**
   * Checks and stores a `channel_update`: signed by the end its direction bit names, for a known channel,
   * newer than the one we hold. Throws `InvalidGossipError` for an unknown channel or a bad signature.
   * @see BOLT 7 "The `channel_update` Message"
   */
  handleChannelUpdate(msg: ChannelUpdate): GossipOutcome {
    const type = msg.type;
    const channel = this.#channels.get(msg.shortChannelId);
    if (!channel) throw new InvalidGossipError(type, 'an update for an announced channel', `unknown ${formatShortChannelId(msg.shortChannelId)}`);
    if (!equalBytes(msg.chainHash, this.chainHash)) throw new InvalidGossipError(type, 'our chain hash', hex(msg.chainHash));
    if ((msg.messageFlags & MESSAGE_FLAGS_MUST_BE_ONE) === 0) throw new InvalidGossipError(type, 'message_flags bit 0 set', String(msg.messageFlags));
    if (msg.htlcMinimumMsat > msg.htlcMaximumMsat) throw new InvalidGossipError(type, 'htlc_minimum_msat ≤ htlc_maximum_msat', `${msg.htlcMinimumMsat} > ${msg.htlcMaximumMsat}`);
    const direction = msg.channelFlags & CHANNEL_UPDATE_DIRECTION_BIT;
    const signer = direction === 0 ? channel.announcement.nodeId1 : channel.announcement.nodeId2;
    if (!verifyGossipSignature(msg.signature, channelUpdateDigest(msg), signer)) {
      throw new InvalidGossipError(type, `a signature by node_id_${direction + 1} ${hex(signer).slice(0, 16)}…`, 'one that does not verify');
    }
    const current = channel.updates[direction];
    if (current && current.timestamp >= msg.timestamp) return current.timestamp === msg.timestamp ? 'Duplicate' : 'Stale';
    channel.updates[direction] = msg;
    return 'Added';
  }
}
