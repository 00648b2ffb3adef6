/**
 * BOLT 3 for the workshop: keys, per-commitment secrets, scripts, and every transaction a channel can
 * put on chain (commitment, HTLC-success/timeout, justice, claims, cooperative close). Pure functions
 * and values; nothing here talks to a node. `bytes.ts` stays internal.
 */
export * from './errors.js';
export * from './types.js';
export * from './keys.js';
export * from './secrets.js';
export * from './secret-store.js';
export * from './keys-manager.js';
export * from './scripts.js';
export * from './sign.js';
export * from './fees.js';
export * from './funding.js';
export * from './commitment-keys.js';
export * from './commitment.js';
export * from './channel.js';
export * from './htlc-tx.js';
export * from './sweep.js';
export * from './justice.js';
export * from './claims.js';
export * from './closing.js';
