/**
 * Reading a request body the way a server facing a room of laptops must: at most `limitBytes`, JSON
 * only, and every refusal a `RoomRequestError` with its status and what to do — never an exception that
 * takes the server down.
 */
import type { IncomingMessage } from 'node:http';
import { HttpStatus, RoomRequestError } from './errors.js';

/**
 * The largest body the server reads: a full batch (200 reports of about 300 bytes) is ~60 KiB; four
 * times that leaves room for long names and check names, and keeps a flood from filling memory.
 */
export const MAX_BODY_BYTES = 256 * 1024;

/** Reads and parses the JSON body of `request`; rejects with `RoomRequestError` (413, 415, 400). */
export function readJsonBody(request: IncomingMessage, limitBytes = MAX_BODY_BYTES): Promise<unknown> {
  const type = (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/json') {
    // Drain it, so the connection can answer; nothing of it is kept.
    request.resume();
    return Promise.reject(new RoomRequestError(HttpStatus.unsupportedMediaType,
      `request body: expected Content-Type application/json, got ${type ? JSON.stringify(type) : 'none'}`, 'send the body as JSON'));
  }
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > limitBytes) {
    request.resume();
    return Promise.reject(tooLarge(declared, limitBytes));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let refused = false;
    request.on('data', (chunk: Buffer) => {
      if (refused) return;
      size += chunk.length;
      if (size > limitBytes) {
        refused = true;
        chunks.length = 0;
        reject(tooLarge(size, limitBytes));
        return;
      }
      chunks.push(chunk);
    });
    request.on('error', (err) => reject(new RoomRequestError(HttpStatus.badRequest, `request body: the upload broke off (${err.message})`, 'send it again')));
    request.on('end', () => {
      if (refused) return;
      const text = Buffer.concat(chunks).toString('utf8');
      try {
        resolve(JSON.parse(text));
      } catch (err) {
        reject(new RoomRequestError(HttpStatus.badRequest, `request body: expected JSON, got text that does not parse (${(err as Error).message})`, 'send a JSON object'));
      }
    });
  });
}

function tooLarge(sizeBytes: number, limitBytes: number): RoomRequestError {
  return new RoomRequestError(HttpStatus.payloadTooLarge, `request body: expected at most ${limitBytes} bytes, got ${sizeBytes} or more`,
    'send fewer reports per request');
}
