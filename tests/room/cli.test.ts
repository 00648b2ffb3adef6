/**
 * `lnlab class` as typed at a terminal: usage at every level (exit 0), clear errors for a bad join line
 * (exit 1 or 2, nothing written), and `join` / `status` / `leave` saying what they did.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findFreePort } from '../../src/internal.js';
import { startClassServer, type RunningClassServer } from '../../src/room/server.js';
import { runLnlab } from '../helpers/cli.js';
import { useTempDirs } from '../grade/temp-dirs.js';

const tempDir = useTempDirs('lnlab-room-cli-');
let server: RunningClassServer;
let url: string;

beforeAll(async () => {
  server = await startClassServer({ dataDir: join(await tempDir(), 'data'), port: 0, host: '127.0.0.1' });
  url = `http://127.0.0.1:${server.port}`;
});
afterAll(async () => {
  await server?.close();
});

describe('lnlab class: usage', () => {
  it.each([
    [['class', '--help']], [['class', '-h']], [['class', 'help']],
    [['class', 'serve', '--help']], [['class', 'join', '-h']], [['class', 'status', '--help']], [['class', 'leave', '-h']],
  ])('lnlab %j prints the usage and exits 0', async (args) => {
    const run = await runLnlab(args, { LNLAB_HOME: await tempDir() });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('lnlab class serve [--port N] [--host H] [--data DIR]');
    expect(run.stdout).toContain('lnlab class join <url> <token> --name "<your name>"');
    expect(run.stdout).toContain('Never your code.');
  });

  it('lnlab help lists the class command', async () => {
    const run = await runLnlab(['help'], { LNLAB_HOME: await tempDir() });
    expect(run.stdout).toContain('lnlab class <serve|join|status|leave>');
  });

  it('an unknown subcommand or option is a usage error (exit 2)', async () => {
    for (const args of [['class', 'dance'], ['class'], ['class', 'serve', '--colour', 'red'], ['class', 'serve', '--port', 'eighty']]) {
      const run = await runLnlab(args, { LNLAB_HOME: await tempDir() });
      expect(run.code, args.join(' ')).toBe(2);
      expect(run.stderr).toMatch(/❌ lnlab class/);
    }
  });
});

describe('lnlab class join / status / leave', () => {
  it('refuses a bad line before asking anyone, and nothing is written', async () => {
    const home = await tempDir();
    const cases: Array<[string[], RegExp, number]> = [
      [['class', 'join'], /expected the class URL and join token from your instructor/, 2],
      [['class', 'join', 'ftp://example.invalid', 'abcdefghijklmnopqrstuv'], /expected an http:\/\/ or https:\/\/ URL/, 1],
      [['class', 'join', url, 'short'], /expected a join token of 16 or more characters/, 1],
      [['class', 'join', url, server.tokens.joinToken, '--name', ' '], /expected a name of 1 to 60 printable characters/, 2],
    ];
    for (const [args, message, code] of cases) {
      const run = await runLnlab(args, { LNLAB_HOME: home, LNLAB_CLASS: '' });
      expect(run.code, args.join(' ')).toBe(code);
      expect(run.stderr).toMatch(message);
    }
    expect(existsSync(join(home, 'class.json'))).toBe(false);
  });

  it('no server at the address: a clear error, exit 1', async () => {
    const home = await tempDir();
    const run = await runLnlab(['class', 'join', `http://127.0.0.1:${await findFreePort()}`, server.tokens.joinToken, '--name', 'Ada'], { LNLAB_HOME: home });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/expected the class server to answer at http:\/\/127\.0\.0\.1:\d+, got ECONNREFUSED\n→ check the address with your instructor/);
    expect(existsSync(join(home, 'class.json'))).toBe(false);
  });

  it('join, status, join again (same learner), leave, status', async () => {
    const home = await tempDir();
    const env = { LNLAB_HOME: home };
    const notYet = await runLnlab(['class', 'status'], env);
    expect(notYet.stdout).toContain('not in a class: nothing is shared');

    const joined = await runLnlab(['class', 'join', `${url}#${server.tokens.joinToken}`, '--name', 'Ada Lovelace'], env);
    expect(joined.code).toBe(0);
    expect(joined.stdout).toContain(`joined the class at ${url} as "Ada Lovelace"`);
    const status = await runLnlab(['class', 'status'], env);
    expect(status.stdout).toContain(`in the class at ${url} as "Ada Lovelace"`);
    expect(status.stdout).toContain('nothing waiting');

    const again = await runLnlab(['class', 'join', url, server.tokens.joinToken, '--name', 'Ada'], env);
    expect(again.stdout).toContain('as "Ada" (again)');
    expect(server.state.snapshot().learners.filter((l) => l.name.startsWith('Ada')).map((l) => l.name)).toEqual(['Ada']);

    const left = await runLnlab(['class', 'leave'], env);
    expect(left.stdout).toContain(`left the class at ${url}: nothing more is shared`);
    const after = await runLnlab(['class', 'status'], env);
    expect(after.stdout).toContain(`you left the class at ${url}`);
    expect((await runLnlab(['class', 'leave'], env)).stdout).toContain('not in a class: nothing to leave');
  });
});
