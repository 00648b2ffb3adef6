/** Gossip and routing errors. */
import { WorkshopError } from '../errors.js';

/** A gossip message that fails a BOLT 7 check (a signature, the chain, the funding output): it is dropped. */
export class InvalidGossipError extends WorkshopError {
  readonly messageType: string;
  constructor(messageType: string, expected: string, got: string) {
    super('INVALID_GOSSIP', `${messageType}: expected ${expected}, got ${got}`, 'the message is ignored and not relayed; nothing else changes');
    this.messageType = messageType;
  }
}

/** No path in our network graph can carry the payment. */
export class NoRouteError extends WorkshopError {
  constructor(payeeHex: string, amountMsat: bigint, detail: string) {
    super(
      'NO_ROUTE',
      `findRoute: expected a path to ${payeeHex.slice(0, 16)}… for ${amountMsat} msat, got none (${detail})`,
      'open a channel towards the payee, or wait for gossip (channel_announcement + channel_update) to reach this node',
    );
  }
}
