/** Types for `ensure-deps.js`, which is plain JavaScript because it runs before any dependency exists. */

/** Whether node_modules matches package-lock.json; `reason` says how it does not. */
export type DependencyState =
  | { readonly state: 'current' }
  | { readonly state: 'unmanaged' }
  | { readonly state: 'missing' | 'stale'; readonly reason: string };

/** The repository that holds `scripts/`. */
export declare const PROJECT_DIR: string;

/** Compares `root/node_modules/.package-lock.json` with `root/package-lock.json`; never installs. */
export declare function dependencyState(root?: string): DependencyState;

/** Runs `npm ci` in `root` unless its dependencies are current; returns whether they are usable now. */
export declare function ensureDependencies(root?: string, log?: (line: string) => void): boolean;
