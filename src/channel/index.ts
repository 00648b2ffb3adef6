/**
 * The per-channel BOLT 2 state machine: opening (`OutboundV1Channel`, `InboundV1Channel`), the funded
 * `Channel` (HTLCs, the commitment dance, cooperative close), and the checks and errors they use.
 */
export * from './errors.js';
export * from './config.js';
export * from './ids.js';
export * from './types.js';
export * from './spec.js';
export * from './signatures.js';
export * from './htlc-checks.js';
export * from './open-checks.js';
export * from './opening.js';
export * from './cooperative-close.js';
export * from './channel-core.js';
export * from './channel.js';
export * from './outbound.js';
export * from './inbound.js';
export * from './registry.js';
