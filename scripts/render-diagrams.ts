/**
 * `npm run diagrams`: renders every `notebooks/tutorial_images/*.mmd` whose SVG is missing or was drawn from an
 * older source (`-- --force` renders all), with mermaid-cli and the system's Chromium, and stamps each SVG
 * with its source's SHA-256. Needs Chromium at /usr/bin/chromium (`CHROMIUM=<path>` to use another).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DIAGRAMS_DIR, diagramSourceHash, recordedSourceHash, stampSvg } from '../src/workshop/diagrams.js';

const MERMAID_CLI = '@mermaid-js/mermaid-cli@11';
const force = process.argv.includes('--force');
const work = mkdtempSync(join(tmpdir(), 'lnlab-diagrams-'));
const puppeteerConfig = join(work, 'puppeteer.json');
const mermaidConfig = join(work, 'mermaid.json');
writeFileSync(puppeteerConfig, JSON.stringify({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--headless', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
}));
// Plain SVG text instead of HTML in foreignObject: renders in more viewers (GitHub, Notebook 6, VS Code),
// and shown as an <img> a label in foreignObject is clipped to the width measured with the renderer's
// fonts. Mermaid 11 reads the top-level `htmlLabels`; `flowchart.htmlLabels` alone is ignored.
writeFileSync(mermaidConfig, JSON.stringify({ htmlLabels: false, flowchart: { htmlLabels: false } }));

try {
  for (const file of readdirSync(DIAGRAMS_DIR).filter((f) => f.endsWith('.mmd')).sort()) {
    const source = readFileSync(join(DIAGRAMS_DIR, file), 'utf8');
    const hash = diagramSourceHash(source);
    const svgFile = join(DIAGRAMS_DIR, file.replace(/\.mmd$/, '.svg'));
    let current: string | undefined;
    try {
      current = recordedSourceHash(readFileSync(svgFile, 'utf8'));
    } catch {
      // not rendered yet
    }
    if (!force && current === hash) {
      process.stdout.write(`  up to date  notebooks/tutorial_images/${file}\n`);
      continue;
    }
    const out = join(work, 'out.svg');
    execFileSync('npx', ['--yes', MERMAID_CLI, '-i', join(DIAGRAMS_DIR, file), '-o', out, '-p', puppeteerConfig, '-c', mermaidConfig, '-b', 'white', '-q'], {
      stdio: ['ignore', 'inherit', 'inherit'],
      env: { ...process.env, PUPPETEER_SKIP_DOWNLOAD: '1' },
    });
    writeFileSync(svgFile, stampSvg(readFileSync(out, 'utf8'), hash));
    process.stdout.write(`  rendered    notebooks/tutorial_images/${file.replace(/\.mmd$/, '.svg')}\n`);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
