/**
 * `lnlab class`: the live view of the room. The instructor runs `serve`; learners `join`, see `status`
 * and `leave`. The work is in `src/room/`; this file parses arguments and says what happened.
 */
import { join } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { lnlabHome } from '../workshop/setup/paths.js';
import { postJson } from '../room/client.js';
import { ClassJoinError, RoomRequestError } from '../room/errors.js';
import { advertisedHost } from '../room/lan.js';
import {
  CLASS_ENV, checkJoinToken, defaultLearnerName, isSameClass, normalizeClassUrl, parseClassTarget, readMembership, writeMembership,
  type ClassTarget,
} from '../room/membership.js';
import { discardOutbox } from '../room/outbox.js';
import { checkName, JOIN_PATH } from '../room/protocol.js';
import { flushReports } from '../room/reporter.js';
import { newRoomId } from '../room/ids.js';
import { startClassServer, type ClassServerEvent } from '../room/server.js';
import { complain, FAIL, INFO, OK, say, WARN } from './output.js';
import { UsageError } from './usage.js';

/** The class server's port unless told otherwise: clear of Jupyter (8888…) and the regtest RPC (18443). */
export const DEFAULT_CLASS_PORT = 8390;
/** Every interface: the learners' laptops reach the server over the room's network. */
export const DEFAULT_CLASS_HOST = '0.0.0.0';
/** `join` waits this long for the server's answer; a LAN answers in milliseconds. */
const JOIN_TIMEOUT_MS = 5_000;
/** `status` sends the backlog, giving it this long. */
const STATUS_FLUSH_MS = 8_000;
/** The same refusal from one address is printed at most once in this long (a typo retried in a loop). */
const REFUSAL_QUIET_MS = 60_000;

export const CLASS_USAGE = `lnlab class <command>

For the instructor:
  lnlab class serve [--port N] [--host H] [--data DIR]
      run the class server; prints the line learners join with and the URL of your page (Ctrl-C stops)
      --port N    port to listen on (default ${DEFAULT_CLASS_PORT}; 0 picks a free one)
      --host H    address to listen on (default ${DEFAULT_CLASS_HOST}: every interface, so the room's network reaches it)
      --data DIR  where the tokens and every report received are kept (default $LNLAB_HOME/class-server)

For learners:
  lnlab class join <url> <token> --name "<your name>"
      join the class your instructor runs (or set ${CLASS_ENV}=<url>#<token> and run: lnlab class join --name "<your name>")
  lnlab class status     are you in a class, and how many verdicts wait to be sent (sends them)
  lnlab class leave      stop sharing with the class

What is shared: after every check cell and \`lnlab grade\`, each exercise's id, whether it passed, the
name of the first failing check, and when. Never your code.`;

