/** Payments: invoices, route → first HTLC, the claim/forward/fail decision, and payment tracking. */
export * from './errors.js';
export * from './invoices.js';
export * from './onion.js';
export * from './forwarding.js';
export * from './tracker.js';
