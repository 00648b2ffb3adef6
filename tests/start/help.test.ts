/**
 * Help at every level: `--help` and `-h` after `lnlab`, after each command and after each `regtest`
 * subcommand, and `lnlab help <command …>`, print that level's usage on stdout and exit 0 — without doing
 * the command. A word that is not a command still exits 2 with the usage on stderr.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findFreePort } from '../../src/internal.js';
import { runCli } from '../../src/cli/main.js';
import { runLnlab, type CliResult } from '../helpers/cli.js';

/** Each level's arguments and the first line its usage begins with. */
const LEVELS: ReadonlyArray<readonly [readonly string[], string]> = [
  [[], 'lnlab — Lightning Lab, the Lightning node workshop'],
  [['start'], 'lnlab start [--no-browser] [--port N]'],
  [['doctor'], 'lnlab doctor'],
  [['regtest'], 'lnlab regtest <command>'],
  [['regtest', 'start'], 'lnlab regtest start'],
  [['regtest', 'stop'], 'lnlab regtest stop'],
  [['regtest', 'status'], 'lnlab regtest status'],
  [['regtest', 'mine'], 'lnlab regtest mine [N]'],
  [['regtest', 'reset'], 'lnlab regtest reset'],
  [['grade'], 'Grading:'],
  [['reset'], 'Grading:'],
  [['help'], 'lnlab help [command [subcommand]]'],
];

/**
 * Every level is asked in-process through `runCli` (what `bin/lnlab.js` runs), which is quick; the
 * real command, in a child process as a learner runs it, is asked at a few levels (`REAL_PROCESS`):
 * each such run costs about a second of loading.
 */
const REAL_PROCESS: readonly (readonly string[])[] = [['--help'], ['-h'], ['regtest', 'mine', '--help'], ['start', '-h'], ['bogus']];
/** Runs at most this many `lnlab` processes at once: the machine has two cores, shared. */
const PARALLEL = 3;

let home: string;
let savedEnv: NodeJS.ProcessEnv;
const results = new Map<string, CliResult>();
const processes = new Map<string, CliResult>();

/** Every invocation the tests look at. */
function invocations(): string[][] {
  const all: string[][] = [['help'], ['bogus'], ['regtest', 'bogus'], ['help', 'bogus'], ['start', '--bogus'], ['doctor', 'extra']];
  for (const [path] of LEVELS) {
    all.push([...path, '--help'], [...path, '-h']);
    if (path.length > 0 && path[0] !== 'help') all.push(['help', ...path]);
  }
  return all;
}

async function inProcess(args: readonly string[]): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, { out: (text) => (stdout += `${text}\n`), err: (text) => (stderr += `${text}\n`) });
  return { code, stdout, stderr };
}

beforeAll(async () => {
  home = mkdtempSync(join(tmpdir(), 'lnlab-help-'));
  // No node anywhere near: a help that ran its command would fail or start one, and the tests see it.
  const env = { LNLAB_HOME: home, LNLAB_RPC_URL: `http://127.0.0.1:${await findFreePort()}` };
  savedEnv = { ...process.env };
  Object.assign(process.env, env);
  for (const args of invocations()) results.set(args.join(' '), await inProcess(args));
  const queue = [...REAL_PROCESS];
  await Promise.all(
    Array.from({ length: PARALLEL }, async () => {
      for (let args = queue.shift(); args; args = queue.shift()) processes.set(args.join(' '), await runLnlab([...args], env));
    }),
  );
}, 120_000);

afterAll(() => {
  process.env = savedEnv;
  rmSync(home, { recursive: true, force: true });
});

function result(args: readonly string[]): CliResult {
  const found = results.get(args.join(' '));
  if (!found) throw new Error(`not run: lnlab ${args.join(' ')}`);
  return found;
}

describe('lnlab help at every level', () => {
  for (const [path, firstLine] of LEVELS) {
    for (const flag of ['--help', '-h']) {
      it(`lnlab ${[...path, flag].join(' ')}`, () => {
        const answer = result([...path, flag]);
        expect(answer.code, answer.stderr).toBe(0);
        expect(answer.stdout.split('\n')[0]).toBe(firstLine);
        expect(answer.stderr).toBe('');
      });
    }
    if (path.length > 0 && path[0] !== 'help') {
      it(`lnlab help ${path.join(' ')}`, () => {
        const answer = result(['help', ...path]);
        expect(answer.code, answer.stderr).toBe(0);
        expect(answer.stdout.split('\n')[0]).toBe(firstLine);
      });
    }
  }

  it('lnlab help lists every command, and says how to get one command\'s help', () => {
    const answer = result(['help']);
    expect(answer.code).toBe(0);
    for (const command of ['start', 'doctor', 'regtest', 'grade', 'reset', 'help']) expect(answer.stdout).toMatch(new RegExp(`^  lnlab ${command}\\b`, 'm'));
    expect(answer.stdout).toContain('`lnlab <command> --help` (or -h) explains one command');
  });

  it('a help does not do the command (no node was started)', () => {
    expect(existsSync(join(home, 'regtest', 'node.json'))).toBe(false);
    expect(existsSync(join(home, 'workshop.json'))).toBe(false);
  });

  it('an unknown word exits 2 with that level\'s usage on stderr', () => {
    const cases: ReadonlyArray<readonly [readonly string[], string, string]> = [
      [['bogus'], 'lnlab: unknown command "bogus"', 'lnlab — Lightning Lab'],
      [['regtest', 'bogus'], 'lnlab regtest: unknown command "bogus"', 'lnlab regtest <command>'],
      [['help', 'bogus'], 'lnlab help: unknown command "bogus"', 'lnlab — Lightning Lab'],
      [['start', '--bogus'], 'lnlab start: unknown option "--bogus"', 'lnlab start [--no-browser] [--port N]'],
      [['doctor', 'extra'], 'lnlab doctor: takes no arguments, got "extra"', 'lnlab doctor'],
    ];
    for (const [args, message, usage] of cases) {
      const answer = result(args);
      expect(answer.code, `lnlab ${args.join(' ')}`).toBe(2);
      expect(answer.stderr).toContain(message);
      expect(answer.stderr).toContain(usage);
      expect(answer.stdout).toBe('');
    }
  });

  it('the real command answers the same as runCli, exit code and text', () => {
    for (const args of REAL_PROCESS) {
      const real = processes.get(args.join(' '))!;
      const expected = result(args);
      expect(real.code, `lnlab ${args.join(' ')}: ${real.stderr}`).toBe(expected.code);
      expect(real.stdout).toBe(expected.stdout);
      expect(real.stderr).toBe(expected.stderr);
    }
  });
});
