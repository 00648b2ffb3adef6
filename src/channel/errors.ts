/**
 * What can go wrong with one channel. Every error names the channel, what was expected and what happened,
 * and what to do. The ChannelManager returns them (as a `Failure` result) or records them on the channel;
 * none of them stops the node.
 */
import { WorkshopError } from '../errors.js';

/** The counterparty broke a BOLT 2 rule (an invalid signature, an amount it cannot afford, a wrong id...). */
export class ProtocolViolationError extends WorkshopError {
  readonly channelId: string;
  constructor(channelId: string, expected: string, got: string) {
    super(
      'PROTOCOL_VIOLATION',
      `channel ${channelId.slice(0, 16)}…: expected ${expected}, got ${got}`,
      'the counterparty misbehaved: the channel is failed and our latest commitment broadcast; other channels go on',
    );
    this.channelId = channelId;
  }
}

/** A message that is well formed but not valid in the channel's current phase (e.g. `revoke_and_ack` with nothing to revoke). */
export class UnexpectedMessageError extends WorkshopError {
  readonly channelId: string;
  readonly messageType: string;
  constructor(channelId: string, messageType: string, phase: string, expected: string) {
    super(
      'UNEXPECTED_MESSAGE',
      `channel ${channelId.slice(0, 16)}…: expected ${expected} in phase ${phase}, got ${messageType}`,
      'the peers disagree about where the channel is; it is failed, other channels go on',
    );
    this.channelId = channelId;
    this.messageType = messageType;
  }
}

/** The counterparty refused (sent `error`) while we were opening, or closed the conversation. */
export class CounterpartyRefusedError extends WorkshopError {
  readonly reason: string;
  constructor(context: string, reason: string) {
    super('COUNTERPARTY_REFUSED', `${context}: the counterparty refused: ${reason}`, 'read its reason; adjust the request (amount, parameters) and try again');
    this.reason = reason;
  }
}

/**
 * The ChainMonitor did not answer `Completed` for a new monitor or an update: it is not durably stored, so
 * the channel must not move on (a crash now would leave the node unaware of its newest state).
 */
export class MonitorPersistFailedError extends WorkshopError {
  readonly channelId: string;
  readonly step: string;
  constructor(channelId: string, step: string, status: string) {
    super(
      'MONITOR_PERSIST_FAILED',
      `channel ${channelId.slice(0, 16)}…: ${step}: expected the ChainMonitor to answer Completed, got ${status}`,
      'fix the storage (disk full? permissions?); the channel stays halted at its last persisted state',
    );
    this.channelId = channelId;
    this.step = step;
  }
}

/** An operation on a channel that has been halted (persist failure) or has ended. */
export class ChannelNotUsableError extends WorkshopError {
  readonly channelId: string;
  readonly phase: string;
  constructor(channelId: string, phase: string, wanted: string) {
    super('CHANNEL_NOT_USABLE', `channel ${channelId.slice(0, 16)}…: ${wanted}: expected a usable channel, got phase ${phase}`, 'use another channel, or open a new one');
    this.channelId = channelId;
    this.phase = phase;
  }
}

/** A payment or HTLC our side of the channel cannot afford (balance, reserve, fee) or that breaks the peer's limits. */
export class ChannelCapacityError extends WorkshopError {
  constructor(channelId: string, expected: string, got: string) {
    super('CHANNEL_CAPACITY', `channel ${channelId.slice(0, 16)}…: expected ${expected}, got ${got}`, 'send less, or wait until in-flight HTLCs settle');
  }
}

/** A request that needs the channel quiet (e.g. a cooperative close) while HTLCs are still in flight. */
export class ChannelBusyError extends WorkshopError {
  constructor(channelId: string, wanted: string, pending: string) {
    super('CHANNEL_BUSY', `channel ${channelId.slice(0, 16)}…: ${wanted}: expected no HTLC in flight, got ${pending}`, 'let in-flight payments settle (network.settle()), then retry');
  }
}

/** We refuse the counterparty's `open_channel` or `accept_channel` terms (sent back to it in `error`). */
export class OpenRefusedError extends WorkshopError {
  readonly field: string;
  constructor(messageType: string, field: string, expected: string, got: string) {
    super('OPEN_REFUSED', `${messageType}.${field}: expected ${expected}, got ${got}`, 'the opener must propose terms within our limits (see ChannelHandshakeConfig)');
    this.field = field;
  }
}

/** No channel (funded, or being opened) has that id with that peer. */
export class ChannelNotFoundError extends WorkshopError {
  readonly channelId: string;
  constructor(context: string, channelId: string, detail = 'no such channel') {
    super('UNKNOWN_CHANNEL', `${context}: expected a channel ${channelId.slice(0, 16)}…, got ${detail}`, 'pass an id from listChannels() (or the peer sent one we do not know)');
    this.channelId = channelId;
  }
}
