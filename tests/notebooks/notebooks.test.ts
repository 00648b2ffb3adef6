/**
 * The committed notebooks are exactly what `npm run notebooks` builds from `notebooks/src/`, in the cell
 * format of `notebook-format.ts` that the grader reads; every registered exercise sits in the notebook the
 * registry names, with its check cell right after it; every diagram's SVG was drawn from its current source.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/chain/index.js';
import { EXERCISES } from '../../src/curriculum/registry.js';
import { DIAGRAMS_DIR, diagramSourceHash, recordedSourceHash } from '../../src/workshop/diagrams.js';
import { buildNotebook, buildSolutionNotebook, serializeNotebook } from '../../src/curriculum/notebook-builder.js';
import { cellChecksum, cellSource, checkCellSource, readNotebook, type Notebook } from '../../src/curriculum/notebook-format.js';
import { NOTEBOOK_PRELUDE } from '../../src/curriculum/prelude.js';
import { skeletonCellFromSolution, solutionCell } from '../../src/curriculum/solution-source.js';
import { GENERATED_CELLS_FILE, generatedCells, skeletonCell } from '../../src/curriculum/cells.js';
import { exerciseLabel } from '../../src/curriculum/notebook-builder.js';

const NOTEBOOKS = join(PROJECT_ROOT, 'notebooks');
const SOURCES = join(NOTEBOOKS, 'src');
const names = readdirSync(SOURCES).filter((f) => f.endsWith('.md')).map((f) => f.replace(/\.md$/, '')).sort();
const sourceOf = (name: string) => readFileSync(join(SOURCES, `${name}.md`), 'utf8');
const committed = (name: string): Notebook => readNotebook(join(NOTEBOOKS, `${name}.ipynb`));

describe('the committed notebooks', () => {
  it('are exactly what `npm run notebooks` builds from notebooks/src (run it after editing a source)', () => {
    for (const name of names) {
      const built = serializeNotebook(buildNotebook(name, sourceOf(name)));
      expect(readFileSync(join(NOTEBOOKS, `${name}.ipynb`), 'utf8'), `notebooks/${name}.ipynb is stale: npm run notebooks`).toBe(built);
    }
    const ipynbs = readdirSync(NOTEBOOKS).filter((f) => f.endsWith('.ipynb')).map((f) => f.replace(/\.ipynb$/, ''));
    expect(ipynbs.sort(), 'every notebook has a source in notebooks/src').toEqual(names);
  });

  it(`bake each exercise's skeleton and each notebook's setup cell into ${GENERATED_CELLS_FILE}`, () => {
    const cells = generatedCells();
    expect(Object.keys(cells.skeletons).sort()).toEqual(EXERCISES.map((e) => e.id).sort());
    for (const exercise of EXERCISES) expect(skeletonCell(exercise), `${exercise.id}: npm run notebooks`).toBe(skeletonCellFromSolution(exercise));
    for (const name of names) expect(cells.setups[name], `${name}: npm run notebooks`).toBe(cellSource(committed(name).cells.find((c) => c.metadata.lnlab?.role === 'setup')!));
  });

  it('cover every notebook the registry names, in order from 00', () => {
    expect(names[0]).toBe('00-welcome');
    for (const exercise of EXERCISES) expect(names, exercise.id).toContain(exercise.notebook);
    names.forEach((name, i) => expect(name.startsWith(String(i).padStart(2, '0'))).toBe(true));
  });

  it.each(names)('%s: nbformat 4.5, the workshop kernel, stable cell ids, no outputs or execution counts', (name) => {
    const notebook = committed(name);
    expect([notebook.nbformat, notebook.nbformat_minor]).toEqual([4, 5]);
    expect(notebook.metadata.kernelspec).toEqual({ name: 'lightning-lab', display_name: 'TypeScript (Lightning Lab)', language: 'typescript' });
    notebook.cells.forEach((cell, i) => {
      expect(cell.id).toBe(`${name}-${String(i).padStart(2, '0')}`);
      if (cell.cell_type !== 'code') return;
      expect(cell.outputs, `${name} cell ${i + 1}`).toEqual([]);
      expect(cell.execution_count, `${name} cell ${i + 1}`).toBeNull();
      expect(cell.metadata.lnlab?.role, `${name} cell ${i + 1} has a role`).toMatch(/^(setup|exercise|check|code)$/);
    });
  });

  it.each(names)('%s: opens with what the learner will be able to do, then the locked setup cell first among code cells', (name) => {
    const notebook = committed(name);
    expect(cellSource(notebook.cells[0]!)).toContain('After this notebook you will');
    const code = notebook.cells.filter((c) => c.cell_type === 'code');
    const setup = code[0]!;
    expect(setup.metadata.lnlab?.role).toBe('setup');
    expect(cellSource(setup).startsWith(NOTEBOOK_PRELUDE)).toBe(true);
    expect(setup.metadata).toMatchObject({ editable: false, deletable: false, lnlab: { checksum: cellChecksum(cellSource(setup)) } });
    expect(code.filter((c) => c.metadata.lnlab?.role === 'setup')).toHaveLength(1);
  });

  it('hold every exercise exactly once, in the notebook the registry says, skeleton first and its locked check right after', () => {
    const notebooks = Object.fromEntries(names.map((name) => [name, committed(name)]));
    for (const exercise of EXERCISES) {
      for (const name of names) {
        const cells = notebooks[name]!.cells;
        const at = cells.map((c, i) => (c.metadata.lnlab?.role === 'exercise' && c.metadata.lnlab.exercise === exercise.id ? i : -1)).filter((i) => i >= 0);
        expect(at, `${exercise.id} in ${name}`).toHaveLength(name === exercise.notebook ? 1 : 0);
        if (name !== exercise.notebook) continue;
        const [cell, check] = [cells[at[0]!]!, cells[at[0]! + 1]!];
        expect(cellSource(cell)).toBe(skeletonCell(exercise));
        expect(check.metadata).toEqual({
          deletable: false, editable: false,
          lnlab: { role: 'check', exercise: exercise.id, checksum: cellChecksum(checkCellSource(exercise)) },
        });
        expect(cellSource(check)).toBe(checkCellSource(exercise));
      }
    }
  });

  it('introduce each exercise with its number and title, its prompt and reading, "Make this check pass" and how to get a hint', () => {
    EXERCISES.forEach((exercise) => {
      const cells = committed(exercise.notebook).cells;
      const at = cells.findIndex((c) => c.metadata.lnlab?.exercise === exercise.id);
      const prompt = cellSource(cells[at - 1]!);
      expect(cells[at - 1]!.cell_type).toBe('markdown');
      expect(prompt).toContain(`## ${exerciseLabel(exercise)}: ${exercise.title}`);
      expect(prompt).toContain(exercise.prompt.trim());
      expect(prompt).toContain(exercise.reading);
      expect(prompt).toContain(`Make this check pass: \`${exercise.id}\``);
      expect(prompt).toContain(`hint('${exercise.id}')`);
    });
  });

  it('link only images that exist', () => {
    for (const name of names) {
      for (const [, target] of sourceOf(name).matchAll(/!\[[^\]]*\]\(([^)]+)\)/g)) {
        expect(existsSync(join(NOTEBOOKS, target!)), `${name} links ${target}`).toBe(true);
      }
    }
  });
});

describe('the notebook builder', () => {
  const text = sourceOf('02-chain-monitor');

  it('builds the same bytes twice', () => {
    expect(serializeNotebook(buildNotebook('02-chain-monitor', text))).toBe(serializeNotebook(buildNotebook('02-chain-monitor', text)));
  });

  it('puts the reference solution in every exercise cell of the solution variant, and changes nothing else', () => {
    const skeletons = buildNotebook('02-chain-monitor', text);
    const solutions = buildSolutionNotebook('02-chain-monitor', text);
    expect(solutions.cells.map((c) => c.metadata)).toEqual(skeletons.cells.map((c) => c.metadata));
    solutions.cells.forEach((cell, i) => {
      const id = cell.metadata.lnlab?.role === 'exercise' ? cell.metadata.lnlab.exercise : undefined;
      const exercise = EXERCISES.find((e) => e.id === id);
      expect(cellSource(cell)).toBe(exercise ? solutionCell(exercise) : cellSource(skeletons.cells[i]!));
    });
  });

  it('keeps non-ts fences as Markdown, and a setup fence as extra setup lines', () => {
    const notebook = buildNotebook('00-welcome', '# Hi\n\n```rust\nfn main() {}\n```\n\n<!-- setup -->\n\n```ts\nconst extra = 1;\n```\n\n```ts\n1 + 1\n```\n');
    expect(notebook.cells.map((c) => [c.cell_type, c.metadata.lnlab?.role ?? null])).toEqual([['markdown', null], ['code', 'setup'], ['code', 'code']]);
    expect(cellSource(notebook.cells[0]!)).toContain('```rust');
    expect(cellSource(notebook.cells[1]!)).toBe(`${NOTEBOOK_PRELUDE}\nconst extra = 1;\nnotebookOpened('00-welcome');`);
  });

  it.each([
    ['no setup cell', '# x\n\n```ts\n1\n```\n', /no <!-- setup -->|code before <!-- setup -->/],
    ['code before the setup cell', '```ts\n1\n```\n<!-- setup -->\n', /code before <!-- setup -->/],
    ['two setup cells', '<!-- setup -->\n<!-- setup -->\n', /a second <!-- setup -->/],
    ['an unknown exercise', '<!-- setup -->\n<!-- exercise: nope -->\n', /no exercise "nope"/],
    ['an exercise of another notebook', '<!-- setup -->\n<!-- exercise: blockConnected -->\n', /belongs in 01-channel-monitor/],
    ['an unclosed fence', '<!-- setup -->\n```ts\n1\n', /never closed/],
    ['an image outside the Jupyter root', '<!-- setup -->\n\n![a diagram](../tutorial_images/a.svg)\n', /outside notebooks\/.*notebooks\/tutorial_images/],
  ])('refuses a source with %s, naming the file and line', (_what, source, message) => {
    expect(() => buildNotebook('02-chain-monitor', source)).toThrow(message);
    expect(() => buildNotebook('02-chain-monitor', source)).toThrow(/^notebooks\/src\/02-chain-monitor\.md:\d+: /);
  });
});

describe('the diagrams', () => {
  it('every image a notebook links is a file inside notebooks/, which Jupyter serves', () => {
    for (const name of names) {
      for (const [, path] of sourceOf(name).matchAll(/!\[[^\]]*\]\(([^)]+)\)/g)) {
        expect(existsSync(join(NOTEBOOKS, path!)), `${name}.md links ${path}, which is not in notebooks/`).toBe(true);
      }
    }
  });

  const sources = readdirSync(DIAGRAMS_DIR).filter((f) => f.endsWith('.mmd'));

  it('include the architecture, the justice flow and the persistence order', () => {
    expect(sources).toEqual(expect.arrayContaining(['architecture.mmd', 'justice-flow.mmd', 'persistence-order.mmd']));
  });

  it.each(sources)('%s has an SVG drawn from its current source (else: npm run diagrams)', (file) => {
    const svgFile = join(DIAGRAMS_DIR, file.replace(/\.mmd$/, '.svg'));
    expect(existsSync(svgFile), `${svgFile} missing: npm run diagrams`).toBe(true);
    const svg = readFileSync(svgFile, 'utf8');
    expect(recordedSourceHash(svg), `${file} changed since its SVG was drawn: npm run diagrams`).toBe(diagramSourceHash(readFileSync(join(DIAGRAMS_DIR, file), 'utf8')));
    expect(svg).toMatch(/<svg[\s>]/);
  });
});
