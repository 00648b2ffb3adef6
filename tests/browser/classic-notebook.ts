/**
 * Driving one notebook in Jupyter Notebook 6.4 (Debian's `jupyter-notebook`) the way a learner does:
 * open it, wait for its kernel, use the menus; and reading what the page shows. The page's own
 * `Jupyter.notebook` object is read only for state a learner sees in other ways (the dirty flag is the
 * "(unsaved changes)" beside the title, the kernel's info is the kernel indicator).
 */
import type { Page } from 'playwright-core';
import type { Workshop } from './workshop-browser.js';

// These functions run in the page, where the DOM is; the project's type-check has no DOM library.
declare const window: any;
declare const document: any;

/** A kernel start plus tslab's first type-check of the workshop module, on a loaded 2-core machine. */
const KERNEL_READY_MS = 90_000;

/** What the page shows of one cell. */
export interface ShownCell {
  readonly type: string;
  readonly role?: string;
  readonly exercise?: string;
  /** The output area's text, as rendered. */
  readonly output: string;
  /** The pictures the output area draws (`<svg>` or `<img>`), each as its text (an `<img>`: its alt text). */
  readonly pictures: string[];
}

/** Opens `name`.ipynb in a new tab and waits until its kernel has answered kernel_info and is idle. */
export async function openNotebook(workshop: Workshop, name: string): Promise<Page> {
  const page = await workshop.browser.newPage();
  await page.goto(`${workshop.baseUrl}/notebooks/${name}.ipynb?token=${workshop.token}`);
  await page.waitForFunction(
    () => {
      const nb = (window as any).Jupyter?.notebook;
      return Boolean(nb?.kernel?.info_reply?.language_info) && document.querySelector('#kernel_indicator_icon.kernel_idle_icon') !== null;
    },
    null,
    { timeout: KERNEL_READY_MS, polling: 200 },
  );
  return page;
}

/** Every `<img>` on the page (diagrams in Markdown cells, pictures in outputs), with whether it loaded. */
export async function images(page: Page): Promise<{ src: string; alt: string; width: number }[]> {
  // An image that is still loading is neither broken nor shown: wait for each to settle first.
  await page.waitForFunction(() => [...document.images].every((img: any) => img.complete), null, { timeout: 15_000 });
  return page.evaluate(() => [...document.images].map((img: any) => ({ src: img.getAttribute('src') ?? '', alt: img.alt, width: img.naturalWidth })));
}

/** Whether the page counts the notebook as changed (what "(unsaved changes)" beside the title says). */
export async function dirty(page: Page): Promise<{ dirty: boolean; status: string }> {
  return page.evaluate(() => ({ dirty: Boolean((window as any).Jupyter.notebook.dirty), status: document.querySelector('#autosave_status')?.textContent ?? '' }));
}

/** File ▸ Save and Checkpoint, resolving once the server has written the file. */
export async function save(page: Page): Promise<void> {
  const saved = page.evaluate(() => new Promise<void>((resolve) => (window as any).Jupyter.notebook.events.one('notebook_saved.Notebook', () => resolve())));
  await page.click('#filelink');
  await page.click('#save_checkpoint');
  await saved;
}

/** Cell ▸ Run All, then waits until the last cell's output contains `until`. */
export async function runAll(page: Page, until: string, timeoutMs: number): Promise<void> {
  await page.click('#celllink');
  await page.click('#run_all_cells');
  await page.waitForFunction(
    (marker) => {
      const cells = (window as any).Jupyter.notebook.get_cells();
      const last = cells[cells.length - 1];
      return (last?.output_area?.element?.[0]?.innerText ?? '').includes(marker);
    },
    until,
    { timeout: timeoutMs, polling: 500 },
  );
}

/** What the page shows of every cell, in order. */
export async function shownCells(page: Page): Promise<ShownCell[]> {
  return page.evaluate(() =>
    (window as any).Jupyter.notebook.get_cells().map((cell: any) => {
      const area: any = cell.output_area?.element?.[0];
      const lnlab = cell.metadata?.lnlab ?? {};
      return {
        type: cell.cell_type,
        role: lnlab.role,
        exercise: lnlab.exercise,
        output: area?.innerText ?? '',
        pictures: area ? [...area.querySelectorAll('svg, img')].map((el: any) => (el.tagName.toLowerCase() === 'img' ? el.alt : el.textContent)) : [],
      };
    }),
  );
}
