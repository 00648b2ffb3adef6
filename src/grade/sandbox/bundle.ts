/**
 * The grading child as one prebuilt JavaScript file, `<repo>/.lnlab/build/grade-child.mjs`: no TypeScript
 * compiler at start-up (a cold child is ready in a fraction of a second), and one file to allow the child
 * to read under the permission model. It holds the node (with its holes), the checks and their harness —
 * and never a solution: nothing it bundles imports `solutions/`.
 *
 * Built on first use and whenever a source it was built from changed (its inputs' sizes and times are
 * recorded next to it), written to a temporary file and renamed into place, so two graders building at
 * once each see a whole file.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { PROJECT_ROOT } from '../../chain/regtest/launcher.js';

/** Where the bundle goes: inside the repository (git-ignored), whatever LNLAB_HOME says. */
export const CHILD_BUNDLE = join(PROJECT_ROOT, '.lnlab', 'build', 'grade-child.mjs');
const MANIFEST = `${CHILD_BUNDLE}.inputs.json`;
const CHECKS_DIR = join(PROJECT_ROOT, 'src', 'curriculum', 'checks');
const ENTRY_DIR = join(PROJECT_ROOT, 'src', 'grade', 'sandbox');

interface Manifest {
  /** Input path (relative to the repository) → `size:mtimeMs`. */
  readonly inputs: Record<string, string>;
  /** The checks files present when built: a new one means a rebuild. */
  readonly checks: readonly string[];
}

function stamp(file: string): string {
  const stats = statSync(file);
  return `${stats.size}:${stats.mtimeMs}`;
}

function checkFiles(): string[] {
  return readdirSync(CHECKS_DIR).filter((name) => name.endsWith('.ts')).sort();
}

/** Whether the bundle on disk was built from the sources as they are now. */
export function childBundleIsFresh(): boolean {
  if (!existsSync(CHILD_BUNDLE) || !existsSync(MANIFEST)) return false;
  try {
    const manifest = JSON.parse(readFileSync(MANIFEST, 'utf8')) as Manifest;
    if (manifest.checks.join() !== checkFiles().join()) return false;
    return Object.entries(manifest.inputs).every(([file, recorded]) => {
      const path = join(PROJECT_ROOT, file);
      return existsSync(path) && stamp(path) === recorded;
    });
  } catch {
    return false;
  }
}

/**
 * The child's entry: every checks module registered by id (so `loadTests` finds them in the bundle), then
 * the child itself.
 */
function entrySource(): string {
  const modules = checkFiles()
    .filter((name) => /^[A-Za-z0-9]+\.ts$/.test(name) && /^[a-z]/.test(name) && !name.includes('-'))
    .map((name) => `  ${JSON.stringify(name.replace(/\.ts$/, ''))}: () => import(${JSON.stringify(`../../curriculum/checks/${name}`)}),`);
  return [
    "import { useChecksLoader } from '../../curriculum/registry.js';",
    `const checks = {\n${modules.join('\n')}\n};`,
    "useChecksLoader((id) => { const load = checks[id]; if (!load) throw new Error(`the grader was built without checks for ${id}: delete .lnlab/build and try again`); return load(); });",
    "await import('./child-main.js');",
  ].join('\n');
}

/** Builds the bundle now; resolves with its path. */
export async function buildChildBundle(): Promise<string> {
  mkdirSync(dirname(CHILD_BUNDLE), { recursive: true });
  const temporary = `${CHILD_BUNDLE}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  const { build } = await import('esbuild'); // only when the bundle is stale: not on every start
  const result = await build({
    stdin: { contents: entrySource(), resolveDir: ENTRY_DIR, sourcefile: 'grade-child-entry.ts', loader: 'ts' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile: temporary,
    metafile: true,
    absWorkingDir: PROJECT_ROOT,
    logLevel: 'silent',
    // Packages the bundle may not contain are loaded by `require` at run time; none is needed in a child.
    banner: { js: "import { createRequire as __lnlabCreateRequire } from 'node:module'; const require = __lnlabCreateRequire(import.meta.url);" },
  });
  const inputs: Record<string, string> = {};
  // Paths in the metafile are relative to `absWorkingDir`; the stdin entry has none.
  for (const input of Object.keys(result.metafile.inputs)) {
    const path = join(PROJECT_ROOT, input);
    if (existsSync(path)) inputs[input] = stamp(path);
  }
  renameSync(temporary, CHILD_BUNDLE);
  writeFileSync(MANIFEST, `${JSON.stringify({ inputs, checks: checkFiles() } satisfies Manifest)}\n`);
  return CHILD_BUNDLE;
}

let building: Promise<string> | undefined;

/** The bundle's path if it is fresh, without waiting: a child can then start in the caller's own turn. */
export function freshChildBundle(): string | undefined {
  return building === undefined && childBundleIsFresh() ? CHILD_BUNDLE : undefined;
}

/** The bundle's path, built first if it is missing or stale (once per process at a time). */
export function ensureChildBundle(): Promise<string> {
  if (childBundleIsFresh()) return Promise.resolve(CHILD_BUNDLE);
  building ??= buildChildBundle().finally(() => {
    building = undefined;
  });
  return building;
}
