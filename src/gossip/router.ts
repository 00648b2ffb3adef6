/**
 * Route finding: Dijkstra over the network graph, from the payee back to the payer, minimising what the
 * payer must send (the payment plus every forwarding node's fee). Each node on the way charges by its own
 * `channel_update` for the channel it forwards *out* of: `fee_base_msat + amount × fee_proportional_millionths
 * / 10^6`, and needs `cltv_expiry_delta` blocks of margin between the HTLC it receives and the one it sends.
 * @see BOLT 7 "HTLC Fees"
 */
import { bytesToHex as hex } from '../ln/bytes.js';
import { equalBytes } from '../ln/bytes.js';
import { CHANNEL_UPDATE_DISABLE_BIT, type ChannelUpdate } from './messages.js';
import { NoRouteError } from './errors.js';
import type { NetworkGraph } from './graph.js';

/** One channel of a route: the HTLC it carries and the node it reaches. */
export interface RouteHop {
  readonly shortChannelId: bigint;
  /** The node at the far end of this channel. */
  readonly nodeId: Uint8Array;
  /** What the HTLC on this channel is worth. */
  readonly amountMsat: bigint;
  /** The absolute height at which the HTLC on this channel expires. */
  readonly cltvExpiry: number;
}

/** A path from the payer (not listed) to the payee (the last hop's `nodeId`). */
export interface Route {
  readonly hops: readonly RouteHop[];
  /** What the payee receives. */
  readonly amountMsat: bigint;
  /** What the forwarding nodes keep: `hops[0].amountMsat - amountMsat`. */
  readonly feesMsat: bigint;
}

/** Our own channels' spendable balances, which gossip does not tell (by `short_channel_id`). */
export type LocalBalances = ReadonlyMap<bigint, bigint>;

export interface RouteRequest {
  readonly payer: Uint8Array;
  readonly payee: Uint8Array;
  readonly amountMsat: bigint;
  readonly currentHeight: number;
  /** Blocks the payee wants before the last HTLC expires. */
  readonly finalCltvExpiryDelta: number;
  readonly localBalances?: LocalBalances;
}

/** A directed edge: `from` forwards over `shortChannelId` to `to`, by `from`'s update. */
interface Edge {
  readonly shortChannelId: bigint;
  readonly from: string;
  readonly to: Uint8Array;
  readonly update: ChannelUpdate;
  readonly capacityMsat: bigint | undefined;
}

/** Per node: what must arrive there, the blocks still needed downstream, and the edge on toward the payee. */
interface Label {
  readonly amountMsat: bigint;
  readonly cltvDelta: number;
  readonly next: Edge | undefined;
}


/** The forwarding fee a `channel_update` asks for `amountMsat`. @see BOLT 7 "HTLC Fees" */
export function feeForUpdateMsat(update: Pick<ChannelUpdate, 'feeBaseMsat' | 'feeProportionalMillionths'>, amountMsat: bigint): bigint {
  return BigInt(update.feeBaseMsat) + (amountMsat * BigInt(update.feeProportionalMillionths)) / 1_000_000n;
}

/** Every enabled directed edge into each node, by node hex. */
function edgesInto(graph: NetworkGraph): Map<string, Edge[]> {
  const into = new Map<string, Edge[]>();
  for (const [shortChannelId, channel] of graph.channels) {
    const ends = [channel.announcement.nodeId1, channel.announcement.nodeId2] as const;
    channel.updates.forEach((update, direction) => {
      if (!update || (update.channelFlags & CHANNEL_UPDATE_DISABLE_BIT) !== 0) return;
      const from = ends[direction]!;
      const to = ends[1 - direction]!;
      const capacityMsat = channel.capacitySat === undefined ? undefined : channel.capacitySat * 1000n;
      const list = into.get(hex(to)) ?? [];
      list.push({ shortChannelId, from: hex(from), to, update, capacityMsat });
      into.set(hex(to), list);
    });
  }
  return into;
}

/**
 * The cheapest route for `amountMsat` from `payer` to `payee`, with every hop's amount and expiry worked
 * out. Throws `NoRouteError` when none exists.
 * @see BOLT 7 "HTLC Fees"
 */
export function findRoute(graph: NetworkGraph, request: RouteRequest): Route {
  const payer = hex(request.payer);
  const payee = hex(request.payee);
  const into = edgesInto(graph);
  const labels = new Map<string, Label>([[payee, { amountMsat: request.amountMsat, cltvDelta: request.finalCltvExpiryDelta, next: undefined }]]);
  const done = new Set<string>();
  for (;;) {
    let current: string | undefined;
    for (const [node, label] of labels) {
      if (!done.has(node) && (current === undefined || label.amountMsat < labels.get(current)!.amountMsat)) current = node;
    }
    if (current === undefined || current === payer) break;
    done.add(current);
    const here = labels.get(current)!;
    for (const edge of into.get(current) ?? []) {
      if (done.has(edge.from)) continue;
      const carried = here.amountMsat;
      const { update } = edge;
      if (carried < update.htlcMinimumMsat || carried > update.htlcMaximumMsat) continue;
      if (edge.capacityMsat !== undefined && carried > edge.capacityMsat) continue;
      const isPayer = edge.from === payer;
      if (isPayer && request.localBalances && carried > (request.localBalances.get(edge.shortChannelId) ?? 0n)) continue;
      const amountMsat = isPayer ? carried : carried + feeForUpdateMsat(update, carried);
      const cltvDelta = isPayer ? here.cltvDelta : here.cltvDelta + update.cltvExpiryDelta;
      const known = labels.get(edge.from);
      if (!known || amountMsat < known.amountMsat) labels.set(edge.from, { amountMsat, cltvDelta, next: edge });
    }
  }
  const start = labels.get(payer);
  if (!start?.next) throw new NoRouteError(payee, request.amountMsat, `${graph.channels.size} channel(s) in our graph`);
  const hops: RouteHop[] = [];
  for (let edge: Edge | undefined = start.next; edge; ) {
    const reached: Label = labels.get(hex(edge.to))!;
    hops.push({ shortChannelId: edge.shortChannelId, nodeId: edge.to, amountMsat: reached.amountMsat, cltvExpiry: request.currentHeight + reached.cltvDelta });
    edge = equalBytes(edge.to, request.payee) ? undefined : reached.next;
  }
  return { hops, amountMsat: request.amountMsat, feesMsat: hops[0]!.amountMsat - request.amountMsat };
}
