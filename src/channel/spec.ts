/**
 * The contents of one commitment, and how pending updates change it. Each side's commitment moves on
 * separately: an update proposed by one peer reaches the other's commitment with the next
 * `commitment_signed`, and becomes irrevocable once the previous commitment is revoked. A
 * `CommitmentSpec` is always seen from our side (holder / counterparty), whichever peer owns the
 * commitment, so `buildHolderCommitment` and `buildCounterpartyCommitment` can take it as it is.
 * @see BOLT 2 "Normal Operation"
 */
import type { ChannelHtlc, ChannelSide, ChannelState } from '../ln/channel.js';
import type { UpdateAddHtlc, UpdateFailHtlc, UpdateFulfillHtlc } from '../peer/messages.js';

/** An HTLC in a commitment, with the id its offerer gave it. @see BOLT 2 "Adding an HTLC: `update_add_htlc`" */
export interface PendingHtlc extends ChannelHtlc {
  readonly id: bigint;
}

/** Balances and HTLCs of one commitment, from our side. */
export interface CommitmentSpec {
  readonly holderBalanceMsat: bigint;
  readonly counterpartyBalanceMsat: bigint;
  readonly htlcs: readonly PendingHtlc[];
}

/** A change to the channel's balances: add an HTLC, or settle one (fulfill or fail). @see BOLT 2 "Normal Operation" */
export type ChannelUpdateMessage = UpdateAddHtlc | UpdateFulfillHtlc | UpdateFailHtlc;

/**
 * Where our own updates are: `proposed` (sent, in no commitment), `signed` (in the counterparty's next
 * commitment, awaiting its revocation), `acked` (in the counterparty's current commitment, not yet in ours).
 * @see BOLT 2 "Committing Updates So Far: `commitment_signed`"
 */
export interface HolderUpdates {
  readonly proposed: readonly ChannelUpdateMessage[];
  readonly signed: readonly ChannelUpdateMessage[];
  readonly acked: readonly ChannelUpdateMessage[];
}

/**
 * Where the counterparty's updates are: `proposed` (received, in no commitment), `acked` (in our
 * commitment, not yet in theirs), `signed` (in their next commitment, awaiting their revocation).
 * @see BOLT 2 "Committing Updates So Far: `commitment_signed`"
 */
export interface CounterpartyUpdates {
  readonly proposed: readonly ChannelUpdateMessage[];
  readonly acked: readonly ChannelUpdateMessage[];
  readonly signed: readonly ChannelUpdateMessage[];
}

export const NO_HOLDER_UPDATES: HolderUpdates = Object.freeze({ proposed: [], signed: [], acked: [] });
export const NO_COUNTERPARTY_UPDATES: CounterpartyUpdates = Object.freeze({ proposed: [], acked: [], signed: [] });

/** A settle refers to an HTLC the spec does not hold: the caller validated nothing, or the peer lied. */
export class UnknownHtlcError extends Error {
  constructor(offeredBy: ChannelSide, id: bigint) {
    super(`no HTLC #${id} offered by the ${offeredBy} in this commitment`);
  }
}

function findHtlc(spec: CommitmentSpec, offeredBy: ChannelSide, id: bigint): PendingHtlc {
  const htlc = spec.htlcs.find((h) => h.offeredBy === offeredBy && h.id === id);
  if (!htlc) throw new UnknownHtlcError(offeredBy, id);
  return htlc;
}

/**
 * `spec` with `holderUpdates` (ours) and `counterpartyUpdates` (theirs) applied: adds first, then settles.
 * A fulfill pays the HTLC to the side that did not offer it; a fail returns it to its offerer. Throws
 * `UnknownHtlcError` when a settle names an HTLC that is in neither `spec` nor the adds.
 * @see BOLT 2 "Normal Operation"
 */
export function reduceSpec(
  spec: CommitmentSpec,
  holderUpdates: readonly ChannelUpdateMessage[],
  counterpartyUpdates: readonly ChannelUpdateMessage[],
): CommitmentSpec {
  let holderMsat = spec.holderBalanceMsat;
  let counterpartyMsat = spec.counterpartyBalanceMsat;
  const htlcs = [...spec.htlcs];
  const add = (update: UpdateAddHtlc, offeredBy: ChannelSide) => {
    htlcs.push(Object.freeze({ offeredBy, id: update.id, amountMsat: update.amountMsat, paymentHash: update.paymentHash, cltvExpiry: update.cltvExpiry }));
    if (offeredBy === 'holder') holderMsat -= update.amountMsat;
    else counterpartyMsat -= update.amountMsat;
  };
  for (const update of holderUpdates) if (update.type === 'update_add_htlc') add(update, 'holder');
  for (const update of counterpartyUpdates) if (update.type === 'update_add_htlc') add(update, 'counterparty');
  const settle = (update: UpdateFulfillHtlc | UpdateFailHtlc, settledBy: ChannelSide) => {
    // A settle always names an HTLC the *other* side offered.
    const offeredBy: ChannelSide = settledBy === 'holder' ? 'counterparty' : 'holder';
    const htlc = findHtlc({ holderBalanceMsat: 0n, counterpartyBalanceMsat: 0n, htlcs }, offeredBy, update.id);
    htlcs.splice(htlcs.indexOf(htlc), 1);
    const paidTo: ChannelSide = update.type === 'update_fulfill_htlc' ? settledBy : offeredBy;
    if (paidTo === 'holder') holderMsat += htlc.amountMsat;
    else counterpartyMsat += htlc.amountMsat;
  };
  for (const update of holderUpdates) if (update.type !== 'update_add_htlc') settle(update, 'holder');
  for (const update of counterpartyUpdates) if (update.type !== 'update_add_htlc') settle(update, 'counterparty');
  return Object.freeze({ holderBalanceMsat: holderMsat, counterpartyBalanceMsat: counterpartyMsat, htlcs: Object.freeze(htlcs) });
}

/** The `ChannelState` the BOLT 3 builders take, for commitment number `commitmentNumber`. */
export function specToState(spec: CommitmentSpec, commitmentNumber: bigint, feeratePerKw: number): ChannelState {
  return { commitmentNumber, holderBalanceMsat: spec.holderBalanceMsat, counterpartyBalanceMsat: spec.counterpartyBalanceMsat, feeratePerKw, htlcs: spec.htlcs };
}

/** The HTLC `offeredBy` with `id`, if `spec` holds it. */
export function htlcIn(spec: CommitmentSpec, offeredBy: ChannelSide, id: bigint): PendingHtlc | undefined {
  return spec.htlcs.find((h) => h.offeredBy === offeredBy && h.id === id);
}

/** Whether any update in `updates` settles the HTLC `id` (offered by the other side). */
export function settles(updates: readonly ChannelUpdateMessage[], id: bigint): boolean {
  return updates.some((u) => u.type !== 'update_add_htlc' && u.id === id);
}
