/**
 * The copy an instructor hands out (`lnlab export --without-solutions`): no answers anywhere in it, and
 * still a whole workshop — every notebook runs to its last cell in real Jupyter, `lnlab grade` grades the
 * skeletons as ordinary ❌ (never a crash), `lnlab reset` restores a skeleton, `solution()` says the
 * answers are not in the copy.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXERCISES, PROJECT_ROOT, startThrowawayNode } from '../../src/internal.js';
import { nbclientPython, limitConcurrency } from '../notebooks/jupyter-run.js';
import { runProblems } from '../notebooks/run-verdicts.js';
import type { Notebook } from '../../src/curriculum/notebook-format.js';

const LNLAB = join(PROJECT_ROOT, 'bin', 'lnlab.js');
let root: string;
let copy: string;
let home: string;

/** Runs a command in the copy; resolves with its exit code and output. */
function run(file: string, args: string[], env: NodeJS.ProcessEnv = {}, timeout = 180_000): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(file, args, { cwd: copy, env: { ...process.env, LNLAB_HOME: home, ...env }, timeout, maxBuffer: 32 * 1024 * 1024 }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

/** The copy's own `node_modules`: the installed packages, but `lightning-lab` is the copy itself. */
function linkNodeModules(target: string): void {
  const modules = join(target, 'node_modules');
  mkdirSync(modules);
  for (const name of readdirSync(join(PROJECT_ROOT, 'node_modules'))) {
    if (name === 'lightning-lab') continue;
    symlinkSync(join(PROJECT_ROOT, 'node_modules', name), join(modules, name));
  }
  symlinkSync('..', join(modules, 'lightning-lab'));
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'lnlab-export-'));
  copy = join(root, 'handout');
  home = join(root, 'home');
  const made = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    execFile(process.execPath, [LNLAB, 'export', '--without-solutions', copy], { env: process.env }, (err, stdout, stderr) => resolve({ code: err ? 1 : 0, stdout, stderr }));
  });
  expect(made.code, made.stderr).toBe(0);
  expect(made.stdout).toContain('without solutions/');
  linkNodeModules(copy);
}, 120_000);

afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

describe('lnlab export --without-solutions', () => {
  it('leaves the answers, the tests and their history out', () => {
    expect(existsSync(join(copy, 'solutions'))).toBe(false);
    expect(existsSync(join(copy, 'tests'))).toBe(false);
    expect(existsSync(join(copy, 'src', 'node', 'channel-monitor.ts'))).toBe(true);
    expect(existsSync(join(copy, 'notebooks', '01-channel-monitor.ipynb'))).toBe(true);
    expect(readFileSync(join(copy, 'README.md'), 'utf8')).toContain('This copy of Lightning Lab has no solutions');
    expect(JSON.parse(readFileSync(join(copy, 'package.json'), 'utf8')).scripts.test).toBe('node bin/lnlab.js grade');
  });

  it('refuses a folder that is not empty, changing nothing', async () => {
    const made = await run(process.execPath, [LNLAB, 'export', '--without-solutions', copy]);
    expect(made.code).not.toBe(0);
    expect(made.stderr).toContain('is not empty');
  });

  it('lnlab grade grades every shipped skeleton as an ordinary ❌', async () => {
    const graded = await run(process.execPath, [join(copy, 'bin', 'lnlab.js'), 'grade', '--json']);
    const lines = graded.stdout.trim().split('\n').map((line) => JSON.parse(line) as { id: string; passed: boolean; tests: Array<{ message?: string }>; problem?: string });
    expect(lines.map((l) => l.id).sort(), graded.stderr).toEqual(EXERCISES.map((e) => e.id).sort());
    for (const line of lines) {
      expect(line.passed, line.id).toBe(false);
      expect(line.problem, line.id).toBeUndefined();
      // An ordinary check failure (the skeleton's own), never the grader failing to run it.
      expect(line.tests.length, line.id).toBeGreaterThan(0);
      for (const test of line.tests) expect(test.message ?? '', line.id).not.toMatch(/grading process|could not be built|Access to this API|Cannot find module/);
    }
  }, 300_000);

  it('lnlab reset restores a skeleton, and solution() says the answers are not in this copy', async () => {
    const reset = await run(process.execPath, [join(copy, 'bin', 'lnlab.js'), 'reset', 'watchChannel']);
    expect(reset.code, reset.stderr).toBe(0);
    expect(reset.stdout).toContain('reset to its skeleton');
    const script = `import { recordProgress } from './src/workshop/progress.ts';\nimport { solution } from './src/workshop/notebook.ts';\nrecordProgress('watchChannel', true);\nsolution('watchChannel');`;
    writeFileSync(join(copy, 'ask-solution.mts'), script);
    const asked = await run(process.execPath, ['--import', 'tsx', 'ask-solution.mts']);
    expect(asked.stdout, asked.stderr).toContain('This copy of the workshop has no solutions');
    expect(asked.stdout).not.toContain('persistNewChannel');
  });

  it('lnlab doctor says the copy has no solutions, as an ordinary ✅ line', async () => {
    const doctor = await run(process.execPath, [join(copy, 'bin', 'lnlab.js'), 'doctor']);
    expect(doctor.stdout).toMatch(/✅ solutions: no solutions\/ in this copy/);
    const own = await new Promise<string>((resolve) => execFile(process.execPath, [LNLAB, 'doctor'], { env: { ...process.env, LNLAB_HOME: home } }, (_err, stdout) => resolve(stdout)));
    expect(own).toMatch(/✅ solutions: solutions\/ is here/);
  });

  it('runs every notebook in Jupyter to its last cell, each check ❌, each part it lacks explained', async () => {
    const node = await startThrowawayNode();
    try {
      const env = { LNLAB_RPC_URL: node.config.url, LNLAB_RPC_USER: node.config.username, LNLAB_RPC_PASSWORD: node.config.password, JUPYTER_RUNTIME_DIR: join(home, 'runtime') };
      const registered = await run(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', "const k = await import('./src/workshop/setup/kernel.ts'); process.stdout.write(k.registerKernel());"], env);
      expect(registered.code, registered.stderr).toBe(0);
      const jupyterPath = registered.stdout.trim();
      const names = readdirSync(join(copy, 'notebooks')).filter((f) => f.endsWith('.ipynb')).map((f) => f.replace(/\.ipynb$/, '')).sort();
      const runs = limitConcurrency(names.map((name) => async () => {
        const result = join(home, `${name}.result.json`);
        const ran = await run(nbclientPython(), [join(PROJECT_ROOT, 'tests', 'notebooks', 'run_notebook.py'), join(copy, 'notebooks', `${name}.ipynb`), result], { ...env, JUPYTER_PATH: jupyterPath }, 400_000);
        expect(ran.code, ran.stderr).toBe(0);
        const parsed = JSON.parse(readFileSync(result, 'utf8')) as { notebook: Notebook; statuses: (string | null)[]; error: string | null };
        return { name, problems: runProblems(name, 'skeletons', parsed) };
      }), 2);
      for (const { name, problems } of await Promise.all(runs)) expect(problems, name).toEqual([]);
    } finally {
      await node.stop();
    }
  }, 900_000);
});
