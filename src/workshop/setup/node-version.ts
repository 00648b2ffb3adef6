/** The Node.js version check shared by `lnlab start` and `lnlab doctor`. */
import { WorkshopError } from '../../errors.js';

/**
 * The oldest Node the workshop supports: package.json's `engines`. (20.19 is the first 20.x that can
 * `require()` an ES module without a flag; older ones fail in confusing ways rather than cleanly.)
 */
export const MIN_NODE_VERSION = '20.19.0';

/**
 * The running Node's version; `LNLAB_SIMULATE_NODE_VERSION` overrides it so the refusal of an old Node
 * can be tested without installing one.
 */
export function nodeVersion(env: NodeJS.ProcessEnv = process.env): string {
  return env.LNLAB_SIMULATE_NODE_VERSION || process.versions.node;
}

function parts(version: string): number[] {
  return version.replace(/^v/, '').split('.').map((part) => Number.parseInt(part, 10) || 0);
}

/** Whether `version` is at least `minimum` (both `major.minor.patch`). */
export function isAtLeast(version: string, minimum = MIN_NODE_VERSION): boolean {
  const have = parts(version);
  const need = parts(minimum);
  for (let i = 0; i < 3; i++) {
    const difference = (have[i] ?? 0) - (need[i] ?? 0);
    if (difference !== 0) return difference > 0;
  }
  return true;
}

export class NodeVersionError extends WorkshopError {
  constructor(version: string) {
    super(
      'NODE_TOO_OLD',
      `this is Node.js ${version}; the workshop needs ${MIN_NODE_VERSION} or newer`,
      'install a current Node.js LTS from https://nodejs.org (or `nvm install --lts`), then run `npm ci` again',
    );
  }
}

/** Throws `NodeVersionError` when the Node is too old. */
export function requireNodeVersion(env: NodeJS.ProcessEnv = process.env): void {
  const version = nodeVersion(env);
  if (!isAtLeast(version)) throw new NodeVersionError(version);
}
