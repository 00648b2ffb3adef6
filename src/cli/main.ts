/**
 * `lnlab`: the workshop's command line. Each subcommand lives in its own file; this one only dispatches
 * and turns errors into a message and an exit code (a learner sees what to do, not a stack trace).
 */
import { WorkshopError } from '../errors.js';
import { REGTEST_USAGE, regtestCommand } from './regtest.js';
import { doctorCommand } from './doctor.js';
import { START_USAGE, startCommand } from './start.js';
import { GRADE_USAGE, gradeCommand, resetCommand } from '../grade/command.js';
import { UsageError } from './usage.js';
import { classCommand } from './class.js';
import { EXPORT_USAGE, exportCommand } from './export.js';
import { complain, FAIL, say } from './output.js';

const USAGE = `lnlab — Lightning Lab, the Lightning node workshop

Usage:
  lnlab start [--no-browser] [--port N]            start the workshop: regtest node, kernel, Jupyter
  lnlab doctor                                      check the set-up; says how to fix what is wrong
  lnlab regtest <start|stop|status|mine N|reset>   the embedded regtest chain
  lnlab grade [notebook|exercise] [--watch]        grade your exercises (--class DIR: a whole class)
  lnlab reset <exercise>                            put an exercise cell back to its skeleton (backed up)
  lnlab class <serve|join|status|leave>             a live view of the room (lnlab class --help)
  lnlab export --without-solutions DIR              a copy without the answers, to hand out
  lnlab help                                        this text

${START_USAGE}

${REGTEST_USAGE}

${GRADE_USAGE}

${EXPORT_USAGE}`;

type Command = (args: string[]) => Promise<number>;

const COMMANDS: Record<string, Command> = {
  start: startCommand,
  doctor: doctorCommand,
  regtest: regtestCommand,
  grade: gradeCommand,
  reset: resetCommand,
  class: classCommand,
  export: exportCommand,
  help: async () => {
    say(USAGE);
    return 0;
  },
};

async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  const command = COMMANDS[name ?? 'help'];
  if (!command) throw new UsageError(`lnlab: unknown command "${name}"`, USAGE);
  return command(args);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    if (err instanceof UsageError) {
      complain(`${FAIL} ${err.message}\n\n${err.usage}`);
      process.exitCode = 2;
    } else if (err instanceof WorkshopError) {
      complain(`${FAIL} ${err.message}`);
      process.exitCode = 1;
    } else {
      complain(`${FAIL} unexpected error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      process.exitCode = 1;
    }
  },
);
