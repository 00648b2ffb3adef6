import { WorkshopError } from '../errors.js';

/** How to get a node running; named by every "node unreachable" error. */
export const START_A_NODE =
  'start one with `npx lnlab regtest start` (embedded, nothing to install) or `docker compose up -d` (Bitcoin Core)';

/** An environment variable of the workshop holds a value it cannot use. */
export class ConfigError extends WorkshopError {
  readonly variable: string;
  constructor(variable: string, expected: string, got: string, fix: string) {
    super('BAD_CONFIG', `${variable}: expected ${expected}, got "${got}"`, fix);
    this.variable = variable;
  }
}

/** Nothing answers at the RPC address (refused, timed out, or not a JSON-RPC server). */
export class NodeUnreachableError extends WorkshopError {
  readonly url: string;
  constructor(url: string, detail: string, options?: { cause?: unknown }) {
    super('NODE_UNREACHABLE', `no regtest node answers at ${url} (${detail})`, START_A_NODE, options);
    this.url = url;
  }
}

/**
 * How to see what a Bitcoin Core that keeps "starting" is doing: its log, through docker compose (the
 * service is `bitcoind` in docker-compose.yml). Named by every warm-up error.
 */
export const SEE_CORE_LOG =
  'see what Bitcoin Core is doing with `docker compose logs --tail 50 bitcoind` (run in the workshop folder), then run the command again';

/**
 * The node answers, but only with "still starting" (JSON-RPC error -28, Bitcoin Core loading its block
 * index, verifying blocks, loading its banlist…), and kept doing so for longer than the wait allowed.
 */
export class NodeWarmingUpError extends WorkshopError {
  readonly url: string;
  /** The last thing the node said it was doing, e.g. "Verifying blocks…". */
  readonly activity: string;
  constructor(url: string, activity: string, waitedMs: number) {
    super(
      'NODE_WARMING_UP',
      `the regtest node at ${url} is still starting after ${Math.round(waitedMs / 1000)} s: expected it to be ready, got "${activity}"`,
      `${SEE_CORE_LOG}; a long chain can take minutes (LNLAB_RPC_WARMUP_TIMEOUT_S sets how long lnlab waits)`,
    );
    this.url = url;
    this.activity = activity;
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
  /** The node's own message, e.g. "Loading block index…". */
  readonly rpcMessage: string;
  constructor(method: string, rpcCode: number, message: string, options?: { cause?: unknown }) {
    super('RPC_ERROR', `${method}: node answered error ${rpcCode}: ${message}`, undefined, options);
    this.method = method;
    this.rpcCode = rpcCode;
    this.rpcMessage = message;
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
