/**
 * A newcomer's set-up, for the browser tests: the workshop started as the README says (`npm start --
 * --no-browser`, in a fresh copy of the repository so the test can save notebooks without touching this
 * checkout), and Debian's Chromium driven headless by playwright-core with a fresh profile.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { findFreePort, PROJECT_ROOT } from '../../src/internal.js';
import { copyRepo, type RepoCopy } from '../start/repo-copy.js';
import { RunningCommand } from '../start/running-command.js';

export const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
/** The flags DEVELOPERS.md gives: no sandbox (containers), no GPU, nothing phoning home. */
const CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
/** Git-ignored, kept after the run: what the browser saw, to look at when a test fails. */
export const SCREENSHOTS = join(PROJECT_ROOT, '.lnlab', 'screenshots');
const URL_PATTERN = /http:\/\/127\.0\.0\.1:(\d+)\/\S*\?token=([0-9a-f]+)/;
/** Node ~1 s and Jupyter ~2 s on an idle machine; several times that while other suites run. */
const START_TIMEOUT_MS = 60_000;

export interface Workshop {
  readonly copy: RepoCopy;
  readonly baseUrl: string;
  readonly token: string;
  readonly output: () => string;
  readonly browser: BrowserContext;
  /** Ctrl-C to the workshop, the browser closed, every temporary folder removed. */
  stop(): Promise<void>;
}

/** As from a learner's terminal: none of the npm_* variables the `npm test` running us has set. */
function terminalEnv(copy: RepoCopy, rpcUrl: string): NodeJS.ProcessEnv {
  const terminal = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('npm_')));
  return { ...terminal, LNLAB_HOME: copy.home, LNLAB_RPC_URL: rpcUrl };
}

export async function startWorkshop(extraArgs: readonly string[] = []): Promise<Workshop> {
  const copy = copyRepo();
  const profile = mkdtempSync(join(tmpdir(), 'lnlab-chromium-'));
  const rpcUrl = `http://127.0.0.1:${await findFreePort()}`;
  const start = new RunningCommand('npm', ['start', '--', '--no-browser', ...extraArgs], { cwd: copy.root, env: terminalEnv(copy, rpcUrl) });
  let browser: BrowserContext | undefined;
  const stop = async () => {
    await browser?.close().catch(() => undefined);
    if (start.running) await Promise.race([start.interrupt(), new Promise((resolve) => setTimeout(resolve, 20_000))]);
    start.kill();
    rmSync(profile, { recursive: true, force: true });
    copy.remove();
  };
  try {
    const [, port, token] = await start.waitFor(URL_PATTERN, START_TIMEOUT_MS);
    browser = await chromium.launchPersistentContext(join(profile, 'user-data'), {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_FLAGS,
      viewport: { width: 1280, height: 1000 },
      // Chromium's own scratch files go with the profile, not into the run's TMPDIR.
      env: { ...process.env, TMPDIR: profile },
    });
    mkdirSync(SCREENSHOTS, { recursive: true });
    return { copy, baseUrl: `http://127.0.0.1:${port}`, token: token!, output: () => start.output, browser, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

/**
 * Shuts down the kernel of notebook `name` (Notebook 6 keeps a notebook's kernel after its tab closes),
 * leaving other notebooks' kernels running.
 */
export async function shutDownKernel(workshop: Workshop, name: string): Promise<void> {
  const auth = `token=${workshop.token}`;
  const sessions = (await (await fetch(`${workshop.baseUrl}/api/sessions?${auth}`)).json()) as { id: string; path: string }[];
  const mine = sessions.filter((s) => s.path === `${name}.ipynb`);
  await Promise.all(mine.map((s) => fetch(`${workshop.baseUrl}/api/sessions/${s.id}?${auth}`, { method: 'DELETE' })));
}

// Runs in the page; the project's type-check has no DOM library.
declare const document: any;

/**
 * The whole notebook as one picture. Notebook 6 scrolls inside `#site`, so a full-page screenshot would
 * show one screenful: let it grow for the picture, then put it back.
 */
export async function screenshot(page: Page, name: string): Promise<void> {
  const restore = await page.evaluate(() => {
    const site = document.querySelector('#site');
    if (!site) return false;
    site.dataset.lnlabHeight = site.style.height;
    site.style.height = 'auto';
    site.style.overflow = 'visible';
    return true;
  });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
  if (restore) {
    await page.evaluate(() => {
      const site = document.querySelector('#site');
      site.style.height = site.dataset.lnlabHeight;
      site.style.overflow = '';
    });
  }
}
