import { WorkshopError } from '../errors.js';

/** How to get a node running; named by every "node unreachable" error. */
export const START_A_NODE =
  'start one with `npx lnlab regtest start` (embedded, nothing to install) or `docker compose up -d` (Bitcoin Core)';

/** Nothing answers at the RPC address (refused, timed out, or not a JSON-RPC server). */
export class NodeUnreachableError extends WorkshopError {
  readonly url: string;
  constructor(url: string, detail: string, options?: { cause?: unknown }) {
    super('NODE_UNREACHABLE', `no regtest node answers at ${url} (${detail})`, START_A_NODE, options);
    this.url = url;
  }
}

/** The node answered, but it is not on regtest. Workshop code must never touch real coins. */
export class WrongChainError extends WorkshopError {
  readonly chain: string;
  constructor(url: string, chain: string) {
    super(
      'WRONG_CHAIN',
      `the node at ${url} is on chain "${chain}", expected "regtest"; the workshop refuses to talk to it`,
      `point LNLAB_RPC_URL at a regtest node; ${START_A_NODE}`,
    );
    this.chain = chain;
  }
}

/** The node answered a call with a JSON-RPC error. */
export class RpcError extends WorkshopError {
  readonly method: string;
  readonly rpcCode: number;
  constructor(method: string, rpcCode: number, message: string, options?: { cause?: unknown }) {
    super('RPC_ERROR', `${method}: node answered error ${rpcCode}: ${message}`, undefined, options);
    this.method = method;
    this.rpcCode = rpcCode;
  }
}

/**
 * The node refused a transaction. `reason` is the node's reject reason, e.g. `non-BIP68-final` (a
 * relative timelock not yet expired) or `…script-verify-flag…` (a signature or script that fails).
 * A transaction that raised this was NOT broadcast.
 */
export class BroadcastRejectedError extends WorkshopError {
  readonly txid: string;
  readonly reason: string;
  readonly rpcCode: number;
  constructor(txid: string, rpcCode: number, reason: string) {
    super('BROADCAST_REJECTED', `transaction ${txid} rejected by the node: ${reason} (error ${rpcCode})`);
    this.txid = txid;
    this.reason = reason;
    this.rpcCode = rpcCode;
  }
}