function parse<T extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: T) {
  try {
    return parseArgs({ args, options: { ...options, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError(`lnlab class: ${(err as Error).message}`, CLASS_USAGE);
  }
}

function portFrom(text: string | undefined): number {
  if (text === undefined) return DEFAULT_CLASS_PORT;
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new UsageError(`lnlab class serve: --port expects a port number from 0 to 65535, got "${text}"`, CLASS_USAGE);
  return port;
}

/** What the running server prints for the instructor: joins, refusals (not too often), failures. */
function eventPrinter(): (event: ClassServerEvent) => void {
  const lastRefusal = new Map<string, number>();
  return (event) => {
    const time = new Date().toTimeString().slice(0, 8);
    if (event.type === 'joined') say(`${time} ➕ ${event.name} ${event.again ? 'joined again' : 'joined'}`);
    else if (event.type === 'failed') complain(`${time} ${FAIL} ${event.message}`);
    else {
      const key = `${event.remote} ${event.reason}`;
      const now = Date.now();
      if (now - (lastRefusal.get(key) ?? 0) < REFUSAL_QUIET_MS) return;
      lastRefusal.set(key, now);
      say(`${time} ⛔ refused a request from ${event.remote}: ${event.reason} (a learner with a mistyped join line?)`);
    }
  };
}

async function serveCommand(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, { port: { type: 'string' }, host: { type: 'string' }, data: { type: 'string' } });
  if (values.help) return usage();
  if (positionals.length > 0) throw new UsageError(`lnlab class serve: takes no arguments, got ${positionals.join(' ')}`, CLASS_USAGE);
  const dataDir = (values.data as string | undefined) ?? join(lnlabHome(), 'class-server');
  const host = (values.host as string | undefined) ?? DEFAULT_CLASS_HOST;
  const server = await startClassServer({ dataDir, host, port: portFrom(values.port as string | undefined), onEvent: eventPrinter() });
  const advertised = advertisedHost(host);
  const base = `http://${advertised.host}:${server.port}`;
  const { learnerCount, reports } = server.state;
  say(`${OK} Lightning Lab class server on port ${server.port} — ${learnerCount} learner${learnerCount === 1 ? '' : 's'}, ${reports} report${reports === 1 ? '' : 's'} so far`);
  say(`   data: ${dataDir}`);
  if (server.skippedLines > 0) say(`${WARN}${server.skippedLines} unreadable line(s) in the report log were skipped`);
  say();
  say('Learners join with (hand this line out):');
  say(`  npx lnlab class join ${base} ${server.tokens.joinToken} --name "<your name>"`);
  say('or with this environment variable (e.g. set for every user of a JupyterHub):');
  say(`  ${CLASS_ENV}=${base}#${server.tokens.joinToken}`);
  say();
  say('Your view of the room (keep this URL to yourself):');
  say(`  ${base}/?view=${server.tokens.viewToken}`);
  if (!advertised.lanFound) say(`${WARN}no network address found besides this machine's own: learners on other machines cannot reach 127.0.0.1`);
  if (advertised.others.length > 0) say(`${INFO}this machine is also reachable at ${advertised.others.join(', ')} (same port)`);
  say();
  say(`Ctrl-C stops the server; everything it received stays in ${dataDir} for the next start.`);
  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    for (const name of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.once(name, () => resolve(name));
  });
  await server.close();
  say(`${INFO}class server stopped (${signal}); ${server.state.reports} reports kept in ${dataDir}`);
  return 0;
}

/** `join <url> <token>`, `join <url>#<token>`, or `join` with `LNLAB_CLASS` set. */
function targetFrom(positionals: string[]): ClassTarget {
  if (positionals.length === 2) return { url: normalizeClassUrl(positionals[0]!), joinToken: checkJoinToken(positionals[1]!) };
  if (positionals.length === 1) return parseClassTarget(positionals[0]!);
  if (positionals.length === 0 && process.env[CLASS_ENV]) return parseClassTarget(process.env[CLASS_ENV]!);
  throw new UsageError('lnlab class join: expected the class URL and join token from your instructor, e.g. lnlab class join http://192.168.1.20:8390 <token> --name "Ada"', CLASS_USAGE);
}

async function joinCommand(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, { name: { type: 'string' } });
  if (values.help) return usage();
  const target = targetFrom(positionals);
  let name: string;
  try {
    name = checkName('lnlab class join --name', (values.name as string | undefined) ?? defaultLearnerName());
  } catch (err) {
    throw new UsageError(err instanceof RoomRequestError ? err.message : String(err), CLASS_USAGE);
  }
  const home = lnlabHome();
  const previous = readMembership(home);
  const sameClass = previous !== undefined && isSameClass(previous, target);
  const learnerId = sameClass ? previous.learnerId : newRoomId();
  let answer;
  try {
    answer = await postJson(`${target.url}${JOIN_PATH}`, target.joinToken, { learnerId, name }, JOIN_TIMEOUT_MS);
  } catch (err) {
    throw new ClassJoinError('CLASS_UNREACHABLE', `lnlab class join: expected the class server to answer at ${target.url}, got ${(err as Error).message}`,
      'check the address with your instructor, and that your laptop is on the same network as theirs');
  }
  const said = typeof answer.body?.error === 'string' ? answer.body.error.split('\n')[0] : `HTTP ${answer.status}`;
  if (answer.status === 401) {
    throw new ClassJoinError('CLASS_TOKEN_REFUSED', `lnlab class join: the class server at ${target.url} refused the join token ${target.joinToken}`,
      'compare it with the join line your instructor gave you (it is case-sensitive) and run the line again');
  }
  if (answer.status !== 200) {
    throw new ClassJoinError('CLASS_SERVER_ERROR', `lnlab class join: expected the class server at ${target.url} to accept, got ${said}`, 'tell your instructor what it said');
  }
  if (!sameClass) discardOutbox(home);
  writeMembership(home, { ...target, learnerId, name, joinedAt: sameClass && previous.joinedAt ? previous.joinedAt : new Date().toISOString() });
  say(`${OK} joined the class at ${target.url} as "${name}"${sameClass ? ' (again)' : ''}`);
  say('   After every check cell and `lnlab grade`, your instructor sees each exercise\'s id, whether it passed,');
  say('   the name of the first failing check, and when. Never your code.');
  say('   `npx lnlab class status` shows what waits to be sent; `npx lnlab class leave` stops sharing.');
  return 0;
}

