/**
 * `InProcessNetwork`: links between nodes in one process, standing in for BOLT 8 connections. Each
 * message is copied (`structuredClone`, so sender and receiver never share bytes) and delivered in the
 * order it was sent, one at a time, to the receiver's `handleMessage`. Nothing is encoded: the receiver
 * validates the object it gets, as a decoder would.
 */
import { bytesToHex as hex } from '../ln/bytes.js';
import type { PeerMessage } from './messages.js';

/** The sending half of a link, as a node sees its peer. */
export interface PeerHandle {
  readonly nodeId: Uint8Array;
  send(message: PeerMessage): void;
}

/** What a node must offer to be linked. */
export interface PeerMessageHandler {
  readonly nodeId: Uint8Array;
  /** A link to `peer` came up. */
  peerConnected(peer: PeerHandle): void;
  /**
   * One message from `from`, untrusted (validate it). Expected to handle its own failures (failing the
   * channel concerned); anything it throws is recorded in `InProcessNetwork.handlerErrors`.
   */
  handleMessage(from: Uint8Array, message: unknown): Promise<void>;
}

/** One delivered message, for tests and for the curious. */
export interface DeliveredMessage {
  readonly from: string;
  readonly to: string;
  readonly type: string;
  /** The copy the receiver was given. */
  readonly message: unknown;
}

interface Envelope {
  readonly from: PeerMessageHandler;
  readonly to: PeerMessageHandler;
  readonly message: unknown;
}

export class InProcessNetwork {
  /** Every delivered message, in delivery order. */
  readonly log: DeliveredMessage[] = [];
  /** Errors that escaped a node's `handleMessage` (a bug in that node; the network keeps going). */
  readonly handlerErrors: unknown[] = [];
  readonly #queue: Envelope[] = [];
  #running = false;
  #pumping: Promise<void> = Promise.resolve();

  /** Links `a` and `b` both ways and tells each about the other. */
  connect(a: PeerMessageHandler, b: PeerMessageHandler): void {
    a.peerConnected(this.#handle(a, b));
    b.peerConnected(this.#handle(b, a));
  }

  /** Delivers `message` to `to` as if `from` had sent it: for tests of what a node does with a bad message. */
  inject(from: PeerMessageHandler, to: PeerMessageHandler, message: unknown): void {
    this.#enqueue({ from, to, message });
  }

  /** Resolves once every queued message, and every message sent while handling them, has been handled. */
  async settle(): Promise<void> {
    while (this.#running) await this.#pumping;
  }

  #handle(from: PeerMessageHandler, to: PeerMessageHandler): PeerHandle {
    return { nodeId: to.nodeId, send: (message) => this.#enqueue({ from, to, message }) };
  }

  #enqueue(envelope: Envelope): void {
    this.#queue.push({ ...envelope, message: structuredClone(envelope.message) });
    if (!this.#running) {
      this.#running = true;
      this.#pumping = this.#pump();
    }
  }

  async #pump(): Promise<void> {
    // Start on a later tick so the sender finishes what it was doing before the reply arrives.
    await Promise.resolve();
    try {
      for (let envelope = this.#queue.shift(); envelope; envelope = this.#queue.shift()) {
        const type = String((envelope.message as { type?: unknown } | null)?.type);
        this.log.push({ from: hex(envelope.from.nodeId), to: hex(envelope.to.nodeId), type, message: envelope.message });
        try {
          await envelope.to.handleMessage(envelope.from.nodeId, envelope.message);
        } catch (err) {
          this.handlerErrors.push(err);
        }
      }
    } finally {
      // Cleared in the same tick the queue was found empty, so a message sent after this starts a new pump.
      this.#running = false;
    }
  }
}
