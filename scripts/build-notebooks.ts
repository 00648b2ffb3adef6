/**
 * `npm run notebooks`: builds `notebooks/NN-name.ipynb` from `notebooks/src/NN-name.md`, and bakes the
 * cells a learner's copy needs without `solutions/` (each exercise's skeleton, each notebook's setup cell)
 * into `src/curriculum/generated/cells.json`.
 * `npm run notebooks -- --check` changes nothing and exits 1 if anything committed is out of date.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { PROJECT_ROOT } from '../src/chain/regtest/launcher.js';
import { GENERATED_CELLS_FILE, type GeneratedCells } from '../src/curriculum/cells.js';
import { buildNotebook, serializeNotebook } from '../src/curriculum/notebook-builder.js';
import { cellSource, cellsWith } from '../src/curriculum/notebook-format.js';
import { EXERCISES } from '../src/curriculum/registry.js';
import { skeletonCellFromSolution } from '../src/curriculum/solution-source.js';

const notebooksDir = join(PROJECT_ROOT, 'notebooks');
const sourceDir = join(notebooksDir, 'src');
const checkOnly = process.argv.includes('--check');

if (!existsSync(join(PROJECT_ROOT, 'solutions'))) {
  process.stderr.write('npm run notebooks: this copy has no solutions/ folder, and skeletons are made from the solutions.\n'
    + '  Build the notebooks in the full repository (an answer-free copy ships them already built).\n');
  process.exit(1);
}

let stale = 0;
/** Writes `text` to `target` unless it is already there; reports what it did. */
function emit(target: string, text: string, shown: string): void {
  const current = existsSync(target) ? readFileSync(target, 'utf8') : '';
  if (current === text) {
    process.stdout.write(`  up to date  ${shown}\n`);
    return;
  }
  stale++;
  if (checkOnly) {
    process.stdout.write(`  OUT OF DATE ${shown} (run \`npm run notebooks\`)\n`);
    return;
  }
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, text);
  process.stdout.write(`  built       ${shown}\n`);
}

const setups: Record<string, string> = {};
for (const file of readdirSync(sourceDir).filter((f) => f.endsWith('.md')).sort()) {
  const name = file.replace(/\.md$/, '');
  const notebook = buildNotebook(name, readFileSync(join(sourceDir, file), 'utf8'));
  setups[name] = cellSource(cellsWith(notebook, 'setup')[0]!);
  emit(join(notebooksDir, `${name}.ipynb`), serializeNotebook(notebook), `notebooks/${name}.ipynb`);
}
const cells: GeneratedCells = {
  skeletons: Object.fromEntries(EXERCISES.map((exercise) => [exercise.id, skeletonCellFromSolution(exercise)])),
  setups,
};
emit(join(PROJECT_ROOT, GENERATED_CELLS_FILE), `${JSON.stringify(cells, null, 2)}\n`, GENERATED_CELLS_FILE);
if (checkOnly && stale > 0) process.exit(1);
