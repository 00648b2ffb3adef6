/**
 * Random ids and secrets for the room. Tokens are the only thing between a stranger on the same network
 * and the room, so they are long random strings compared in constant time.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * 128 random bits: out of reach of guessing over a network (2^127 tries on average), and still short
 * enough (22 characters) to read out or paste.
 */
const TOKEN_BYTES = 16;
/** Learner and report ids only need to be unique, not secret: 96 bits make a collision negligible. */
const ID_BYTES = 12;

/** A new join or view token: 22 URL-safe characters. */
export function newToken(): string {
  return randomBytes(TOKEN_BYTES).toString('base64url');
}

/** A new learner or report id: 16 URL-safe characters. */
export function newRoomId(): string {
  return randomBytes(ID_BYTES).toString('base64url');
}

/** Tokens look like this; anything else is refused before it is compared. */
export const TOKEN_PATTERN = /^[A-Za-z0-9_-]{16,128}$/;

/** Whether `given` equals `expected`, in time that does not depend on where they differ. */
export function sameToken(given: string | undefined, expected: string): boolean {
  if (given === undefined) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
