/**
 * Invoices, reduced to what paying needs: the amount, the payment hash, and who to pay. The payee keeps
 * the preimage; revealing it (in `update_fulfill_htlc`) is what completes the payment. No BOLT 11
 * encoding: the invoice is a plain object handed from payee to payer.
 * @see BOLT 11 "Payment Encoding"
 */
import { randomBytes } from 'node:crypto';
import { sha256 } from '@noble/hashes/sha2.js';

/** A payment request: pay `amountMsat` to `payee` against `paymentHash`. */
export interface InvoiceLike {
  readonly amountMsat: bigint;
  readonly paymentHash: Uint8Array;
  /** The payee's node id. */
  readonly payee: Uint8Array;
}

/** Whether an invoice we issued has been paid. */
export type InvoiceStatus = 'Unpaid' | 'Paid';

/** An invoice we issued, with its secret. */
export interface IssuedInvoice extends InvoiceLike {
  readonly paymentPreimage: Uint8Array;
  status: InvoiceStatus;
  receivedMsat: bigint;
}

/** A payment preimage is 32 random bytes; its SHA256 is the payment hash. @see BOLT 2 "Adding an HTLC: `update_add_htlc`" */
const PREIMAGE_BYTES = 32;

export const hashHex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

/** The invoices a node issued, by payment hash. */
export class InvoiceStore {
  readonly #byHash = new Map<string, IssuedInvoice>();

  /** A fresh invoice for `amountMsat` to `payee`, with a new random preimage. */
  create(amountMsat: bigint, payee: Uint8Array): IssuedInvoice {
    if (typeof amountMsat !== 'bigint' || amountMsat <= 0n) throw new RangeError(`createInvoice: expected a positive amount in msat, got ${String(amountMsat)}`);
    const paymentPreimage = Uint8Array.from(randomBytes(PREIMAGE_BYTES));
    const invoice: IssuedInvoice = { amountMsat, paymentHash: sha256(paymentPreimage), payee, paymentPreimage, status: 'Unpaid', receivedMsat: 0n };
    this.#byHash.set(hashHex(invoice.paymentHash), invoice);
    return invoice;
  }

  get(paymentHash: Uint8Array): IssuedInvoice | undefined {
    return this.#byHash.get(hashHex(paymentHash));
  }
}
