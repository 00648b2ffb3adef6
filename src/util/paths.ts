/**
 * Where the workshop is and where it keeps its state: the one place that knows. The repository root is
 * found by walking up from this file to the `package.json` named `lightning-lab`, so it is right whether
 * this module runs from `src/` or from a bundle under `.lnlab/build/`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const PACKAGE_NAME = 'lightning-lab';

/**
 * The nearest folder above `from` whose `package.json` is ours. A process that may not read those files
 * (a grading child, under the permission model) never needs the root: it gets the folder two above this
 * module's, which is the root when this module runs from `src/util/`.
 */
function findProjectRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    try {
      const manifest = join(dir, 'package.json');
      if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === PACKAGE_NAME) return dir;
    } catch {
      // unreadable or not ours: keep looking
    }
    if (dirname(dir) === dir) return join(from, '..', '..');
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
