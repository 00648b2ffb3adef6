/**
 * `lnlab export --without-solutions DIR`: the copy of the workshop an instructor hands out. Every file the
 * repository tracks, except the answers (`solutions/`) and what only maintainers need (`tests/`, `bench/`,
 * `.ci/`), in a fresh git repository of its own (so `git checkout -- <notebook>` works for learners, and no
 * history holds the answers). The node, the notebooks, the grader and `lnlab reset` all work in it; later
 * notebooks use the learner's code and say where a part still needs writing.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { PROJECT_ROOT } from '../chain/regtest/launcher.js';
import { WorkshopError } from '../errors.js';

/** Top-level folders an answer-free copy leaves out: the answers, and the project's own tests and tools. */
export const LEFT_OUT = Object.freeze(['solutions', 'tests', 'bench', '.ci']);

/** The note the copy's README starts with. */
const README_NOTE = `> **This copy of Lightning Lab has no solutions.** Your instructor made it with
> \`lnlab export --without-solutions\`. Everything works — the notebooks, their checks, \`npm run grade\`,
> \`npx lnlab reset\` — except \`solution('<id>')\`: your passing code is the answer. Later notebooks run your
> code, and tell you which part still needs writing. \`npm test\` grades your notebooks.

`;

export interface ExportOutcome {
  readonly dir: string;
  readonly files: number;
  readonly git: boolean;
}

/** The files git tracks in `root` (falling back to a walk that skips what `.gitignore` would). */
function trackedFiles(root: string): string[] {
  try {
    return execFileSync('git', ['ls-files', '-z'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).split('\0').filter(Boolean);
  } catch {
    const walk = (dir: string): string[] =>
      readdirSync(join(root, dir), { withFileTypes: true }).flatMap((entry) => {
        const path = dir ? `${dir}/${entry.name}` : entry.name;
        if (['node_modules', '.lnlab', '.git', 'dist'].includes(entry.name)) return [];
        return entry.isDirectory() ? walk(path) : [path];
      });
    return walk('');
  }
}

/** Writes the answer-free copy into `target` (which must not exist or be empty). */
export function exportWithoutSolutions(target: string, root = PROJECT_ROOT): ExportOutcome {
  const dir = resolve(target);
  if (existsSync(dir) && readdirSync(dir).length > 0) {
    throw new WorkshopError('EXPORT_TARGET_NOT_EMPTY', `lnlab export: ${dir} is not empty`, 'give a new folder (it is created), or empty this one first');
  }
  if (relative(root, dir) === '' || !relative(root, dir).startsWith('..')) {
    throw new WorkshopError('EXPORT_TARGET_INSIDE', `lnlab export: ${dir} is inside the workshop itself`, 'export to a folder outside the repository, e.g. ../lightning-lab-handout');
  }
  const files = trackedFiles(root).filter((file) => !LEFT_OUT.includes(file.split('/')[0]!) && existsSync(join(root, file)));
  for (const file of files) {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    copyFileSync(join(root, file), join(dir, file));
  }
  // The copy's README says what it is; its `npm test` grades the learner's notebooks (it has no tests/).
  writeFileSync(join(dir, 'README.md'), README_NOTE + readFileSync(join(root, 'README.md'), 'utf8'));
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts?: Record<string, string>; files?: string[] };
  manifest.scripts = { ...manifest.scripts, test: 'node bin/lnlab.js grade' };
  delete manifest.scripts.bench;
  manifest.files = manifest.files?.filter((entry) => !LEFT_OUT.includes(entry));
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  let git = false;
  try {
    const run = (args: string[]) => execFileSync('git', args, { cwd: dir, stdio: 'ignore' });
    run(['init', '-q']);
    run(['add', '-A']);
    run(['-c', 'user.name=Lightning Lab', '-c', 'user.email=lnlab@localhost', 'commit', '-q', '-m', 'Lightning Lab, without solutions']);
    git = true;
  } catch {
    // git is a convenience for learners; the copy works without it
  }
  return { dir, files: files.length, git };
}
