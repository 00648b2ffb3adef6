#!/usr/bin/env node
// Makes `npm start` and `npm test` the only two commands a fresh clone needs: before anything imports
// a dependency, this checks that node_modules holds what package-lock.json locks and, when it does not
// (a fresh clone, a `git pull` that changed the lockfile, an interrupted install), runs `npm ci`.
//
// Plain Node on purpose: it runs before any dependency is installed, so it may import only `node:*`.
//
// The check reads npm's own record of the last finished install, the "hidden lockfile"
// `node_modules/.package-lock.json` (npm docs: configuring-npm/package-lock-json, "Hidden Lockfiles"),
// and compares it entry by entry with package-lock.json: two small JSON files and one stat per
// package, a few milliseconds, so a start with everything installed costs nothing noticeable. A stamp
// of our own would go stale whenever someone runs `npm ci` or `npm install` by hand; npm's record never
// does, because npm rewrites it on every install.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository this script belongs to: one folder up from `scripts/`. */
export const PROJECT_DIR = join(dirname(fileURLToPath(import.meta.url)), '..');

/** npm's record of the tree it last installed, relative to the project. */
const HIDDEN_LOCKFILE = join('node_modules', '.package-lock.json');

function readJson(file) {
  return JSON.parse(readFileSync(file, 'utf8'));
}

/**
 * Whether `root/node_modules` matches `root/package-lock.json`.
 *
 * Resolves to `{ state: 'current' }`, `{ state: 'missing', reason }` (nothing installed, or an install
 * that never finished) or `{ state: 'stale', reason }` (installed from another lockfile, or a package
 * folder deleted since). `{ state: 'unmanaged' }` when there is no package-lock.json: an installed
 * copy of the package (npm never publishes lockfiles), whose dependencies its installer manages.
 *
 * Optional packages the lockfile lists but npm skipped (another platform's binaries, e.g. esbuild's
 * `@esbuild/darwin-arm64` on Linux) are not required.
 */
export function dependencyState(root = PROJECT_DIR) {
  const lockFile = join(root, 'package-lock.json');
  if (!existsSync(lockFile)) return { state: 'unmanaged' };
  if (!existsSync(join(root, 'node_modules'))) {
    return { state: 'missing', reason: 'the dependencies are not installed yet (no node_modules)' };
  }
  let installed;
  try {
    installed = readJson(join(root, HIDDEN_LOCKFILE)).packages ?? {};
  } catch {
    return { state: 'missing', reason: 'node_modules holds no finished install (an install was interrupted?)' };
  }
  let locked;
  try {
    locked = readJson(lockFile).packages;
  } catch (err) {
    return { state: 'stale', reason: `package-lock.json cannot be read (${err.message})` };
  }
  if (!locked || typeof locked !== 'object') {
    return { state: 'stale', reason: 'package-lock.json has no "packages" table (it predates npm 7)' };
  }
  for (const [path, want] of Object.entries(locked)) {
    if (path === '') continue; // the project itself
    const have = installed[path];
    if (!have) {
      if (want.optional) continue;
      return { state: 'stale', reason: `package-lock.json locks ${path} ${want.version ?? ''}, which is not installed`.trimEnd() };
    }
    if (have.version !== want.version || have.integrity !== want.integrity || Boolean(have.link) !== Boolean(want.link)) {
      return { state: 'stale', reason: `package-lock.json locks ${path} ${want.version}, node_modules has ${have.version}` };
    }
  }
  for (const path of Object.keys(installed)) {
    if (!(path in locked)) return { state: 'stale', reason: `node_modules has ${path}, which package-lock.json does not lock` };
    if (!existsSync(join(root, path, 'package.json'))) return { state: 'stale', reason: `${path} was deleted since the last install` };
  }
  return { state: 'current' };
}

/**
 * How to run npm: the very npm that runs us when we are an npm script (`npm_execpath`), so a learner
 * with several Node versions gets the matching npm; else `npm` from PATH.
 */
function npmCommand() {
  const cli = process.env.npm_execpath;
  if (cli && /^npm-cli\.[cm]?js$/.test(basename(cli))) return { command: process.execPath, args: [cli], shell: false };
  return { command: process.platform === 'win32' ? 'npm.cmd' : 'npm', args: [], shell: process.platform === 'win32' };
}

/**
 * Installs the locked dependencies with `npm ci` when `dependencyState(root)` is not current, with
 * one line saying why and npm's own output below it. Returns whether the dependencies are usable now;
 * when not, it has said what went wrong and what to do. Never throws.
 */
export function ensureDependencies(root = PROJECT_DIR, log = (line) => process.stdout.write(`${line}\n`)) {
  const before = dependencyState(root);
  if (before.state === 'current' || before.state === 'unmanaged') return true;
  log(`ℹ️  ${before.reason}: installing the locked dependencies with \`npm ci\` (once; a minute or two)…`);
  const npm = npmCommand();
  const result = spawnSync(npm.command, [...npm.args, 'ci'], { cwd: root, stdio: 'inherit', shell: npm.shell });
  if (result.error || result.status !== 0) {
    const why = result.error ? result.error.message : result.signal ? `stopped by ${result.signal}` : `exit code ${result.status}`;
    log(
      `❌ \`npm ci\` failed (${why}); npm's messages above say why.\n` +
        '→ fix what they name (no network? a proxy? a full disk?), then run the same command again; `npm ci` alone retries the install',
    );
    return false;
  }
  const after = dependencyState(root);
  if (after.state !== 'current' && after.state !== 'unmanaged') {
    log(`⚠️  \`npm ci\` finished, but ${after.reason}; carrying on (run \`npm ci\` again if something is missing)`);
  }
  return true;
}

/**
 * `node scripts/ensure-deps.js [--check]`: install if needed (exit 1 if that fails); with `--check`,
 * only print the state and exit 0 when current, 1 otherwise.
 */
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  if (process.argv.includes('--check')) {
    const state = dependencyState();
    process.stdout.write(`${JSON.stringify(state)}\n`);
    process.exitCode = state.state === 'current' || state.state === 'unmanaged' ? 0 : 1;
  } else {
    process.exitCode = ensureDependencies() ? 0 : 1;
  }
}
