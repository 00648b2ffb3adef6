/**
 * `npm run notebooks`: builds `notebooks/NN-name.ipynb` from `notebooks/src/NN-name.md`.
 * `npm run notebooks -- --check` changes nothing and exits 1 if a committed notebook is out of date.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../src/chain/regtest/launcher.js';
import { buildNotebook, serializeNotebook } from '../src/workshop/notebook-builder.js';

const notebooksDir = join(PROJECT_ROOT, 'notebooks');
const sourceDir = join(notebooksDir, 'src');
const checkOnly = process.argv.includes('--check');

let stale = 0;
for (const file of readdirSync(sourceDir).filter((f) => f.endsWith('.md')).sort()) {
  const name = file.replace(/\.md$/, '');
  const built = serializeNotebook(buildNotebook(name, readFileSync(join(sourceDir, file), 'utf8')));
  const target = join(notebooksDir, `${name}.ipynb`);
  let current = '';
  try {
    current = readFileSync(target, 'utf8');
  } catch {
    // not built yet
  }
  if (current === built) {
    process.stdout.write(`  up to date  notebooks/${name}.ipynb\n`);
    continue;
  }
  stale++;
  if (checkOnly) {
    process.stdout.write(`  OUT OF DATE notebooks/${name}.ipynb (run \`npm run notebooks\`)\n`);
  } else {
    writeFileSync(target, built);
    process.stdout.write(`  built       notebooks/${name}.ipynb\n`);
  }
}
if (checkOnly && stale > 0) process.exit(1);
