/**
 * A fresh-clone stand-in for `lnlab start` tests: the repository's files (what `git ls-files` lists,
 * plus new files not yet committed, minus ignored ones) copied to a temporary folder — what a learner's
 * `git clone` holds, including the change under test. With `nodeModules: 'none'` that is all (a true
 * fresh clone, which `npm start` must install); by default it gets a `node_modules` made of symlinks to
 * the real one's packages so no `npm ci` is needed. The package's self-link
 * (`node_modules/lightning-lab`) is left out on purpose: `lnlab start` must re-create it, and the copy's
 * notebooks must then import the copy's own `src/`.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { PROJECT_ROOT } from '../../src/internal.js';

export interface RepoCopy {
  /** The copy's root: what a learner would have cloned. */
  readonly root: string;
  /** A separate temporary `LNLAB_HOME`, so the copy's state never mixes with a learner's `.lnlab`. */
  readonly home: string;
  remove(): void;
}

export interface CopyOptions {
  /** `link` (default): symlinks to this checkout's packages; `none`: no node_modules at all. */
  readonly nodeModules?: 'link' | 'none';
}

export function copyRepo(options: CopyOptions = {}): RepoCopy {
  const root = mkdtempSync(join(tmpdir(), 'lnlab-clone-'));
  const home = mkdtempSync(join(tmpdir(), 'lnlab-home-'));
  const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: PROJECT_ROOT, encoding: 'utf8' })
    .split('\0')
    .filter(Boolean);
  for (const file of files) {
    mkdirSync(dirname(join(root, file)), { recursive: true });
    try {
      copyFileSync(join(PROJECT_ROOT, file), join(root, file));
    } catch (err) {
      // Listed by git but deleted in the working tree (someone's uncommitted change): not part of the copy.
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
  }
  if (options.nodeModules !== 'none') {
    const modules = join(root, 'node_modules');
    mkdirSync(modules);
    for (const entry of readdirSync(join(PROJECT_ROOT, 'node_modules'))) {
      if (entry === 'lightning-lab') continue;
      symlinkSync(join(PROJECT_ROOT, 'node_modules', entry), join(modules, entry));
    }
  }
  return {
    root,
    home,
    remove() {
      rmSync(root, { recursive: true, force: true });
      rmSync(home, { recursive: true, force: true });
    },
  };
}
