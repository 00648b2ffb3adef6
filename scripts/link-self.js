#!/usr/bin/env node
// Makes `import … from 'lightning-lab'` work everywhere, Jupyter included: npm links the package into its
// own node_modules. The tslab kernel compiles each notebook with its folder as rootDir and resolves
// imports the old Node way (node_modules, `main`/`types`), so `../src/...` is refused but a package is not.
import { lstatSync, mkdirSync, rmSync, symlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const link = join(root, 'node_modules', 'lightning-lab');
mkdirSync(join(root, 'node_modules'), { recursive: true });
try {
  if (lstatSync(link)) rmSync(link, { recursive: true, force: true });
} catch {
  // not there yet
}
symlinkSync('..', link, 'junction');
