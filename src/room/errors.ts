/**
 * The room's typed failures. Learner-side ones (`ClassJoinError`) reach the `lnlab class` command and are
 * printed with their fix; server-side ones (`RoomRequestError`) become an HTTP answer with a status code
 * and the same text, so a learner's tool and a curious `curl` both read what to do.
 */
import { WorkshopError } from '../errors.js';

/** Why `lnlab class join` could not join: bad input, a refused token, or no server at that address. */
export class ClassJoinError extends WorkshopError {
  constructor(code: 'CLASS_BAD_TARGET' | 'CLASS_TOKEN_REFUSED' | 'CLASS_UNREACHABLE' | 'CLASS_SERVER_ERROR', message: string, fix: string) {
    super(code, message, fix);
  }
}

/** HTTP status codes the class server answers with, named for what they mean here. */
export const HttpStatus = Object.freeze({
  ok: 200,
  badRequest: 400,
  unauthorized: 401,
  notFound: 404,
  methodNotAllowed: 405,
  payloadTooLarge: 413,
  unsupportedMediaType: 415,
  tooManyRequests: 429,
  serviceUnavailable: 503,
});

/**
 * A request the class server refuses: `status` is the HTTP answer; `message` (with its fix) is the body.
 * `index` names the report of a batch that was refused, so the sender can set that one aside and resend
 * the others (one report that can never be accepted must not hold back the rest).
 */
export class RoomRequestError extends WorkshopError {
  readonly status: number;
  readonly index: number | undefined;
  constructor(status: number, message: string, fix: string, index?: number) {
    super('CLASS_REQUEST_REFUSED', message, fix);
    this.status = status;
    this.index = index;
  }
}

/** The data directory of `lnlab class serve` cannot be used (permissions, a full disk, a foreign file). */
export class ClassDataError extends WorkshopError {
  constructor(message: string, fix: string, options?: { cause?: unknown }) {
    super('CLASS_DATA', message, fix, options);
  }
}
