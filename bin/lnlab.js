#!/usr/bin/env node
// The `lnlab` command. The workshop's code is TypeScript; it is bundled on first use and whenever a
// source changes (`scripts/cli-bundle.js`), so a learner never runs a build step and always runs the
// source they are reading.
//
// Nothing from node_modules is imported before the dependencies are known to be installed: on a fresh
// clone, or after package-lock.json changed, `npm start` installs them first (`scripts/ensure-deps.js`).
// `lnlab doctor` is the exception that only looks: a doctor that installs would hide what was wrong.
import { dependencyState, ensureDependencies } from '../scripts/ensure-deps.js';

const command = process.argv[2];
if (command === 'doctor') {
  const deps = dependencyState();
  if (deps.state === 'missing') {
    // The TypeScript doctor cannot even load without tsx: answer its first question here.
    process.stdout.write(`❌ dependencies: ${deps.reason}\n   → run \`npm start\` (it installs them first) or \`npm ci\`\n`);
    process.exit(1);
  }
} else if (!ensureDependencies()) {
  process.exit(1);
}

// The CLI is one prebuilt file (rebuilt when a source changed: `scripts/cli-bundle.js`); should building
// it fail, the sources run through tsx instead, as they always could.
let runCli;
try {
  const { cliModule } = await import('../scripts/cli-bundle.js');
  ({ runCli } = await import(await cliModule()));
} catch {
  const { register } = await import('tsx/esm/api');
  register();
  ({ runCli } = await import('../src/cli/main.ts'));
}
process.exitCode = await runCli(process.argv.slice(2));
