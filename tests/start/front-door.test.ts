/**
 * The front door, checked as text because what matters is what the files say: the README's two
 * commands, a CI that runs exactly the README's test command with no install of its own, an `npm test`
 * and a `bin/lnlab.js` that load nothing from node_modules before the dependencies are ensured, and an
 * `allowScripts` that reviews every install script the lockfile holds (so `npm ci` warns of none).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/internal.js';

const read = (file: string) => readFileSync(join(PROJECT_ROOT, file), 'utf8');
const readme = read('README.md');
const ciRun = read('.ci/run');
const manifest = JSON.parse(read('package.json')) as { scripts: Record<string, string>; allowScripts?: Record<string, boolean> };

/** The shell commands of the README section `heading`'s first ```sh block, comments dropped. */
function commandsUnder(heading: string): string[] {
  const section = readme.split(/^## /m).find((part) => part.startsWith(`${heading}\n`));
  if (!section) throw new Error(`README.md has no "## ${heading}" section`);
  const block = section.match(/```sh\n([\s\S]*?)```/);
  if (!block) throw new Error(`"## ${heading}" has no sh block`);
  return block[1]!
    .split('\n')
    .map((line) => line.replace(/#.*/, '').trim())
    .filter(Boolean);
}

/** The import specifiers of a JavaScript file, in order, up to the line that matches `until`. */
function importsBefore(file: string, until: RegExp): string[] {
  const source = read(file);
  const cut = source.search(until);
  if (cut < 0) throw new Error(`${file}: no ${until}`);
  return [...source.slice(0, cut).matchAll(/\bimport\s*(?:[^'"()]*?\sfrom\s*)?\(?\s*['"]([^'"]+)['"]/g)].map((m) => m[1]!);
}

describe('the front door', () => {
  it('README: the two commands are npm start and npm test, nothing before them', () => {
    expect(commandsUnder('The two commands')).toEqual(['npm start', 'npm test']);
  });

  it('.ci/run runs the README\'s test command, and no npm ci or npm install of its own', () => {
    const commands = ciRun
      .split('\n')
      .map((line) => line.replace(/#.*/, '').trim())
      .filter(Boolean);
    expect(commands.filter((line) => /\bnpm\s+(ci|install|i|clean-install)\b/.test(line))).toEqual([]);
    expect(commands.filter((line) => /^npm\b/.test(line) && !/^npm --version$/.test(line))).toEqual(['npm test']);
    expect(commands.at(-1)).toBe('npm test');
  });

  it('.ci/run installs the system packages the tests need', () => {
    for (const pkg of ['jupyter-notebook', 'jupyter-nbconvert', 'python3-nbclient', 'chromium', 'fonts-noto-color-emoji']) {
      expect(ciRun).toMatch(new RegExp(`apt-get install[^\\n]*(\\\\\\n[^\\n]*)*\\b${pkg}\\b`));
    }
  });

  it('npm start and npm test are plain Node scripts', () => {
    expect(manifest.scripts.start).toBe('node bin/lnlab.js start');
    expect(manifest.scripts.test).toBe('node scripts/test.js');
  });

  it('bin/lnlab.js and scripts/test.js import nothing from node_modules before ensuring the dependencies', () => {
    const local = (specifier: string) => specifier.startsWith('node:') || specifier.startsWith('.');
    const bin = importsBefore('bin/lnlab.js', /ensureDependencies\(\)/);
    expect(bin).toEqual(['../scripts/ensure-deps.js']);
    expect(importsBefore('scripts/test.js', /ensureDependencies\(\)\)/).every(local)).toBe(true);
    // ensure-deps.js itself may only use Node's own modules.
    expect(importsBefore('scripts/ensure-deps.js', /$(?![\s\S])/).every((specifier) => specifier.startsWith('node:'))).toBe(true);
  });

  it('allowScripts reviews every dependency with an install script, and names only such dependencies', () => {
    const lock = JSON.parse(read('package-lock.json')) as { packages: Record<string, { hasInstallScript?: boolean }> };
    const withScripts = Object.entries(lock.packages)
      .filter(([path, entry]) => path !== '' && entry.hasInstallScript)
      .map(([path]) => path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length));
    const reviewed = Object.keys(manifest.allowScripts ?? {}).map((key) => key.replace(/(.)@.*$/, '$1'));
    const unreviewed = withScripts.filter((name) => !reviewed.includes(name));
    expect(unreviewed, 'review them with `npm install-scripts ls`, then `npm install-scripts approve|deny <pkg>`').toEqual([]);
    expect(reviewed.filter((name) => !withScripts.includes(name)), 'stale entries: `npm install-scripts prune`').toEqual([]);
  });
});
