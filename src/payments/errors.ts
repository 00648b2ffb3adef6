/** Why a payment did not go through. */
import { WorkshopError } from '../errors.js';
import type { HtlcFailureCode } from '../peer/messages.js';

/** A node on the route failed our HTLC back, saying why (BOLT 4 failure name). */
export class PaymentFailedError extends WorkshopError {
  readonly failureCode: HtlcFailureCode;
  constructor(paymentHashHex: string, failureCode: HtlcFailureCode, detail: string) {
    super('PAYMENT_FAILED', `payment ${paymentHashHex.slice(0, 16)}…: expected it to be fulfilled, got ${failureCode} (${detail})`, 'read the failure: pay more fees, a later expiry, or another route');
    this.failureCode = failureCode;
  }
}

/** The payment could not even start: bad invoice, no usable channel, the HTLC refused locally. */
export class PaymentNotSentError extends WorkshopError {
  constructor(context: string, expected: string, got: string) {
    super('PAYMENT_NOT_SENT', `${context}: expected ${expected}, got ${got}`, 'nothing left this node; fix the cause and pay again');
  }
}
