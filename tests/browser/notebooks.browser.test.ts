/**
 * The notebooks in a real browser, as a newcomer meets them: `npm start -- --no-browser` in a fresh copy of
 * the repository, Debian's Chromium (headless, a fresh profile) on the Jupyter Notebook 6.4 it serves.
 * - every notebook opens with every diagram loaded (no alt text in place of a picture) and unchanged: the
 *   kernel's metadata is already in the committed file, so there is no "(unsaved changes)", and File ▸
 *   Save leaves the file byte for byte as committed;
 * - notebook 01, Cell ▸ Run All as shipped: each check cell shows its ❌ on the page and the notebook runs
 *   to its end;
 * - notebook 05 after the learner saved notebooks 01–04 with working answers: Run All tells their code
 *   runs, and the justice diagram is drawn as a picture with the run's real txids.
 * Screenshots of each page go to `.lnlab/screenshots/`. JupyterLab 4 gets the same run where installed.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/internal.js';
import { EXERCISES } from '../../src/curriculum/registry.js';
import { buildSolutionNotebook, serializeNotebook } from '../../src/curriculum/notebook-builder.js';
import { findJupyter } from '../../src/workshop/setup/jupyter.js';
import { dirty, images, openNotebook, runAll, save, shownCells } from './classic-notebook.js';
import { screenshot, shutDownKernel, startWorkshop, type Workshop } from './workshop-browser.js';

const NOTEBOOKS = join(PROJECT_ROOT, 'notebooks');
const names = readdirSync(NOTEBOOKS).filter((f) => f.endsWith('.ipynb')).map((f) => f.replace(/\.ipynb$/, '')).sort();
/** The images a notebook's source links (`![alt](tutorial_images/x.svg)`). */
const linkedImages = (name: string) => [...readFileSync(join(NOTEBOOKS, 'src', `${name}.md`), 'utf8').matchAll(/!\[[^\]]*\]\(([^)]+)\)/g)].map((m) => m[1]!);
const flavour = findJupyter()?.flavour;

/** Run All of 01 runs every skeleton's checks in the grader; 05 mines and confirms a dozen transactions. */
const RUN_01_MS = 120_000;
const RUN_05_MS = 180_000;

describe.runIf(flavour === 'notebook')('Jupyter Notebook 6.4, as `npm start -- --no-browser` serves it', () => {
  let workshop: Workshop;
  beforeAll(async () => {
    workshop = await startWorkshop();
  }, 90_000);
  afterAll(async () => workshop?.stop(), 60_000);

  it('is the Jupyter the workshop started', () => {
    expect(workshop.output()).toContain('Jupyter Notebook is running');
  });

  // Several at once (vitest's maxConcurrency): most of each is a kernel starting, which waits as much as it computes.
  it.concurrent.each(names)('%s opens with every diagram shown and nothing changed, and saving it unchanged rewrites the committed bytes', async (name) => {
    const page = await openNotebook(workshop, name);
    try {
      const shown = await images(page);
      await screenshot(page, `notebook6-${name}-opened`);
      expect(shown.filter((img) => img.width === 0), `${name}: images that did not load`).toEqual([]);
      for (const link of linkedImages(name)) expect(shown.map((img) => img.src), `${name} shows ${link}`).toContain(link);
      expect(await dirty(page), `${name} opened as changed`).toEqual({ dirty: false, status: expect.not.stringContaining('unsaved') });
      await save(page);
      const file = join(workshop.copy.root, 'notebooks', `${name}.ipynb`);
      expect(readFileSync(file, 'utf8') === readFileSync(join(NOTEBOOKS, `${name}.ipynb`), 'utf8'), `${name}: saved unchanged, the file differs from the committed one`).toBe(true);
    } finally {
      await page.close();
      await shutDownKernel(workshop, name);
    }
  }, 180_000);

  it('01 as shipped, Cell ▸ Run All: every check cell shows its ❌ and the notebook runs to its end', async () => {
    const page = await openNotebook(workshop, '01-channel-monitor');
    try {
      await runAll(page, '🏁 End of 01-channel-monitor', RUN_01_MS).finally(() => screenshot(page, 'notebook6-01-run-all'));
      const checks = (await shownCells(page)).filter((cell) => cell.role === 'check');
      const ids = EXERCISES.filter((e) => e.notebook === '01-channel-monitor').map((e) => e.id);
      expect(checks.map((c) => c.exercise)).toEqual(ids);
      for (const check of checks) {
        expect(check.output, `the check of ${check.exercise}`).toContain(`❌ ${check.exercise}`);
        expect(check.output).not.toContain('✅');
      }
    } finally {
      await page.close();
      await shutDownKernel(workshop, '01-channel-monitor');
    }
  }, RUN_01_MS + 100_000);

  it('05 after the learner saved working answers in 01–04: their code runs, and the justice diagram is a picture with the real txids', async () => {
    // What a learner who solved everything has on disk: notebooks 01–04 saved with their answers.
    const saved = ['01-channel-monitor', '02-chain-monitor', '03-updating-channels', '04-channel-manager'];
    for (const name of saved) {
      const source = readFileSync(join(NOTEBOOKS, 'src', `${name}.md`), 'utf8');
      writeFileSync(join(workshop.copy.root, 'notebooks', `${name}.ipynb`), serializeNotebook(buildSolutionNotebook(name, source)));
    }
    const page = await openNotebook(workshop, '05-catch-a-cheater');
    try {
      await runAll(page, '🏁 End of 05-catch-a-cheater', RUN_05_MS).finally(() => screenshot(page, 'notebook6-05-run-all'));
      const cells = await shownCells(page);
      const text = cells.map((c) => c.output).join('\n');
      expect(text).not.toMatch(/Error|Traceback|MISSING/);
      // Nothing pasted: yourNode() found every answer in the saved notebooks and runs it.
      for (const e of EXERCISES.filter((e) => saved.includes(e.notebook))) {
        expect(text, `${e.id} runs the learner's code`).toMatch(new RegExp(`${e.component}\\.${e.functionName} +YOURS ✅ \\(from your saved ${e.notebook}\\)`));
      }
      const pictures = cells.flatMap((c) => c.pictures);
      expect(pictures, 'one cell draws the diagram').toHaveLength(1);
      const justice = /justice transaction ([0-9a-f]{64})/.exec(text)?.[1];
      expect(justice, 'the notebook printed the justice txid').toBeDefined();
      expect(pictures[0]).toContain(`${justice!.slice(0, 8)}…${justice!.slice(-4)}`);
      expect(pictures[0]).toContain("Alice's justice transaction");
      expect((await images(page)).filter((img) => img.width === 0)).toEqual([]);
    } finally {
      await page.close();
      await shutDownKernel(workshop, '05-catch-a-cheater');
    }
  }, RUN_05_MS + 100_000);
});

describe('JupyterLab 4', () => {
  // `npm start` prefers JupyterLab when it finds one; driving its pages is not written yet, so say so.
  if (flavour === 'lab') it.todo('the same run on the JupyterLab that `npm start` found (its pages are not driven yet)');
  else it.skip('JupyterLab 4 is not installed here: skipped (`pip install jupyterlab` to run the browser tests against it)', () => undefined);
});
