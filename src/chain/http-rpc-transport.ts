/**
 * JSON-RPC to the regtest node over Node's own `http` module, for processes where `bitcoin-core` (the client
 * `BitcoindClient` prefers) cannot be loaded — a sandboxed grading child may read no file but its bundle,
 * and `bitcoin-core`'s dependencies (down to `dtrace-provider`'s computed `require`) cannot be bundled. Nor can `fetch` be used: it defines globals lazily on first use, which the
 * child has locked by then. `node:http` is loaded with the bundle and reads no file.
 *
 * It rejects the way `bitcoin-core` does, so `BitcoindClient` turns every failure into the same typed
 * error: an RPC error carries the node's numeric `code` and `message`; an HTTP failure without a JSON-RPC
 * body carries the HTTP status as `code` and no message; a socket failure carries the errno name as `code`.
 */
import { request as httpRequest } from 'node:http';
import type { RpcTransport } from './bitcoind-client.js';
import type { RpcConfig } from './config.js';

/** As long as `BitcoindClient` waits by default: a node mining under a loaded machine can be slow to answer. */
const RPC_TIMEOUT_MS = 30_000;
/** HTTP 2xx: the request was answered. */
const HTTP_OK_FIRST = 200;
const HTTP_OK_LAST = 299;

/** A failure shaped like `bitcoin-core`'s: see the module comment. */
function rpcFailure(code: number | string, message: string, cause?: unknown): Error {
  return Object.assign(new Error(message, { cause }), { code });
}

export class HttpRpcTransport implements RpcTransport {
  readonly #url: URL;
  readonly #authorization: string;
  #nextId = 0;

  constructor(config: RpcConfig, private readonly timeoutMs = RPC_TIMEOUT_MS) {
    this.#url = new URL(config.url);
    this.#authorization = `Basic ${Buffer.from(`${config.username}:${config.password}`).toString('base64')}`;
  }

  async command(method: string, ...params: unknown[]): Promise<unknown> {
    const { status, text } = await this.#post(method, JSON.stringify({ jsonrpc: '1.0', id: ++this.#nextId, method, params }));
    const ok = status >= HTTP_OK_FIRST && status <= HTTP_OK_LAST;
    let body: { result?: unknown; error?: { code?: number; message?: string } | null };
    try {
      body = JSON.parse(text) as typeof body;
    } catch (err) {
      if (!ok) throw rpcFailure(status, '');
      throw new SyntaxError(`${method}: the reply was not JSON`, { cause: err });
    }
    if (body?.error) throw rpcFailure(body.error.code ?? status, body.error.message ?? '');
    if (!ok) throw rpcFailure(status, '');
    return body?.result;
  }

  #post(method: string, payload: string): Promise<{ status: number; text: string }> {
    return new Promise((resolve, reject) => {
      const request = httpRequest(this.#url, {
        method: 'POST',
        headers: { authorization: this.#authorization, 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) },
      }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
        response.on('error', (err: NodeJS.ErrnoException) => reject(rpcFailure(err.code ?? 'ECONNRESET', `${method}: the reply broke off`, err)));
      });
      request.setTimeout(this.timeoutMs, () => request.destroy(Object.assign(new Error(`${method}: no answer within ${this.timeoutMs} ms`), { code: 'ETIMEDOUT' })));
      request.on('error', (err: NodeJS.ErrnoException) => reject(rpcFailure(err.code ?? 'ECONNRESET', `${method}: the request failed`, err)));
      request.end(payload);
    });
  }
}
