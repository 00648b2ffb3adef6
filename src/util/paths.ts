/**
 * Where the workshop is and where it keeps its state: the one place that knows. The repository root is
 * found by walking up from this file to the `package.json` named `lightning-lab`, so it is right whether
 * this module runs from `src/` or from a bundle under `.lnlab/build/`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const PACKAGE_NAME = 'lightning-lab';

function findProjectRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      try {
        if ((JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === PACKAGE_NAME) return dir;
      } catch {
        // not ours; keep looking
      }
    }
    if (dirname(dir) === dir) throw new Error(`lightning-lab: no package.json named "${PACKAGE_NAME}" above ${from}`);
  }
}

/** The repository root (the folder with the workshop's `package.json`). */
export const PROJECT_ROOT = findProjectRoot(dirname(fileURLToPath(import.meta.url)));

/** `$LNLAB_HOME`, or `.lnlab` in the repository: everything lnlab writes lives under it. */
export function lnlabHome(env: NodeJS.ProcessEnv = process.env): string {
  return env.LNLAB_HOME || join(PROJECT_ROOT, '.lnlab');
}

/** Prebuilt bundles (the CLI, the grading child): inside the repository whatever LNLAB_HOME says. */
export const BUILD_DIR = join(PROJECT_ROOT, '.lnlab', 'build');
