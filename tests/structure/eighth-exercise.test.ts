/**
 * One registry drives everything: in a copy of the repository, an exercise is added by writing only its
 * registry entry, its solution file, its checks and one `<!-- exercise: id -->` line in a notebook source.
 * `npm run notebooks` then builds it with its number and prose; `lnlab grade` fails its skeleton and passes
 * its solution; and the tests that count exercises still pass, since none of them hard-codes the count.
 */
import { execFile } from 'node:child_process';
import { readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyRepo, type RepoCopy } from '../start/repo-copy.js';

let repo: RepoCopy;

function inCopy(args: string[], timeout = 300_000): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, args, { cwd: repo.root, env: { ...process.env, LNLAB_HOME: repo.home }, timeout, maxBuffer: 32 * 1024 * 1024 }, (err, stdout, stderr) =>
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }));
  });
}

const ENTRY = `
  {
    id: 'countPreimages',
    functionName: 'countPreimages',
    component: 'ChannelMonitor',
    notebook: '03-updating-channels',
    title: 'count the preimages the monitor holds',
    track: 'core',
    minutes: 5,
    reading: 'BOLT 2 \`update_fulfill_htlc\`',
    prompt: \`Write \\\`countPreimages\\\`: how many payment preimages the monitor holds (\\\`this.preimages\\\`).\`,
    hints: ['The monitor keeps every preimage it learned in one list.', 'An array knows its own length.'],
    minesBlocks: false,
  },
];`;

const SOLUTION = `/** Reference solution of the test-only exercise \`countPreimages\`. */
import type { ChannelMonitor } from '../src/internal.js';

/** How many payment preimages the monitor holds. */
export function countPreimages(this: ChannelMonitor): number {
  // read the length of the monitor's list of preimages
  return this.preimages.length;
}
`;

const CHECKS = `/** Checks of the test-only exercise \`countPreimages\`. */
import { assembleNode } from '../../node/assemble.js';
import { DEMO_ALICE_DESTINATION, demoChannelPair } from '../../workshop/demo-channel.js';
import { expectEqual } from '../check/expect.js';
import type { ExerciseTest } from '../check/types.js';
import { START } from './support.js';

function monitorWith(impl: unknown) {
  const { ChannelMonitor } = assembleNode({ ChannelMonitor: { countPreimages: impl as Function } });
  return new ChannelMonitor(demoChannelPair().monitorInit('alice', DEMO_ALICE_DESTINATION, START)) as unknown as { preimages: Uint8Array[]; countPreimages(): number };
}

export const tests: ExerciseTest<never>[] = [
  { name: 'counts none', async run(impl) { expectEqual(monitorWith(impl).countPreimages(), 0, 'countPreimages() of a new monitor', 'return the length of this.preimages'); } },
  { name: 'counts three', async run(impl) {
    const monitor = monitorWith(impl);
    monitor.preimages.push(new Uint8Array(32), new Uint8Array(32).fill(1), new Uint8Array(32).fill(2));
    expectEqual(monitor.countPreimages(), 3, 'countPreimages() with three preimages', 'return the length of this.preimages');
  } },
  { name: 'counts what is there now, not what was there', async run(impl) {
    const monitor = monitorWith(impl);
    monitor.preimages.push(new Uint8Array(32));
    monitor.countPreimages();
    monitor.preimages.push(new Uint8Array(32).fill(9));
    expectEqual(monitor.countPreimages(), 2, 'countPreimages() after one more preimage', 'read this.preimages each time');
  } },
];
`;

beforeAll(async () => {
  repo = copyRepo();
  symlinkSync('..', join(repo.root, 'node_modules', 'lightning-lab'));
  const registry = join(repo.root, 'src/curriculum/exercises/03-updating-channels.ts');
  writeFileSync(registry, readFileSync(registry, 'utf8').replace(/\n\];\s*$/, `${ENTRY}\n`));
  writeFileSync(join(repo.root, 'solutions/countPreimages.ts'), SOLUTION);
  writeFileSync(join(repo.root, 'src/curriculum/checks/countPreimages.ts'), CHECKS);
  const source = join(repo.root, 'notebooks/src/03-updating-channels.md');
  writeFileSync(source, readFileSync(source, 'utf8').replace(/(<!-- exercise: updateChannel -->)/, '$1\n\n<!-- exercise: countPreimages -->'));
  const built = await inCopy(['--import', 'tsx', 'scripts/build-notebooks.ts']);
  expect(built.code, built.stderr).toBe(0);
}, 300_000);

afterAll(() => repo?.remove());

describe('an eighth exercise, added by its entry, solution, checks and one notebook line', () => {
  it('npm run notebooks builds it in its notebook with its number and prose, and renumbers what follows', () => {
    const notebook = readFileSync(join(repo.root, 'notebooks/03-updating-channels.ipynb'), 'utf8');
    expect(notebook).toContain('## ⚡️ Exercise 6: count the preimages the monitor holds');
    expect(notebook).toContain('countPreimages');
    expect(notebook).toContain('**Read first:** BOLT 2 `update_fulfill_htlc`');
    expect(notebook).toContain("await check('countPreimages', countPreimages);");
    expect(readFileSync(join(repo.root, 'notebooks/04-channel-manager.ipynb'), 'utf8')).toContain('## ⚡️ Exercise 7: open a channel');
  });

  it('lnlab grade fails its skeleton and passes its solution', async () => {
    const skeleton = await inCopy(['bin/lnlab.js', 'grade', 'countPreimages', '--json']);
    expect(JSON.parse(skeleton.stdout.trim()), skeleton.stderr).toMatchObject({ id: 'countPreimages', passed: false });
    const file = join(repo.root, 'notebooks/03-updating-channels.ipynb');
    const shipped = readFileSync(file, 'utf8');
    const notebook = JSON.parse(shipped) as { cells: Array<{ metadata: { lnlab?: { role?: string; exercise?: string } }; source: string[] }> };
    const cell = notebook.cells.find((c) => c.metadata.lnlab?.role === 'exercise' && c.metadata.lnlab.exercise === 'countPreimages')!;
    cell.source = SOLUTION.slice(SOLUTION.indexOf('/** How many')).replace('export ', '').split(/(?<=\n)/);
    writeFileSync(file, JSON.stringify(notebook));
    const solved = await inCopy(['bin/lnlab.js', 'grade', 'countPreimages', '--json']);
    expect(JSON.parse(solved.stdout.trim()), solved.stderr).toMatchObject({ id: 'countPreimages', passed: true });
    writeFileSync(file, shipped);
  });

  it('the tests that count exercises still pass', async () => {
    const tests = await inCopy(['node_modules/vitest/vitest.mjs', 'run', 'tests/notebooks/notebooks.test.ts', 'tests/structure/public-surface.test.ts', 'tests/workshop/exercises.test.ts', '-t', 'registry|committed|countPreimages|public surface']);
    expect(tests.code, `${tests.stdout}\n${tests.stderr}`).toBe(0);
  }, 300_000);
});
