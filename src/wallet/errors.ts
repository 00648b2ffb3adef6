/**
 * What can go wrong with the on-chain wallet. Each says what was needed, what there was, and what to do.
 */
import { WorkshopError } from '../errors.js';

/** The wallet's confirmed, unlocked coins do not cover the outputs plus the fee. Nothing was spent. */
export class InsufficientFundsError extends WorkshopError {
  readonly neededSat: bigint;
  readonly availableSat: bigint;
  constructor(context: string, neededSat: bigint, availableSat: bigint) {
    super(
      'INSUFFICIENT_FUNDS',
      `${context}: expected confirmed wallet coins worth at least ${neededSat} sat (outputs + fee), got ${availableSat} sat`,
      'fund the wallet (faucet.fund(wallet.receiveScript(), amount)), mine a block and connect it, or ask for less',
    );
    this.neededSat = neededSat;
    this.availableSat = availableSat;
  }
}

/** An output the wallet was asked to create is unusable (non-positive or below the relay dust threshold). */
export class InvalidOutputError extends WorkshopError {
  constructor(context: string, expected: string, got: string) {
    super('INVALID_OUTPUT', `${context}: expected ${expected}, got ${got}`, 'ask for an amount the network will relay');
  }
}
