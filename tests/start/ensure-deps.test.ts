/**
 * `scripts/ensure-deps.js`, which `npm start` and `npm test` run before anything else: it installs the
 * locked dependencies with `npm ci` when node_modules does not match package-lock.json, and does nothing
 * when it does. Shown on a real, tiny npm project (two small packages of the workshop's own lockfile,
 * installed by real `npm ci` from npm's cache), so each install takes a second, not a minute; the
 * workshop's own fresh-clone install is in start.test.ts.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/internal.js';

interface LockEntry {
  readonly version: string;
  readonly integrity: string;
  readonly optional?: boolean;
}

const workshopLock = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, LockEntry> };
/** Two dependency-free packages the workshop locks, so npm's cache has them after the workshop's install. */
const PACKAGES = ['bsert', 'loady'] as const;

let root: string;
let unmanaged: string;

/** Writes package.json and package-lock.json locking `names` at the workshop's versions. */
function lock(names: readonly string[], extra: Record<string, LockEntry> = {}): void {
  const dependencies = Object.fromEntries(names.map((name) => [name, workshopLock.packages[`node_modules/${name}`]!.version]));
  const packages: Record<string, unknown> = { '': { name: 'deps-probe', version: '1.0.0', dependencies } };
  for (const name of names) packages[`node_modules/${name}`] = workshopLock.packages[`node_modules/${name}`];
  Object.assign(packages, extra);
  writeFileSync(join(root, 'package.json'), `${JSON.stringify({ name: 'deps-probe', version: '1.0.0', private: true, type: 'module', dependencies }, null, 2)}\n`);
  writeFileSync(join(root, 'package-lock.json'), `${JSON.stringify({ name: 'deps-probe', version: '1.0.0', lockfileVersion: 3, requires: true, packages }, null, 2)}\n`);
}

function ensureDeps(args: readonly string[] = [], cwd = root): { code: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [join(cwd, 'scripts', 'ensure-deps.js'), ...args], {
    cwd,
    encoding: 'utf8',
    // From npm's cache when it can (it has these packages since the workshop's own install).
    env: { ...process.env, npm_config_prefer_offline: 'true', npm_config_audit: 'false', npm_config_fund: 'false' },
    timeout: 120_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function check(cwd = root): { code: number | null; state: { state: string; reason?: string } } {
  const result = ensureDeps(['--check'], cwd);
  return { code: result.code, state: JSON.parse(result.stdout) as { state: string; reason?: string } };
}

function withScript(folder: string): void {
  mkdirSync(join(folder, 'scripts'), { recursive: true });
  copyFileSync(join(PROJECT_ROOT, 'scripts', 'ensure-deps.js'), join(folder, 'scripts', 'ensure-deps.js'));
}

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'lnlab-deps-'));
  unmanaged = mkdtempSync(join(tmpdir(), 'lnlab-deps-unmanaged-'));
  withScript(root);
  withScript(unmanaged);
  writeFileSync(join(unmanaged, 'package.json'), '{"name":"installed-copy","version":"1.0.0","type":"module"}\n');
});

afterAll(() => {
  rmSync(root, { recursive: true, force: true });
  rmSync(unmanaged, { recursive: true, force: true });
});

describe('ensure-deps', () => {
  it('the workshop checkout itself, installed by npm ci, is current (other platforms\' binaries absent)', () => {
    expect(check(PROJECT_ROOT)).toEqual({ code: 0, state: { state: 'current' } });
  });

  it('no node_modules: says so in one line, runs npm ci with its output showing, and is then current', () => {
    lock([PACKAGES[0]]);
    const result = ensureDeps();
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout.split('\n')[0]).toBe(
      'ℹ️  the dependencies are not installed yet (no node_modules): installing the locked dependencies with `npm ci` (once; a minute or two)…',
    );
    expect(result.stdout).toMatch(/added 1 package/);
    expect(existsSync(join(root, 'node_modules', PACKAGES[0], 'package.json'))).toBe(true);
    expect(check()).toEqual({ code: 0, state: { state: 'current' } });
  });

  it('up to date: does nothing and says nothing', () => {
    // npm ci would delete node_modules, and this file with it.
    writeFileSync(join(root, 'node_modules', 'marker'), 'still here');
    const result = ensureDeps();
    expect(result).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(existsSync(join(root, 'node_modules', 'marker'))).toBe(true);
  });

  it('reports a package folder deleted since, a version that differs, and an install that never finished', () => {
    const hidden = join(root, 'node_modules', '.package-lock.json');
    const record = readFileSync(hidden, 'utf8');
    writeFileSync(hidden, record.replace(/"version": "0\.0\.13"/, '"version": "0.0.12"'));
    expect(check()).toEqual({ code: 1, state: { state: 'stale', reason: 'package-lock.json locks node_modules/bsert 0.0.13, node_modules has 0.0.12' } });
    writeFileSync(hidden, record);
    rmSync(hidden);
    expect(check()).toEqual({ code: 1, state: { state: 'missing', reason: 'node_modules holds no finished install (an install was interrupted?)' } });
    writeFileSync(hidden, record);
    rmSync(join(root, 'node_modules', PACKAGES[0], 'package.json'));
    expect(check()).toEqual({ code: 1, state: { state: 'stale', reason: 'node_modules/bsert was deleted since the last install' } });
  });

  it('an optional package npm skips on this platform is not required', () => {
    const optional = { version: '1.0.0', integrity: 'sha512-AAAA', optional: true };
    lock([PACKAGES[0]], { 'node_modules/@esbuild/darwin-arm64': optional });
    // Same tree otherwise; put back what the previous test broke by reinstalling.
    expect(ensureDeps().code).toBe(0);
    expect(check()).toEqual({ code: 0, state: { state: 'current' } });
  });

  it('the lockfile changed (a dependency added): reinstalls before anything runs', () => {
    writeFileSync(join(root, 'node_modules', 'marker'), 'gone after npm ci');
    lock([...PACKAGES]);
    const result = ensureDeps();
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout.split('\n')[0]).toBe(
      'ℹ️  package-lock.json locks node_modules/loady 0.0.5, which is not installed: installing the locked dependencies with `npm ci` (once; a minute or two)…',
    );
    expect(existsSync(join(root, 'node_modules', 'loady', 'package.json'))).toBe(true);
    expect(existsSync(join(root, 'node_modules', 'marker'))).toBe(false);
    expect(check().state.state).toBe('current');
  });

  it('npm ci failing: exit 1, with what to do', () => {
    // package.json asks for a package the lockfile lacks: npm ci refuses at once, as it would for a
    // lockfile edited by hand.
    const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    manifest.dependencies['bufio'] = '0.2.0';
    writeFileSync(join(root, 'package.json'), JSON.stringify(manifest));
    rmSync(join(root, 'node_modules'), { recursive: true, force: true });
    const result = ensureDeps();
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('❌ `npm ci` failed (exit code 1); npm\'s messages above say why.');
    expect(result.stdout).toContain('`npm ci` alone retries the install');
    expect(result.stderr).toMatch(/npm (error|ERR!)/);
  });

  it('an installed copy of the package (no package-lock.json) is left to whoever installed it', () => {
    expect(check(unmanaged)).toEqual({ code: 0, state: { state: 'unmanaged' } });
    expect(ensureDeps([], unmanaged)).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(existsSync(join(unmanaged, 'node_modules'))).toBe(false);
  });
});
