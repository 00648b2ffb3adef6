/**
 * The workshop's diagrams: mermaid sources in `tutorial_images/*.mmd`, rendered to SVG files next to them
 * (`npm run diagrams`) so they show in any Jupyter and on a code host. Rendering needs a browser and is
 * not byte-stable across machines, so an SVG records the SHA-256 of the source it was drawn from, and
 * "is every diagram up to date?" is a hash comparison that needs no browser.
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../chain/regtest/launcher.js';

/** `notebooks/tutorial_images/` (inside the Jupyter root: a path outside it is a 404 in Notebook 6.4): the `.mmd` sources and their rendered `.svg`, side by side. */
export const DIAGRAMS_DIR = join(PROJECT_ROOT, 'notebooks', 'tutorial_images');

const STAMP_NAME = 'lnlab-source-sha256';
const STAMP = new RegExp(`<!-- ${STAMP_NAME}: ([0-9a-f]{64}) -->\\n?`);

/** SHA-256 (hex) of a diagram's mermaid source. */
export function diagramSourceHash(source: string): string {
  return createHash('sha256').update(source, 'utf8').digest('hex');
}

/** The SVG with `<!-- lnlab-source-sha256: <hash> -->` as its first line (replacing any earlier stamp). */
export function stampSvg(svg: string, sourceHash: string): string {
  return `<!-- ${STAMP_NAME}: ${sourceHash} -->\n${svg.replace(STAMP, '')}`;
}

/** The source hash an SVG records, or `undefined` if it has none. */
export function recordedSourceHash(svg: string): string | undefined {
  return STAMP.exec(svg)?.[1];
}
