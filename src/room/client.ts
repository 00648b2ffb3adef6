/**
 * The learner side's one HTTP call: POST a JSON body with the join token, with a time limit. Built on
 * `node:http`/`node:https` rather than `fetch` so a background send can unref its socket: a send still
 * in flight never keeps a finished `lnlab grade` alive (the outbox keeps the report). A call someone
 * awaits (`lnlab class join`, `flushReports`) holds the process until it is answered or times out.
 */
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';

/** What the server answered: its status and its parsed JSON body (`undefined` if it sent none). */
export interface ServerAnswer {
  readonly status: number;
  readonly body: Record<string, unknown> | undefined;
}

/** Answers larger than this are not the class server's (it answers in a few hundred bytes). */
const MAX_ANSWER_BYTES = 64 * 1024;

/**
 * POSTs `body` as JSON to `url` with `Authorization: Bearer <token>`. Resolves with the answer, whatever
 * its status; rejects (with a short `Error`) when there is no answer within `timeoutMs`. With
 * `background: true` the request does not keep the process alive.
 */
export function postJson(url: string, token: string, body: unknown, timeoutMs: number, options: { background?: boolean } = {}): Promise<ServerAnswer> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const payload = Buffer.from(JSON.stringify(body), 'utf8');
    const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
    let settled = false;
    const finish = (error: Error | undefined, answer?: ServerAnswer) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (error) reject(error);
      else resolve(answer!);
    };
    const request = send(target, {
      method: 'POST',
      agent: false,
      headers: { 'content-type': 'application/json', 'content-length': payload.length, authorization: `Bearer ${token}` },
    }, (response: IncomingMessage) => {
      const chunks: Buffer[] = [];
      let size = 0;
      response.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size <= MAX_ANSWER_BYTES) chunks.push(chunk);
      });
      response.on('error', (err) => finish(err));
      response.on('end', () => {
        let parsed: Record<string, unknown> | undefined;
        try {
          const value = JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
          parsed = typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
        } catch {
          parsed = undefined;
        }
        finish(undefined, { status: response.statusCode ?? 0, body: parsed });
      });
    });
    // A timer, not the socket's idle timeout: the limit covers connecting, sending and the answer.
    const timer = setTimeout(() => {
      request.destroy();
      finish(new Error(`no answer within ${(timeoutMs / 1000).toFixed(1)} s`));
    }, timeoutMs);
    if (options.background) {
      timer.unref();
      request.on('socket', (socket) => socket.unref());
    }
    request.on('error', (err: NodeJS.ErrnoException) => finish(new Error(err.code ?? err.message)));
    request.end(payload);
  });
}
