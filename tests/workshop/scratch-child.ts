/**
 * The child process of `scratch-dir.test.ts`: makes two scratch folders with a file in each, prints one
 * line of JSON (`{ dirs, exitListenersAdded }`), then, by its mode:
 * - `exit`: ends on its own;
 * - `sigterm`: handles SIGTERM the way the workshop kernel does (`process.exit(0)`), and waits for it;
 * - `sigterm-default`: leaves SIGTERM to Node's default, and waits for it.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { scratchDir } from '../../src/workshop/scratch-dir.js';

const mode = process.argv[2];
if (mode !== 'exit' && mode !== 'sigterm' && mode !== 'sigterm-default') {
  process.stderr.write('usage: scratch-child.ts exit|sigterm|sigterm-default\n');
  process.exit(2);
}
const listenersBefore = process.listenerCount('exit'); // tsx has its own
const dirs = [scratchDir('child-a'), scratchDir('child-b')];
dirs.forEach((dir, i) => writeFileSync(join(dir, `file-${i}`), 'scratch'));
if (mode === 'sigterm') process.on('SIGTERM', () => process.exit(0)); // as src/kernel/kernel-main.ts does
process.stdout.write(`${JSON.stringify({ dirs, exitListenersAdded: process.listenerCount('exit') - listenersBefore })}\n`);
if (mode !== 'exit') setInterval(() => undefined, 60_000); // busy until signalled, as a kernel with a live cell is
