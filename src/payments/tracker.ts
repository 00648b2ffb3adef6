/**
 * Which HTLCs of ours are payments we started and which are forwards, so that when one settles the node
 * knows whom to tell: the caller of `sendPayment`, or the upstream channel the HTLC came in on.
 */
import type { WorkshopError } from '../errors.js';
import type { UpdateFailHtlc } from '../peer/messages.js';
import { PaymentFailedError } from './errors.js';
import { hashHex } from './invoices.js';

/** How a payment we sent ended. */
export type PaymentResult =
  | {
      readonly kind: 'Succeeded';
      readonly paymentHash: Uint8Array;
      /** Proof of payment: hashes to `paymentHash`. */
      readonly paymentPreimage: Uint8Array;
      readonly amountMsat: bigint;
      readonly feesPaidMsat: bigint;
    }
  | { readonly kind: 'Failed'; readonly paymentHash: Uint8Array; readonly error: WorkshopError };

/** Where a forwarded HTLC came from. */
export interface Upstream {
  readonly channelId: string;
  readonly htlcId: bigint;
}

interface OutgoingPayment {
  readonly paymentHash: Uint8Array;
  readonly amountMsat: bigint;
  readonly feesMsat: bigint;
  readonly resolve: (result: PaymentResult) => void;
}

const key = (channelId: string, htlcId: bigint) => `${channelId}:${htlcId}`;

export class HtlcTracker {
  readonly #payments = new Map<string, OutgoingPayment>();
  readonly #forwards = new Map<string, Upstream>();
  /** Fees earned by forwards that were fulfilled, in msat. */
  forwardingFeesEarnedMsat = 0n;
  readonly #forwardFees = new Map<string, bigint>();

  /** Our HTLC `htlcId` on `channelId` pays `paymentHash`; `resolve` hears how it ends. */
  trackPayment(channelId: string, htlcId: bigint, payment: OutgoingPayment): void {
    this.#payments.set(key(channelId, htlcId), payment);
  }

  /** Our HTLC `htlcId` on `channelId` forwards `upstream`, earning `feeMsat` if fulfilled. */
  trackForward(channelId: string, htlcId: bigint, upstream: Upstream, feeMsat: bigint): void {
    this.#forwards.set(key(channelId, htlcId), upstream);
    this.#forwardFees.set(key(channelId, htlcId), feeMsat);
  }

  /** Our HTLC was fulfilled: resolves the payment, or returns the upstream HTLC to claim with the preimage. */
  fulfilled(channelId: string, htlcId: bigint, paymentPreimage: Uint8Array): Upstream | undefined {
    const k = key(channelId, htlcId);
    const payment = this.#payments.get(k);
    if (payment) {
      this.#payments.delete(k);
      payment.resolve({ kind: 'Succeeded', paymentHash: payment.paymentHash, paymentPreimage, amountMsat: payment.amountMsat, feesPaidMsat: payment.feesMsat });
      return undefined;
    }
    const upstream = this.#forwards.get(k);
    this.#forwards.delete(k);
    if (upstream) this.forwardingFeesEarnedMsat += this.#forwardFees.get(k) ?? 0n;
    this.#forwardFees.delete(k);
    return upstream;
  }

  /** Our HTLC failed: resolves the payment as failed, or returns the upstream HTLC to fail in turn. */
  failed(channelId: string, htlcId: bigint, reason: UpdateFailHtlc['reason']): Upstream | undefined {
    const k = key(channelId, htlcId);
    const payment = this.#payments.get(k);
    if (payment) {
      this.#payments.delete(k);
      payment.resolve({ kind: 'Failed', paymentHash: payment.paymentHash, error: new PaymentFailedError(hashHex(payment.paymentHash), reason.code, reason.detail) });
      return undefined;
    }
    const upstream = this.#forwards.get(k);
    this.#forwards.delete(k);
    this.#forwardFees.delete(k);
    return upstream;
  }

  /** Every payment still waiting on `channelId` fails with `error` (the channel halted or closed). */
  failChannel(channelId: string, error: WorkshopError): void {
    for (const [k, payment] of this.#payments) {
      if (!k.startsWith(`${channelId}:`)) continue;
      this.#payments.delete(k);
      payment.resolve({ kind: 'Failed', paymentHash: payment.paymentHash, error });
    }
  }

  /** Payments still in flight. */
  get pendingPayments(): number {
    return this.#payments.size;
  }
}
