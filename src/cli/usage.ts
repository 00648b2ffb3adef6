/**
 * The shape of an `lnlab` command and the help every level of it answers: `lnlab --help`,
 * `lnlab <command> --help`, `lnlab <command> <subcommand> -h` and `lnlab help <command> …` all print
 * that level's usage and exit 0, so a learner can always ask. Words that are not commands exit 2.
 */
import { WorkshopError } from '../errors.js';

/** The command line was not understood; carries the usage text to print. */
export class UsageError extends WorkshopError {
  readonly usage: string;
  constructor(message: string, usage: string) {
    super('USAGE', message);
    this.usage = usage;
  }
}

/** One command of the `lnlab` table, or one subcommand of a command (`lnlab regtest mine`). */
export interface Command {
  /** What follows `lnlab` in the list of commands, e.g. `start [--no-browser] [--port N]`. */
  readonly synopsis: string;
  /** One line for that list. */
  readonly summary: string;
  /** The full help of this level, printed by `--help`/`-h` and after a usage error. */
  readonly usage: string;
  /**
   * Runs the command with the arguments after its name. A command with `subcommands` is dispatched to
   * them instead and needs no `run`; without either it could never do anything.
   */
  readonly run?: (args: string[]) => Promise<number>;
  /** Subcommands by name, each with its own help. */
  readonly subcommands?: Readonly<Record<string, Command>>;
}

/** The flags that ask for help at any level. */
export const HELP_FLAGS: readonly string[] = ['--help', '-h'];

/** Whether `args` ask for help: `--help` or `-h` before any `--` (after it, words are data). */
export function wantsHelp(args: readonly string[]): boolean {
  const end = args.indexOf('--');
  return (end === -1 ? args : args.slice(0, end)).some((arg) => HELP_FLAGS.includes(arg));
}

/** The list of a table's commands, aligned: `  lnlab <synopsis>   <summary>`. */
export function commandList(prefix: string, table: Readonly<Record<string, Command>>): string {
  const rows = Object.values(table).map((command) => [`${prefix} ${command.synopsis}`, command.summary] as const);
  const width = Math.max(...rows.map(([left]) => left.length));
  return rows.map(([left, right]) => `  ${left.padEnd(width)}   ${right}`).join('\n');
}

/**
 * Runs the command `argv` names in `table`, answering help at whichever level it is asked for.
 * `prefix` is what the user typed so far (`lnlab`, `lnlab regtest`), `usage` that level's help.
 * Resolves with the exit code; a word that is no command throws `UsageError` (exit 2).
 */
export async function dispatch(
  prefix: string,
  usage: string,
  table: Readonly<Record<string, Command>>,
  argv: readonly string[],
  print: (text: string) => void,
): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined) throw new UsageError(`${prefix}: which command?`, usage);
  if (HELP_FLAGS.includes(name)) {
    print(usage);
    return 0;
  }
  const command = Object.hasOwn(table, name) ? table[name] : undefined;
  if (!command) throw new UsageError(`${prefix}: unknown command "${name}"`, usage);
  if (command.subcommands) {
    if (args.length === 0 && command.run) return command.run(args);
    return dispatch(`${prefix} ${name}`, command.usage, command.subcommands, args, print);
  }
  if (wantsHelp(args)) {
    print(command.usage);
    return 0;
  }
  if (!command.run) throw new UsageError(`${prefix} ${name}: nothing to run`, command.usage);
  return command.run(args);
}

/**
 * The usage of the level `path` names (`['regtest', 'mine']`), for `lnlab help regtest mine`;
 * throws `UsageError` for a word that is no command there.
 */
export function usageOf(prefix: string, usage: string, table: Readonly<Record<string, Command>>, path: readonly string[]): string {
  const [name, ...rest] = path;
  if (name === undefined) return usage;
  const command = Object.hasOwn(table, name) ? table[name] : undefined;
  if (!command) throw new UsageError(`${prefix} help: unknown command "${name}"`, usage);
  if (rest.length === 0) return command.usage;
  if (!command.subcommands) throw new UsageError(`${prefix} help: "${name}" has no subcommand "${rest[0]}"`, command.usage);
  return usageOf(`${prefix} ${name}`, command.usage, command.subcommands, rest);
}
