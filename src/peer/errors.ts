/**
 * Errors about the messages themselves: one that does not decode into a well-formed BOLT message, and
 * a peer that is not connected.
 */
import { WorkshopError } from '../errors.js';

/** A message that is not a well-formed BOLT message: a missing field, a wrong length, an out-of-range number. */
export class MalformedMessageError extends WorkshopError {
  readonly messageType: string;
  readonly field: string;
  constructor(messageType: string, field: string, expected: string, got: string) {
    super(
      'MALFORMED_MESSAGE',
      `${messageType}.${field}: expected ${expected}, got ${got}`,
      'the sender built an invalid message; the channel it concerns is failed, others are untouched',
    );
    this.messageType = messageType;
    this.field = field;
  }
}

/** We have no link to the node we were asked to talk to. */
export class PeerNotConnectedError extends WorkshopError {
  readonly nodeId: string;
  constructor(context: string, nodeIdHex: string) {
    super('PEER_NOT_CONNECTED', `${context}: expected a connected peer ${nodeIdHex}, got no link to it`, 'connect the two nodes first (network.connect(a, b))');
    this.nodeId = nodeIdHex;
  }
}
