/**
 * The class server's two secrets, made on its first run and kept in its data directory so a restart
 * keeps the room: the join token (handed to learners; lets them report) and the view token (the
 * instructor's; lets a browser see the room). They are separate so a learner who has the join line
 * cannot watch the class.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ClassDataError } from './errors.js';
import { newToken, TOKEN_PATTERN } from './ids.js';

export interface ClassTokens {
  readonly joinToken: string;
  readonly viewToken: string;
  readonly createdAt: string;
}

const TOKENS_FILE = 'tokens.json';
const TOKENS_FORMAT_VERSION = 1;
/** Owner-only: the tokens are the room's only lock. */
const SECRET_FILE_MODE = 0o600;
const SECRET_DIR_MODE = 0o700;

/** Creates `dir` (owner-only) if needed and returns its tokens, making them on the first run. */
export function loadOrCreateTokens(dir: string): ClassTokens {
  const file = join(dir, TOKENS_FILE);
  try {
    mkdirSync(dir, { recursive: true, mode: SECRET_DIR_MODE });
  } catch (err) {
    throw new ClassDataError(`lnlab class serve: cannot create the data directory ${dir} (${(err as NodeJS.ErrnoException).code ?? err})`,
      'choose a folder you can write to with --data DIR', { cause: err });
  }
  if (existsSync(file)) return readTokens(file);
  const tokens: ClassTokens = Object.freeze({ joinToken: newToken(), viewToken: newToken(), createdAt: new Date().toISOString() });
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, `${JSON.stringify({ formatVersion: TOKENS_FORMAT_VERSION, ...tokens }, null, 2)}\n`, { mode: SECRET_FILE_MODE });
  renameSync(temp, file);
  return tokens;
}

function readTokens(file: string): ClassTokens {
  const broken = (detail: string): never => {
    throw new ClassDataError(`lnlab class serve: ${file}: expected the class's tokens, got ${detail}`,
      `move the file away to make new tokens (learners then join again), or point --data at another folder`);
  };
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    return broken(err instanceof SyntaxError ? 'a file that is not JSON' : `an unreadable file (${(err as NodeJS.ErrnoException).code ?? err})`);
  }
  const record = parsed as Partial<Record<keyof ClassTokens | 'formatVersion', unknown>>;
  if (record.formatVersion !== TOKENS_FORMAT_VERSION) return broken(`format version ${String(record.formatVersion)}`);
  const { joinToken, viewToken, createdAt } = record;
  if (typeof joinToken !== 'string' || !TOKEN_PATTERN.test(joinToken) || typeof viewToken !== 'string' || !TOKEN_PATTERN.test(viewToken)) {
    return broken('tokens that are not 16–128 characters of [A-Za-z0-9_-]');
  }
  return Object.freeze({ joinToken, viewToken, createdAt: typeof createdAt === 'string' ? createdAt : '' });
}
