/**
 * `lnlab`: the workshop's command line. Each command lives in its own file and is one entry of
 * `COMMANDS` below; this file only dispatches (help included, at every level: see `usage.ts`) and
 * turns errors into a message and an exit code (a learner sees what to do, not a stack trace).
 *
 * Adding a command: write a `Command` (synopsis, summary, usage, and `run` or `subcommands`) and add it
 * to `COMMANDS`. `lnlab --help`, `lnlab <name> --help` and `lnlab help <name>` then work for it.
 */
import { WorkshopError } from '../errors.js';
import { GRADE_USAGE, gradeCommand, resetCommand } from '../grade/command.js';
import { DOCTOR_COMMAND } from './doctor.js';
import { complain, FAIL, say } from './output.js';
import { REGTEST_COMMAND } from './regtest.js';
import { START_COMMAND } from './start.js';
import { CLASS_USAGE, classCommand } from './class.js';
import { EXPORT_USAGE, exportCommand } from './export.js';
import { commandList, dispatch, type Command, UsageError, usageOf, wantsHelp } from './usage.js';

const COMMANDS: Record<string, Command> = {
  start: START_COMMAND,
  doctor: DOCTOR_COMMAND,
  regtest: REGTEST_COMMAND,
  grade: {
    synopsis: 'grade [notebook|exercise] [--watch]',
    summary: 'grade your exercises (--class DIR: a whole class)',
    usage: GRADE_USAGE,
    run: gradeCommand,
  },
  reset: {
    synopsis: 'reset <exercise>',
    summary: 'put an exercise cell back to its skeleton (backed up)',
    usage: GRADE_USAGE,
    run: resetCommand,
  },
  class: {
    synopsis: 'class <serve|join|status|leave>',
    summary: 'a live view of the room (lnlab class --help)',
    usage: CLASS_USAGE,
    run: classCommand,
  },
  export: {
    synopsis: 'export --without-solutions DIR',
    summary: 'a copy of the workshop without the answers, to hand out',
    usage: EXPORT_USAGE,
    run: exportCommand,
  },
};

/** `lnlab help [command …]`: the usage of any level; listed with the others (`runCli` answers it). */
COMMANDS.help = {
  synopsis: 'help [command]',
  summary: 'this text, or the help of one command',
  usage: 'lnlab help [command [subcommand]]\n\nPrints the help of lnlab, or of the command named.',
  async run(args) {
    say(usageOf('lnlab', USAGE, COMMANDS, args));
    return 0;
  },
};

const USAGE = `lnlab — Lightning Lab, the Lightning node workshop

Usage:
${commandList('lnlab', COMMANDS)}

\`lnlab <command> --help\` (or -h) explains one command. \`npm start\` runs \`lnlab start\`.`;

/** Where `lnlab` writes: stdout for answers, stderr for complaints. Tests pass their own. */
export interface Output {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
}

const TERMINAL: Output = { out: say, err: complain };

/**
 * Runs `lnlab <argv>` and resolves with its exit code: 0 done, 1 failed (the message says why and what
 * to do), 2 not understood (the usage follows). Never rejects: every error becomes a message.
 * `bin/lnlab.js` calls this; it has no effect on import, so tests can call it too.
 */
export async function runCli(argv: readonly string[], output: Output = TERMINAL): Promise<number> {
  try {
    if (argv.length === 0) {
      output.out(USAGE);
      return 0;
    }
    // `lnlab help <command …>` answers here, through `output`, like every other help.
    if (argv[0] === 'help' && !wantsHelp(argv.slice(1))) {
      output.out(usageOf('lnlab', USAGE, COMMANDS, argv.slice(1)));
      return 0;
    }
    return await dispatch('lnlab', USAGE, COMMANDS, argv, output.out);
  } catch (err: unknown) {
    if (err instanceof UsageError) {
      output.err(`${FAIL} ${err.message}\n\n${err.usage}`);
      return 2;
    }
    if (err instanceof WorkshopError) {
      output.err(`${FAIL} ${err.message}`);
      return 1;
    }
    output.err(`${FAIL} unexpected error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    return 1;
  }
}
