/**
 * A fake Bitcoin Core that is still starting, for the warm-up tests: it goes through the phases a real
 * `docker compose up -d` shows a client, in order, then answers as a ready regtest Core would.
 *
 * 1. `drops` connections are accepted and closed at once (docker publishes the port before Core listens);
 * 2. one JSON-RPC error -28 per entry of `warmup`, as Core answers while it loads (HTTP 500, JSON body);
 * 3. ready: `getblockchaininfo` on regtest, `getnetworkinfo` with Core's user agent. Other methods are
 *    unknown (-32601), which the tests that use this never call.
 *
 * `warmup: 'forever'` never gets past phase 2. Used only to inject these faults; never a stand-in for a
 * real node where a real one would do.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** What Bitcoin Core says while it starts, in the order it says it (`SetRPCWarmupStatus` in init). */
export const CORE_WARMUP = ['Loading block index…', 'Verifying blocks…', 'Loading banlist…'] as const;

/** Bitcoin Core's `RPC_IN_WARMUP`. */
const RPC_IN_WARMUP = -28;
const RPC_METHOD_NOT_FOUND = -32601;
/** Core answers JSON-RPC 1.0 errors with HTTP 500 (`JSONErrorReply` in httprpc.cpp). */
const HTTP_INTERNAL_SERVER_ERROR = 500;

export interface WarmingRpcOptions {
  /** Connections to drop before answering at all (default 0). */
  readonly drops?: number;
  /** The -28 messages to answer with, one request each (default `CORE_WARMUP`); `'forever'`: always the first. */
  readonly warmup?: readonly string[] | 'forever';
  /** The port to listen on (default: a free one). */
  readonly port?: number;
}

export interface WarmingRpc {
  readonly url: string;
  /** JSON-RPC requests answered so far, method names in order. */
  readonly requests: string[];
  /** Connections dropped so far. */
  dropped(): number;
  close(): Promise<void>;
}

export async function startWarmingRpc(options: WarmingRpcOptions = {}): Promise<WarmingRpc> {
  const requests: string[] = [];
  let toDrop = options.drops ?? 0;
  let dropped = 0;
  const warmup = options.warmup ?? CORE_WARMUP;
  let warmupAnswers = 0;
  const sockets = new Set<Socket>();

  const server: Server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => {
      const { method, id } = JSON.parse(body) as { method: string; id: unknown };
      requests.push(method);
      response.setHeader('content-type', 'application/json');
      const stillWarming = warmup === 'forever' || warmupAnswers < warmup.length;
      if (stillWarming) {
        const message = warmup === 'forever' ? CORE_WARMUP[0] : warmup[warmupAnswers]!;
        warmupAnswers++;
        response.statusCode = HTTP_INTERNAL_SERVER_ERROR;
        response.end(JSON.stringify({ result: null, error: { code: RPC_IN_WARMUP, message }, id }));
        return;
      }
      const answers: Record<string, unknown> = {
        getblockchaininfo: { chain: 'regtest', blocks: 0, headers: 0, bestblockhash: '0f9188f13cb7b2c71f2a335e3a4fc328bf5beb436012afca590b1a11466e2206' },
        getnetworkinfo: { version: 290100, subversion: '/Satoshi:29.1.0/' },
      };
      if (method in answers) response.end(JSON.stringify({ result: answers[method], error: null, id }));
      else {
        response.statusCode = HTTP_INTERNAL_SERVER_ERROR;
        response.end(JSON.stringify({ result: null, error: { code: RPC_METHOD_NOT_FOUND, message: 'Method not found' }, id }));
      }
    });
  });
  server.on('connection', (socket) => {
    if (toDrop > 0) {
      toDrop--;
      dropped++;
      socket.destroy();
      return;
    }
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    dropped: () => dropped,
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
