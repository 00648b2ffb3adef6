/**
 * What to do with an HTLC offered to us once it is irrevocably committed: claim it (we are the payee and
 * know the preimage), forward it (our fee and CLTV margin are paid), or fail it back with a BOLT 4 reason.
 * Pure: the caller looks up invoices and channels and acts on the decision.
 * @see BOLT 4 "Returning Errors"
 */
import type { ForwardingPolicy } from '../channel/config.js';
import { forwardingFeeMsat, LATENCY_GRACE_PERIOD_BLOCKS } from '../channel/config.js';
import type { HopPayload, HtlcFailureCode, OnionPacket, UpdateAddHtlc } from '../peer/messages.js';
import type { IssuedInvoice } from './invoices.js';

/** The decision about one incoming HTLC. */
export type IncomingHtlcDecision =
  | { readonly kind: 'Claim'; readonly invoice: IssuedInvoice }
  | { readonly kind: 'Forward'; readonly shortChannelId: bigint; readonly amountMsat: bigint; readonly cltvExpiry: number; readonly onion: OnionPacket }
  | { readonly kind: 'Fail'; readonly code: HtlcFailureCode; readonly detail: string };

/** What deciding needs to know about us and the chain. */
export interface IncomingHtlcContext {
  readonly currentHeight: number;
  readonly policy: ForwardingPolicy;
  /** Blocks we want left before an HTLC paid to us expires. */
  readonly minFinalCltvExpiryDelta: number;
  readonly invoiceFor: (paymentHash: Uint8Array) => IssuedInvoice | undefined;
}

/**
 * Decides about `add`, whose first hop payload is ours.
 * @see BOLT 4 "Payload Format"
 */
export function decideIncomingHtlc(add: UpdateAddHtlc, ctx: IncomingHtlcContext): IncomingHtlcDecision {
  const [payload, ...rest] = add.onionRoutingPacket.hops as [HopPayload, ...HopPayload[]];
  const fail = (code: HtlcFailureCode, detail: string): IncomingHtlcDecision => ({ kind: 'Fail', code, detail });
  if (payload.shortChannelId === undefined || rest.length === 0) {
    // We are the final hop.
    const invoice = ctx.invoiceFor(add.paymentHash);
    if (!invoice || invoice.status === 'Paid') return fail('incorrect_or_unknown_payment_details', 'no unpaid invoice for this payment hash');
    if (add.amountMsat < payload.amtToForwardMsat) return fail('final_incorrect_htlc_amount', `HTLC ${add.amountMsat} msat < payload ${payload.amtToForwardMsat} msat`);
    if (add.amountMsat < invoice.amountMsat) return fail('incorrect_or_unknown_payment_details', `HTLC ${add.amountMsat} msat < invoice ${invoice.amountMsat} msat`);
    if (add.cltvExpiry < ctx.currentHeight + ctx.minFinalCltvExpiryDelta) {
      return fail('incorrect_or_unknown_payment_details', `cltv_expiry ${add.cltvExpiry} < height ${ctx.currentHeight} + ${ctx.minFinalCltvExpiryDelta}`);
    }
    return { kind: 'Claim', invoice };
  }
  const feeMsat = forwardingFeeMsat(ctx.policy, payload.amtToForwardMsat);
  if (add.amountMsat < payload.amtToForwardMsat + feeMsat) {
    return fail('fee_insufficient', `received ${add.amountMsat} msat to forward ${payload.amtToForwardMsat} msat; our fee is ${feeMsat} msat`);
  }
  if (add.cltvExpiry < payload.outgoingCltvValue + ctx.policy.cltvExpiryDelta) {
    return fail('incorrect_cltv_expiry', `cltv_expiry ${add.cltvExpiry} < outgoing ${payload.outgoingCltvValue} + our delta ${ctx.policy.cltvExpiryDelta}`);
  }
  if (payload.outgoingCltvValue <= ctx.currentHeight + LATENCY_GRACE_PERIOD_BLOCKS) {
    return fail('expiry_too_soon', `outgoing expiry ${payload.outgoingCltvValue} is within ${LATENCY_GRACE_PERIOD_BLOCKS} blocks of height ${ctx.currentHeight}`);
  }
  return { kind: 'Forward', shortChannelId: payload.shortChannelId, amountMsat: payload.amtToForwardMsat, cltvExpiry: payload.outgoingCltvValue, onion: { hops: rest } };
}
