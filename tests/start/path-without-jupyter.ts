/** A PATH on which `node` is found but no Jupyter: a folder holding only a link to this Node. */
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function pathWithoutJupyter(): { path: string; remove(): void } {
  const folder = mkdtempSync(join(tmpdir(), 'lnlab-path-'));
  symlinkSync(process.execPath, join(folder, 'node'));
  return { path: folder, remove: () => rmSync(folder, { recursive: true, force: true }) };
}
