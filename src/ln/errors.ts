/**
 * The BOLT 3 error family. Each class names one way a Lightning transaction could come out wrong; the
 * builders throw one of these instead of returning a transaction that would lose money or fail to
 * verify. Messages read `context: expected X, got Y` and end with the fix (see `WorkshopError`).
 * Callers branch on the class or on `code`, never on the message.
 */
import { WorkshopError } from '../errors.js';

/** Formats the house message shape once, so every class below reads the same. */
function expectedGot(context: string, expected: string, got: string): string {
  return `${context}: expected ${expected}, got ${got}`;
}

/**
 * Bytes that should be a secp256k1 public key (33-byte compressed SEC1, on the curve) are not, or a
 * derivation produced the point at infinity.
 * @see BOLT 3 "Key Derivation"
 */
export class InvalidPointError extends WorkshopError {
  constructor(context: string, expected: string, got: string, fix?: string) {
    super(
      'INVALID_POINT',
      expectedGot(context, expected, got),
      fix ?? 'pass a 33-byte compressed public key (02/03 prefix), e.g. from getPublicKey(secret)',
    );
  }
}

/**
 * A secret is unusable: not a 32-byte scalar in [1, n), a per-commitment secret for the wrong index, or
 * one that does not derive the secrets already received (so it did not come from the same seed).
 * @see BOLT 3 "Per-commitment Secret Requirements"
 */
export class InvalidSecretError extends WorkshopError {
  constructor(context: string, expected: string, got: string, fix?: string) {
    super(
      'INVALID_SECRET',
      expectedGot(context, expected, got),
      fix ?? 'pass the 32-byte secret for exactly this key or index; never reuse one from another channel',
    );
  }
}

/**
 * Amounts do not add up: balances and HTLCs differ from the channel value, or outputs exceed inputs.
 * @see BOLT 3 "Commitment Transaction Construction"
 */
export class AmountMismatchError extends WorkshopError {
  constructor(context: string, expected: string, got: string, fix?: string) {
    super(
      'AMOUNT_MISMATCH',
      expectedGot(context, expected, got),
      fix ?? 'recompute the balances from the channel state: every msat of the channel value must be accounted for',
    );
  }
}

/**
 * The fee a feerate implies would consume the funder's balance or the value being swept.
 * @see BOLT 3 "Fee Payment"
 */
export class FeeTooHighError extends WorkshopError {
  constructor(context: string, expected: string, got: string, fix?: string) {
    super(
      'FEE_TOO_HIGH',
      expectedGot(context, expected, got),
      fix ?? 'lower feeratePerKw (a FeeEstimator value in sat per 1000 weight), or wait for a larger balance',
    );
  }
}

/**
 * A counterparty's signature does not verify against the transaction we built and their key.
 * @see BOLT 3 "Commitment Transaction"
 */
export class InvalidSignatureError extends WorkshopError {
  constructor(context: string, expected: string, got: string, fix?: string) {
    super(
      'INVALID_SIGNATURE',
      expectedGot(context, expected, got),
      fix ??
        'both sides must build byte-identical transactions: compare commitment number, balances, feerate and HTLCs',
    );
  }
}

/**
 * A transaction we were asked to spend has no output with the script we derived for it.
 * @see BOLT 3 "Commitment Transaction Outputs"
 */
export class OutputNotFoundError extends WorkshopError {
  constructor(context: string, expected: string, got: string, fix?: string) {
    super(
      'OUTPUT_NOT_FOUND',
      expectedGot(context, expected, got),
      fix ?? 'check the per-commitment secret, basepoints and to_self_delay belong to this commitment',
    );
  }
}
