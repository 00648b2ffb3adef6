/**
 * Which class a learner is in: `<LNLAB_HOME>/class.json`, written by `lnlab class join` (or, when the
 * instructor hands out the environment variable `LNLAB_CLASS=<url>#<join token>` instead, on the first
 * report). It holds the class's URL and join token and the learner's random id and name; the id stays
 * the same across re-joins of one class, so the room shows one row per learner.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { lnlabHome } from '../workshop/setup/paths.js';
import { ClassJoinError } from './errors.js';
import { newRoomId, TOKEN_PATTERN } from './ids.js';
import { MAX_NAME_CHARS } from './protocol.js';

/** The environment variable that puts a learner in a class without a join command: `<url>#<join token>`. */
export const CLASS_ENV = 'LNLAB_CLASS';
/** The learner's name when they join through `LNLAB_CLASS` (else JupyterHub's user name, else the login). */
export const NAME_ENV = 'LNLAB_NAME';
const MEMBERSHIP_FILE = 'class.json';
const MEMBERSHIP_FORMAT_VERSION = 1;
/** The file holds the join token: owner-only. */
const SECRET_FILE_MODE = 0o600;

export interface ClassMembership {
  readonly url: string;
  readonly joinToken: string;
  readonly learnerId: string;
  readonly name: string;
  readonly joinedAt: string;
  /** Set by `lnlab class leave`: this class's `LNLAB_CLASS` no longer re-joins it by itself. */
  readonly left?: boolean;
}

/** A class to join: its URL and join token. */
export interface ClassTarget {
  readonly url: string;
  readonly joinToken: string;
}

export function membershipFile(home: string = lnlabHome()): string {
  return join(home, MEMBERSHIP_FILE);
}

/** `http(s)://host:port[/path]`, without a trailing slash, query or fragment; throws `ClassJoinError`. */
export function normalizeClassUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new ClassJoinError('CLASS_BAD_TARGET', `lnlab class join: expected the class URL (http://<address>:<port>), got ${JSON.stringify(text)}`,
      'copy the join line your instructor gave you exactly');
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.username || url.password) {
    throw new ClassJoinError('CLASS_BAD_TARGET', `lnlab class join: expected an http:// or https:// URL without a user name, got ${JSON.stringify(text)}`,
      'copy the join line your instructor gave you exactly');
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

/** Checks a join token's shape (not whether the server takes it: `lnlab class join` asks it). */
export function checkJoinToken(token: string): string {
  if (!TOKEN_PATTERN.test(token)) {
    throw new ClassJoinError('CLASS_BAD_TARGET', `lnlab class join: expected a join token of 16 or more characters of [A-Za-z0-9_-], got ${JSON.stringify(token)}`,
      'copy the token from the join line your instructor gave you');
  }
  return token;
}

/** Parses `<url>#<join token>` (the form of `LNLAB_CLASS`); throws `ClassJoinError`. */
export function parseClassTarget(text: string): ClassTarget {
  const hash = text.lastIndexOf('#');
  if (hash < 0) {
    throw new ClassJoinError('CLASS_BAD_TARGET', `${CLASS_ENV}: expected <url>#<join token>, got ${JSON.stringify(text)}`,
      `set it exactly as your instructor wrote it, e.g. ${CLASS_ENV}=http://192.168.1.20:8390#<token>`);
  }
  return { url: normalizeClassUrl(text.slice(0, hash)), joinToken: checkJoinToken(text.slice(hash + 1)) };
}

/** The name a learner joins under when they give none: `LNLAB_NAME`, JupyterHub's user, the login name. */
export function defaultLearnerName(env: NodeJS.ProcessEnv = process.env): string {
  let login = '';
  try {
    login = userInfo().username;
  } catch {
    // no user database entry (some containers)
  }
  return (env[NAME_ENV] || env.JUPYTERHUB_USER || login || 'learner').trim().slice(0, MAX_NAME_CHARS);
}

/** The membership on disk, or `undefined` (none, or unreadable: then the learner is not in a class). */
export function readMembership(home: string): ClassMembership | undefined {
  try {
    const value = JSON.parse(readFileSync(membershipFile(home), 'utf8')) as Partial<ClassMembership> & { formatVersion?: unknown };
    if (value.formatVersion !== MEMBERSHIP_FORMAT_VERSION) return undefined;
    const { url, joinToken, learnerId, name, joinedAt, left } = value;
    if (typeof url !== 'string' || typeof joinToken !== 'string' || typeof learnerId !== 'string' || typeof name !== 'string') return undefined;
    return { url, joinToken, learnerId, name, joinedAt: typeof joinedAt === 'string' ? joinedAt : '', ...(left === true ? { left } : {}) };
  } catch {
    return undefined;
  }
}

/** Writes the membership atomically (temp file + rename), owner-only. */
export function writeMembership(home: string, membership: ClassMembership): void {
  mkdirSync(home, { recursive: true });
  const file = membershipFile(home);
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, `${JSON.stringify({ formatVersion: MEMBERSHIP_FORMAT_VERSION, ...membership }, null, 2)}\n`, { mode: SECRET_FILE_MODE });
  renameSync(temp, file);
}

export function removeMembership(home: string): void {
  rmSync(membershipFile(home), { force: true });
}

export function isSameClass(a: ClassTarget, b: ClassTarget): boolean {
  return a.url === b.url && a.joinToken === b.joinToken;
}

/**
 * The class to report to, or `undefined`. `class.json` is it, unless `LNLAB_CLASS` names another class:
 * then the environment wins (it is how a JupyterHub hands a class to every learner), and a membership
 * for it is made with a fresh learner id — `onNewClass` runs first, so the previous class's unsent
 * reports are not sent to the new one.
 */
export function activeMembership(home: string, env: NodeJS.ProcessEnv, onNewClass: () => void): ClassMembership | undefined {
  const current = readMembership(home);
  const fromEnv = env[CLASS_ENV];
  if (!fromEnv) return current && !current.left ? current : undefined;
  let target: ClassTarget;
  try {
    target = parseClassTarget(fromEnv);
  } catch {
    // A malformed variable must not break a check cell; `lnlab class status` explains it.
    return current && !current.left ? current : undefined;
  }
  if (current && isSameClass(current, target)) return current.left ? undefined : current;
  onNewClass();
  const joined: ClassMembership = { ...target, learnerId: newRoomId(), name: defaultLearnerName(env), joinedAt: new Date().toISOString() };
  writeMembership(home, joined);
  return joined;
}

/** Whether any membership file exists (for `lnlab class status` to tell "left" from "never joined"). */
export function hasMembershipFile(home: string): boolean {
  return existsSync(membershipFile(home));
}
