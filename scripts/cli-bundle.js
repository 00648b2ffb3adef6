// The `lnlab` command as one prebuilt file, `.lnlab/build/lnlab-cli.mjs`: our TypeScript sources bundled
// by esbuild with the small packages it always needs (large or native ones stay outside), so a command starts without compiling the
// module tree first — `lnlab grade <exercise>` answers in well under a second. Rebuilt whenever one of the
// files it was built from changed (their sizes and times are recorded next to it), or a checks file was
// added; written to a temporary file and renamed, so two commands building at once each see a whole file.
//
// Plain JavaScript on purpose: `bin/lnlab.js` runs it before any TypeScript loader is registered.
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const BUNDLE = join(ROOT, '.lnlab', 'build', 'lnlab-cli.mjs');
const MANIFEST = `${BUNDLE}.inputs.json`;
const CHECKS_DIR = join(ROOT, 'src', 'curriculum', 'checks');
const EXTERNAL = ['esbuild', 'typescript', 'tslab', 'bcoin', 'bitcoin-core', 'playwright-core', 'vitest', 'ws', 'tsx', 'zeromq'];

function stamp(file) {
  const stats = statSync(file);
  return `${stats.size}:${stats.mtimeMs}`;
}

function checkFiles() {
  return readdirSync(CHECKS_DIR).filter((name) => name.endsWith('.ts')).sort();
}

/** Whether the bundle was built from the sources as they are now. */
export function cliBundleIsFresh() {
  if (!existsSync(BUNDLE) || !existsSync(MANIFEST)) return false;
  try {
    const manifest = JSON.parse(readFileSync(MANIFEST, 'utf8'));
    if (manifest.checks.join() !== checkFiles().join()) return false;
    return Object.entries(manifest.inputs).every(([file, recorded]) => {
      const path = join(ROOT, file);
      return existsSync(path) && stamp(path) === recorded;
    });
  } catch {
    return false;
  }
}

/** The entry: every checks module registered by id (the grader reads their names), then the CLI. */
function entrySource() {
  const modules = checkFiles().map((name) => `  ${JSON.stringify(name.replace(/\.ts$/, ''))}: () => import(${JSON.stringify(`./src/curriculum/checks/${name}`)}),`);
  return [
    "import { useChecksLoader } from './src/curriculum/registry.ts';",
    `const checks = {\n${modules.join('\n')}\n};`,
    "useChecksLoader((id) => { const load = checks[id]; if (!load) throw new Error(`lnlab was built without checks for ${id}: delete .lnlab/build and try again`); return load(); });",
    "export { runCli } from './src/cli/main.ts';",
  ].join('\n');
}

/** Builds the bundle now (about a second on a slow machine). */
export async function buildCliBundle() {
  const { buildSync } = await import('esbuild');
  mkdirSync(dirname(BUNDLE), { recursive: true });
  const temporary = `${BUNDLE}.${process.pid}.tmp`;
  const result = buildSync({
    stdin: { contents: entrySource(), resolveDir: ROOT, sourcefile: 'lnlab-cli-entry.ts', loader: 'ts' },
    bundle: true,
    // Bundled with the CLI: the small pure-JavaScript packages it always loads. Left outside: packages
    // that are large, native or start programs of their own, loaded only when a command needs them.
    external: EXTERNAL,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile: temporary,
    metafile: true,
    absWorkingDir: ROOT,
    logLevel: 'silent',
  });
  const inputs = {};
  for (const input of Object.keys(result.metafile.inputs)) {
    const path = join(ROOT, input);
    if (existsSync(path)) inputs[input] = stamp(path);
  }
  renameSync(temporary, BUNDLE);
  writeFileSync(MANIFEST, `${JSON.stringify({ inputs, checks: checkFiles() })}\n`);
}

/** The bundle's URL, built first if it is missing or stale. */
export async function cliModule() {
  if (!cliBundleIsFresh()) await buildCliBundle();
  return pathToFileURL(BUNDLE).href;
}
