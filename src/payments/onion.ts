/**
 * Turning a route into the first HTLC and its per-hop payloads (the workshop's stand-in for a BOLT 4
 * onion: the payloads travel in clear, each hop reads the first and passes the rest on).
 * @see BOLT 4 "Payload Format"
 */
import type { Route } from '../gossip/router.js';
import type { HopPayload, OnionPacket } from '../peer/messages.js';

/** The HTLC to offer on the route's first channel. */
export interface FirstHopHtlc {
  readonly shortChannelId: bigint;
  readonly amountMsat: bigint;
  readonly cltvExpiry: number;
  readonly onion: OnionPacket;
}

/**
 * Hop i's node is told to forward over hop i+1's channel the amount and expiry of that HTLC; the payee's
 * payload names the amount and expiry it should receive.
 * @see BOLT 4 "Payload Format"
 */
export function firstHopHtlc(route: Route): FirstHopHtlc {
  const { hops } = route;
  const payloads: HopPayload[] = hops.map((hop, i) => {
    const next = hops[i + 1];
    return next
      ? { shortChannelId: next.shortChannelId, amtToForwardMsat: next.amountMsat, outgoingCltvValue: next.cltvExpiry }
      : { amtToForwardMsat: hop.amountMsat, outgoingCltvValue: hop.cltvExpiry };
  });
  const first = hops[0]!;
  return { shortChannelId: first.shortChannelId, amountMsat: first.amountMsat, cltvExpiry: first.cltvExpiry, onion: { hops: payloads } };
}