async function statusCommand(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, {});
  if (values.help) return usage();
  if (positionals.length > 0) throw new UsageError(`lnlab class status: takes no arguments, got ${positionals.join(' ')}`, CLASS_USAGE);
  const home = lnlabHome();
  const result = await flushReports(STATUS_FLUSH_MS);
  const membership = readMembership(home);
  if (!result.joined || !membership) {
    if (membership?.left) say(`${INFO}you left the class at ${membership.url}; nothing is shared. Join again with its join line.`);
    else say(`${INFO}not in a class: nothing is shared. Join with the line your instructor gives you: npx lnlab class join <url> <token> --name "<your name>"`);
    if (process.env[CLASS_ENV] && membership?.left !== true) say(`${WARN}${CLASS_ENV} is set but is not <url>#<token>: ${process.env[CLASS_ENV]}`);
    return 0;
  }
  say(`${OK} in the class at ${membership.url} as "${membership.name}"`);
  if (result.delivered > 0) say(`${OK} sent ${result.delivered} waiting verdict${result.delivered === 1 ? '' : 's'} just now`);
  if (result.waiting === 0) say(`${OK} nothing waiting: the class server has every verdict`);
  else say(`${WARN}${result.waiting} verdict${result.waiting === 1 ? '' : 's'} waiting to be sent${result.error ? `: ${result.error}` : ''}; they go with your next check, or run this again`);
  if (result.rejected > 0) say(`${WARN}${result.rejected} verdict(s) refused by the class server and set aside (is it running another workshop version?)`);
  return 0;
}

async function leaveCommand(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, {});
  if (values.help) return usage();
  if (positionals.length > 0) throw new UsageError(`lnlab class leave: takes no arguments, got ${positionals.join(' ')}`, CLASS_USAGE);
  const home = lnlabHome();
  const membership = readMembership(home);
  if (!membership || membership.left) {
    say(`${INFO}not in a class: nothing to leave`);
    return 0;
  }
  const discarded = discardOutbox(home);
  writeMembership(home, { ...membership, left: true });
  say(`${OK} left the class at ${membership.url}: nothing more is shared${discarded > 0 ? ` (${discarded} unsent verdict${discarded === 1 ? '' : 's'} discarded)` : ''}`);
  return 0;
}

function usage(): number {
  say(CLASS_USAGE);
  return 0;
}

const SUBCOMMANDS: Record<string, (args: string[]) => Promise<number>> = {
  serve: serveCommand,
  join: joinCommand,
  status: statusCommand,
  leave: leaveCommand,
  help: async () => usage(),
};

export async function classCommand(args: string[]): Promise<number> {
  const [command, ...rest] = args;
  if (command === '--help' || command === '-h') return usage();
  const run = command !== undefined && Object.hasOwn(SUBCOMMANDS, command) ? SUBCOMMANDS[command] : undefined;
  if (!run) throw new UsageError(command ? `lnlab class: unknown command "${command}"` : 'lnlab class: which command?', CLASS_USAGE);
  return run(rest);
}
