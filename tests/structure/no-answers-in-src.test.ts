/**
 * The node with holes: nothing under `src/` imports `solutions/` (the reference loader finds the answer
 * files at run time, by registry id), so a copy without `solutions/` still builds, runs and grades.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/internal.js';

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.(ts|js|mjs)$/.test(name) ? [path] : [];
  });
}

/** Every module specifier written in `text`: static imports/exports, `import('…')` and `require('…')` with a literal. */
export function moduleSpecifiers(text: string): string[] {
  const found: string[] = [];
  for (const pattern of [/\bfrom\s*['"]([^'"]+)['"]/g, /\bimport\s*\(\s*['"`]([^'"`]+)['"`]\s*\)/g, /\brequire\s*\(\s*['"`]([^'"`]+)['"`]\s*\)/g, /^\s*import\s*['"]([^'"]+)['"]/gm]) {
    for (const match of text.matchAll(pattern)) found.push(match[1]!);
  }
  return found;
}

describe('src/ holds no answers', () => {
  const files = sourceFiles(join(PROJECT_ROOT, 'src'));

  it('finds the source files it checks', () => {
    expect(files.length).toBeGreaterThan(100);
  });

  it('no file under src/ imports solutions/', () => {
    const offenders = files.flatMap((file) =>
      moduleSpecifiers(readFileSync(file, 'utf8'))
        .filter((specifier) => /(^|\/)solutions(\/|$)/.test(specifier) || specifier === 'lightning-lab/solutions')
        .map((specifier) => `${relative(PROJECT_ROOT, file)} imports ${specifier}`),
    );
    expect(offenders).toEqual([]);
  });

  it('the scan itself sees every import form', () => {
    const text = `import { a } from '../../solutions/x.js';\nconst m = await import('../solutions/y.js');\nrequire("solutions/z");\nexport * from './w.js';`;
    expect(moduleSpecifiers(text)).toEqual(['../../solutions/x.js', './w.js', '../solutions/y.js', 'solutions/z']);
  });
});
